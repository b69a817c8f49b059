import type { LintRule } from './lint-rule.js';
import { podHooks } from './pod-hooks.js';

/** R3.7: the kubelet calls preStop only when it stops a container, never when the container exits. */
export const prestopNotRunOnExit: LintRule = {
  id: 'prestop-not-run-on-exit',
  severity: 'warning',
  summary: 'restartPolicy Never or OnFailure with a preStop: the hook does not run when the container exits by itself',
  check(pod) {
    const policy = pod.spec.restartPolicy;
    if (policy !== 'Never' && policy !== 'OnFailure') return [];
    // Sidecars are stopped by the kubelet once the main containers finish (R5.4), so theirs do run.
    return podHooks(pod)
      .filter((h) => h.hook === 'preStop' && !h.sidecar)
      .map((h) => ({
        path: h.handlerPath,
        message: `With restartPolicy ${policy}, this preStop hook runs only when the Pod is deleted or the container is killed, not when the container exits by itself.`,
      }));
  },
};
