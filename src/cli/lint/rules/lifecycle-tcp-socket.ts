import type { LintRule } from './lint-rule.js';
import { handlerKind, podHooks } from './pod-hooks.js';

/** R1.1 and V7: tcpSocket passes validation as a lifecycle handler, but the kubelet cannot run it. */
export const lifecycleTcpSocket: LintRule = {
  id: 'lifecycle-tcp-socket',
  severity: 'error',
  summary: 'a tcpSocket lifecycle handler: it passes validation but always fails when it runs',
  check(pod) {
    return podHooks(pod)
      .filter((h) => handlerKind(h.handler) === 'tcpSocket')
      .map((h) => ({
        path: `${h.handlerPath}.tcpSocket`,
        message:
          h.hook === 'postStart'
            ? 'A tcpSocket handler passes validation but always fails when it runs, so the kubelet kills the container right after it starts.'
            : 'A tcpSocket handler passes validation but always fails when it runs, so this preStop hook never does anything.',
      }));
  },
};
