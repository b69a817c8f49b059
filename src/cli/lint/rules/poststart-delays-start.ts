import type { RuleHit } from '../finding.js';
import { execSleep } from './exec-sleep.js';
import type { LintRule } from './lint-rule.js';
import { handlerKind, podHooks } from './pod-hooks.js';

/** R2.2: SyncPod starts containers in order and runs each postStart inline before starting the next. */
export const poststartDelaysStart: LintRule = {
  id: 'poststart-delays-start',
  severity: 'info',
  summary: 'a postStart hook on a container that is not the last: containers start one after another, so it delays the next ones',
  check(pod) {
    const containers = pod.spec.containers ?? [];
    const hits: RuleHit[] = [];
    for (const h of podHooks(pod)) {
      if (h.hook !== 'postStart' || h.index === undefined || h.index >= containers.length - 1) continue;
      const next = containers[h.index + 1]?.name;
      const after = containers.length - h.index - 1;
      const who = next ? `container ${JSON.stringify(next)}` : 'the next container';
      const more = after > 1 ? ` and ${after - 1} more` : '';
      const kind = handlerKind(h.handler);
      // A sleep is a delay for certain; other hooks only delay by however long they take.
      const sleeps =
        (kind === 'sleep' && (h.handler.sleep?.seconds ?? 0) > 0) || (kind === 'exec' && (execSleep(h.handler.exec?.command)?.seconds ?? 0) > 0);
      hits.push({
        path: h.handlerPath,
        message: `The kubelet starts containers one at a time and waits for this postStart hook to finish, so it delays the start of ${who}${more}.`,
        ...(sleeps ? { severity: 'warning' as const } : {}),
      });
    }
    return hits;
  },
};
