import type { RuleHit } from '../finding.js';
import { execSleep } from './exec-sleep.js';
import type { LintRule } from './lint-rule.js';
import { gracePeriodSeconds, handlerKind, podHooks } from './pod-hooks.js';

/**
 * R3.2–R3.4: the preStop runs inside the grace period; what is left after it
 * goes to the stop signal, floored at 2 s. A sleep that leaves 2 s or less
 * means the application gets only the floor to shut down.
 */
export const prestopUsesWholeGrace: LintRule = {
  id: 'prestop-uses-whole-grace',
  severity: 'warning',
  summary: 'a preStop sleep that uses the grace period up, leaving the app only the 2 s minimum after the stop signal',
  check(pod) {
    const grace = gracePeriodSeconds(pod);
    if (grace <= 0) return []; // grace-period-zero covers it
    const graceText = `${grace} s grace period`;
    const hits: RuleHit[] = [];
    for (const h of podHooks(pod)) {
      if (h.hook !== 'preStop') continue;
      const kind = handlerKind(h.handler);
      let seconds: number | undefined;
      let path = h.handlerPath;
      if (kind === 'sleep' && typeof h.handler.sleep?.seconds === 'number') {
        seconds = h.handler.sleep.seconds;
        // Longer than the grace period is a validation error (V6); no need to repeat it.
        if (seconds > grace) continue;
        path += '.sleep';
      } else if (kind === 'exec') {
        seconds = execSleep(h.handler.exec?.command)?.seconds;
        path += '.exec.command';
      }
      if (seconds === undefined || grace - seconds > 2) continue;
      const sleeps = Number.isFinite(seconds) ? `sleeps ${seconds} s` : 'sleeps forever';
      const share = seconds >= grace ? `, the whole ${graceText}` : ` of the ${graceText}`;
      hits.push({
        path,
        message: `The preStop hook ${sleeps}${share}, so the container gets its stop signal only 2 s before it is killed.`,
      });
    }
    return hits;
  },
};
