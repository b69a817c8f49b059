import type { Pod } from '../api/types.js';
import { parseRfc3339, rfc3339Seconds } from '../api/rfc3339.js';

/**
 * What the API server does with a DELETE of a pod (R4.1): the pod strategy's
 * `CheckGracefulDelete` followed by `rest.BeforeDelete`. Pure, so both stores
 * apply the exact same arithmetic.
 */
export type GracefulDeleteDecision =
  /**
   * Remove the object now (DELETED). When the deletion fields are given, the
   * API server wrote them onto the object just before removing it, so the last
   * state carries them.
   */
  | { action: 'remove'; deletionTimestamp?: string; deletionGracePeriodSeconds?: number }
  /** Keep the object, terminating, with these deletion fields (MODIFIED). */
  | {
      action: 'terminate';
      deletionTimestamp: string;
      deletionGracePeriodSeconds: number;
      /** The first graceful delete; the API server then bumps metadata.generation. */
      first: boolean;
    }
  /** A repeated delete that does not shorten the grace: nothing is written. */
  | { action: 'ignore' };

export function decideGracefulDelete(
  pod: Pod,
  gracePeriodSeconds: number | undefined,
  nowMs: number,
): GracefulDeleteDecision {
  // V10: a negative requested period is normalised to 1 before anything else.
  const requested = gracePeriodSeconds !== undefined && gracePeriodSeconds < 0 ? 1 : gracePeriodSeconds;
  if (pod.metadata.deletionTimestamp) return repeatedDelete(pod, requested, nowMs);

  let period = requested ?? pod.spec.terminationGracePeriodSeconds ?? 0;
  // An unscheduled pod has no kubelet to wait for; a finished one has nothing left to stop.
  if (!pod.spec.nodeName) period = 0;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') period = 0;
  // A negative spec grace (historically accepted by validation) counts as 1.
  if (period < 0) period = 1;

  const deletionTimestamp = rfc3339Seconds(nowMs + period * 1000);
  if (period === 0) return { action: 'remove', deletionTimestamp, deletionGracePeriodSeconds: 0 };
  return { action: 'terminate', deletionTimestamp, deletionGracePeriodSeconds: period, first: true };
}

function repeatedDelete(pod: Pod, requested: number | undefined, nowMs: number): GracefulDeleteDecision {
  let stored = pod.metadata.deletionGracePeriodSeconds ?? undefined;
  // V10: a stored negative grace is treated as 1.
  if (stored !== undefined && stored < 0) stored = 1;
  // The API server's recovery path: a terminating object whose grace is nil or 0
  // was meant to be gone already (an update that landed without its delete).
  if (stored === undefined || stored === 0) return { action: 'remove' };
  // Only a strictly shorter period may be applied; anything else is a no-op.
  if (requested === undefined || requested >= stored) return { action: 'ignore' };

  const previousMs = parseRfc3339(pod.metadata.deletionTimestamp) ?? nowMs + stored * 1000;
  // Original request time plus the new grace: may already lie in the past (timeline d).
  const deletionTimestamp = rfc3339Seconds(previousMs - stored * 1000 + requested * 1000);
  if (requested === 0) return { action: 'remove', deletionTimestamp, deletionGracePeriodSeconds: 0 };
  return { action: 'terminate', deletionTimestamp, deletionGracePeriodSeconds: requested, first: false };
}
