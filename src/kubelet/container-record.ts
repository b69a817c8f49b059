import type { Container } from '../api/types.js';

/** How a container instance ended, as the status's `terminated` shows it. */
export interface TerminatedInfo {
  exitCode: number;
  signal?: NodeJS.Signals;
  reason: string;
  message?: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

export type ContainerKind = 'init' | 'sidecar' | 'main';

/**
 * The engine's memory of one container of a pod across its restarts: the
 * current runtime instance, the previous one (kept for `logs --previous`),
 * and what the status should say.
 */
export interface ContainerRecord {
  name: string;
  kind: ContainerKind;
  spec: Container;
  /** Runtime id of the current instance, once created. */
  id?: string;
  /** Runtime id of the instance before it (not yet removed). */
  previousId?: string;
  restartCount: number;
  /**
   * waiting: never started or between instances; starting: process started,
   * postStart in flight; running; exited.
   */
  phase: 'waiting' | 'starting' | 'running' | 'exited';
  waitingReason?: string;
  waitingMessage?: string;
  startedAt?: number;
  /** The current instance's end, once exited. */
  terminated?: TerminatedInfo;
  /** The previous instance's end (lastState). */
  lastTerminated?: TerminatedInfo;
  /** A kill is in progress (preStop or stop window). */
  stopping: boolean;
  /** JSON of the spec the current instance was started from (definition-change detection). */
  startedSpecJson?: string;
  stopSignal: NodeJS.Signals;
  /** A liveness or startup probe failed: kill and restart (R7.2). */
  probeFailure?: 'LivenessProbe' | 'StartupProbe';
  /** From the startup probe, when there is one (status `started`). */
  probeStarted?: boolean;
  /** From the startup and readiness probes, when there are any (status `ready`). */
  probeReady?: boolean;
}

export function newRecord(spec: Container, kind: ContainerKind): ContainerRecord {
  return { name: spec.name, kind, spec, restartCount: 0, phase: 'waiting', waitingReason: 'ContainerCreating', stopping: false, stopSignal: 'SIGTERM' };
}

export function isRunning(r: ContainerRecord): boolean {
  return r.phase === 'running' || r.phase === 'starting';
}
