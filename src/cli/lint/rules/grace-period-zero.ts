import type { LintRule } from './lint-rule.js';
import { podHooks } from './pod-hooks.js';

/** R4.1: grace 0 is a force delete of the object; R4.3 then gives the kubelet 1 s; R3.3 floors the stop at 2 s. */
export const gracePeriodZero: LintRule = {
  id: 'grace-period-zero',
  severity: 'warning',
  summary: 'terminationGracePeriodSeconds: 0: the Pod object is deleted at once and each preStop gets at most 1 s',
  check(pod) {
    if (pod.spec.terminationGracePeriodSeconds !== 0) return [];
    const hasPreStop = podHooks(pod).some((h) => h.hook === 'preStop');
    return [
      {
        path: 'spec.terminationGracePeriodSeconds',
        message: hasPreStop
          ? 'A grace period of 0 deletes the Pod object at once and gives each preStop hook at most 1 s, then 2 s after the stop signal before SIGKILL.'
          : 'A grace period of 0 deletes the Pod object at once; the containers still get 2 s after the stop signal before SIGKILL.',
      },
    ];
  },
};
