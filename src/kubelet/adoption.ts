import type { ContainerStatus } from '../runtime/container-runtime.js';
import type { TerminatedInfo } from './container-record.js';
import { ContainerReason } from './event-reasons.js';

export interface AdoptionPlan {
  /** The newest instance that ran: it becomes the container's current instance. */
  current?: ContainerStatus;
  /** The instance before it: lastState and `logs --previous`. */
  previous?: ContainerStatus;
  /** Older instances, and instances created but never started (nothing ran: start over). */
  discard: ContainerStatus[];
}

/** Which instances of one container a new agent keeps (the kubelet keeps the last dead one). */
export function planAdoption(instances: ContainerStatus[]): AdoptionPlan {
  const ran = instances.filter((c) => c.state !== 'created').sort((a, b) => a.attempt - b.attempt);
  const neverStarted = instances.filter((c) => c.state === 'created');
  return {
    ...(ran.length > 0 ? { current: ran.at(-1)! } : {}),
    ...(ran.length > 1 ? { previous: ran.at(-2)! } : {}),
    discard: [...ran.slice(0, -2), ...neverStarted],
  };
}

/** A runtime status of an exited instance as the status's `terminated`. */
export function terminatedOf(c: ContainerStatus, runtimeName: string): TerminatedInfo {
  const code = c.exitCode ?? 0;
  return {
    exitCode: code,
    ...(c.signal ? { signal: c.signal } : {}),
    reason: c.reason ?? (code === 0 ? ContainerReason.Completed : ContainerReason.Error),
    startedAt: c.startedAt ?? c.createdAt,
    finishedAt: c.finishedAt ?? c.startedAt ?? c.createdAt,
    containerID: `${runtimeName}://${c.id}`,
  };
}
