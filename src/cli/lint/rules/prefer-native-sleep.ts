import type { RuleHit } from '../finding.js';
import { execSleep } from './exec-sleep.js';
import type { LintRule } from './lint-rule.js';
import { gracePeriodSeconds, handlerKind, podHooks } from './pod-hooks.js';

/** The sleep action (GA in 1.34, on by default since 1.30) needs neither a shell nor a sleep binary in the image. */
export const preferNativeSleep: LintRule = {
  id: 'prefer-native-sleep',
  severity: 'info',
  summary: 'a preStop exec that only sleeps: the native sleep action works in images without a sleep binary',
  check(pod) {
    const grace = gracePeriodSeconds(pod);
    const hits: RuleHit[] = [];
    for (const h of podHooks(pod)) {
      if (h.hook !== 'preStop' || handlerKind(h.handler) !== 'exec') continue;
      const sleep = execSleep(h.handler.exec?.command);
      if (!sleep?.only) continue;
      const fits = Number.isInteger(sleep.seconds) && sleep.seconds <= grace;
      const replacement = fits ? `\`sleep: {seconds: ${sleep.seconds}}\`` : 'the native `sleep` action (whole seconds, at most the grace period)';
      hits.push({
        path: `${h.handlerPath}.exec.command`,
        message: `Use ${replacement} instead of running sleep in the container: it works in images without a sleep binary or shell.`,
      });
    }
    return hits;
  },
};
