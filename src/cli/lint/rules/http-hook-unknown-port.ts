import type { LintRule } from './lint-rule.js';
import { handlerKind, podHooks } from './pod-hooks.js';

/**
 * R1.5: a string port is looked up in the container's own `ports[].name`;
 * failing that it is parsed as a number, which a valid port name never is.
 */
export const httpHookUnknownPort: LintRule = {
  id: 'http-hook-unknown-port',
  severity: 'error',
  summary: 'an httpGet hook whose named port the container does not declare: it passes validation and fails when it runs',
  check(pod) {
    return podHooks(pod).flatMap((h) => {
      const port = handlerKind(h.handler) === 'httpGet' ? h.handler.httpGet?.port : undefined;
      if (typeof port !== 'string' || port === '' || /^\d+$/.test(port)) return [];
      const names = (h.container.ports ?? []).map((p) => p.name);
      if (names.includes(port)) return [];
      const owner = h.container.name ? `container ${JSON.stringify(h.container.name)}` : 'this container';
      return [
        {
          path: `${h.handlerPath}.httpGet.port`,
          message: `Port ${JSON.stringify(port)} is not the name of a port of ${owner}, so the hook passes validation but fails when it runs.`,
        },
      ];
    });
  },
};
