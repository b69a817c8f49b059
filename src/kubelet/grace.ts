import type { Pod } from '../api/types.js';
import type { KillReason } from './event-reasons.js';

/** minimumGracePeriodInSeconds: every stop gets at least this window (R3.2 step 7, R3.3). */
export const MIN_STOP_GRACE_SECONDS = 2;

/**
 * R3.1 setTerminationGracePeriod: the grace a kill uses when no override is
 * passed (liveness/startup/postStart kills during the pod's life).
 */
export function baseGraceSeconds(pod: Pod, containerName: string, reason: KillReason): number {
  if (pod.metadata.deletionGracePeriodSeconds != null) return pod.metadata.deletionGracePeriodSeconds;
  const podGrace = pod.spec.terminationGracePeriodSeconds;
  if (podGrace == null) return MIN_STOP_GRACE_SECONDS;
  const c = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((x) => x.name === containerName);
  if (reason === 'StartupProbe' && c?.startupProbe?.terminationGracePeriodSeconds != null) {
    return c.startupProbe.terminationGracePeriodSeconds;
  }
  if (reason === 'LivenessProbe' && c?.livenessProbe?.terminationGracePeriodSeconds != null) {
    return c.livenessProbe.terminationGracePeriodSeconds;
  }
  return podGrace;
}

/**
 * R4.3 calculateEffectiveGracePeriod for a terminating pod. `current` is the
 * grace already in force (0 the first time). The result can only go down.
 */
export function effectiveGraceSeconds(
  current: number,
  pod: Pod,
  overrideSeconds?: number,
): { grace: number; shortened: boolean } {
  let grace = current;
  let overridden = false;
  const del = pod.metadata.deletionGracePeriodSeconds;
  if (del != null && (grace === 0 || del < grace)) {
    grace = del;
    overridden = true;
  }
  if (overrideSeconds != null && (grace === 0 || overrideSeconds < grace)) {
    grace = overrideSeconds;
    overridden = true;
  }
  if (!overridden && grace === 0 && pod.spec.terminationGracePeriodSeconds != null) {
    grace = pod.spec.terminationGracePeriodSeconds;
  }
  if (grace < 1) grace = 1;
  return { grace, shortened: current !== 0 && current !== grace };
}

/**
 * R3.2 steps 5–7: the preStop's elapsed wall time is truncated to whole
 * seconds (55.9 s counts as 55), subtracted, then the 2 s floor applies.
 */
export function stopGraceAfterPreStop(graceSeconds: number, preStopElapsedMs: number): number {
  const left = graceSeconds - Math.trunc(preStopElapsedMs / 1000);
  return Math.max(left, MIN_STOP_GRACE_SECONDS);
}
