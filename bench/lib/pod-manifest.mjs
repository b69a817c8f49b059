// The benchmark pod: one container running bench-app, with a postStart and a
// preStop exec hook `sh -c true` (issue 6, figure 1).
export const HOOK_COMMAND = ['sh', '-c', 'true'];

/**
 * @param {{ name: string, appBin: string, fifo: string, mode: 'graceful'|'forced', termDelayMs: number,
 *   graceSeconds?: number, nodeName?: string }} o
 */
export function benchPod(o) {
  const args = o.mode === 'forced' ? [o.fifo, 'ignore'] : [o.fifo, 'graceful', String(o.termDelayMs)];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, namespace: 'default', labels: { app: 'bench' } },
    spec: {
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.graceSeconds !== undefined ? { terminationGracePeriodSeconds: o.graceSeconds } : {}),
      restartPolicy: 'Never',
      containers: [
        {
          name: 'app',
          image: 'bench-app',
          command: [o.appBin],
          args,
          lifecycle: {
            postStart: { exec: { command: HOOK_COMMAND } },
            preStop: { exec: { command: HOOK_COMMAND } },
          },
        },
      ],
    },
  };
}

/** True once the pod's container is running with its postStart done (the kubelet's Running). */
export function podRunning(pod) {
  return pod?.status?.containerStatuses?.[0]?.state?.running != null;
}
