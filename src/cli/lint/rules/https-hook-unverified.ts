import type { LintRule } from './lint-rule.js';
import { handlerKind, podHooks } from './pod-hooks.js';

/** R1.6: the kubelet's hook client sets InsecureSkipVerify. */
export const httpsHookUnverified: LintRule = {
  id: 'https-hook-unverified',
  severity: 'info',
  summary: 'an HTTPS lifecycle hook: the kubelet does not verify the certificate',
  check(pod) {
    return podHooks(pod)
      .filter((h) => handlerKind(h.handler) === 'httpGet' && h.handler.httpGet?.scheme === 'HTTPS')
      .map((h) => ({
        path: `${h.handlerPath}.httpGet.scheme`,
        message: 'The kubelet does not verify the certificate of an HTTPS lifecycle hook, so HTTPS here encrypts but does not authenticate the server.',
      }));
  },
};
