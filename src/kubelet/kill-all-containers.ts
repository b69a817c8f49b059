import { isRunning, type ContainerRecord } from './container-record.js';
import { Reason } from './event-reasons.js';
import { killContainer } from './kill-container.js';
import type { PodContext } from './pod-context.js';
import { terminationTurns } from './termination-order.js';

/**
 * killContainersWithSyncResult: all running containers at once, sidecars in their turn (R5.1, R5.2).
 * Without a grace override only the sidecars are killed (the pod's regular containers are done).
 */
export async function killAllContainers(
  ctx: PodContext,
  records: ContainerRecord[],
  graceOverrideSeconds: number | undefined,
  signal?: AbortSignal,
): Promise<void> {
  const targets = records.filter((r) => (graceOverrideSeconds === undefined ? r.kind === 'sidecar' : true) && isRunning(r) && !r.stopping);
  const turns = terminationTurns(records, ctx.clock, (r, id) => ctx.exited(r, id));
  await Promise.all(
    targets.map((r) =>
      killContainer(ctx, r, {
        reason: 'Unknown',
        ...(graceOverrideSeconds !== undefined ? { graceOverrideSeconds } : {}),
        ...(signal ? { signal } : {}),
        ...(turns ? { waitForTurn: (ms: number) => turns(r, ms) } : {}),
      }).catch((err: unknown) => {
        ctx.recorder.event(ctx.pod(), 'Warning', Reason.FailedKillPod, `error killing pod: ${err instanceof Error ? err.message : String(err)}`);
      }),
    ),
  );
}
