import type { ContainerConfig, ContainerStatus } from '../container-runtime.js';
import type { FakeLogRecord } from './fake-log.js';

/** One fake container: its state, log, and the timers its script has pending. */
export interface FakeContainer {
  id: string;
  config: ContainerConfig;
  /** `unknown`: a running container the runtime lost track of (see FakeRuntime.lose). */
  state: 'created' | 'running' | 'unknown' | 'exited';
  pid?: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  signal?: NodeJS.Signals;
  reason?: string;
  message?: string;
  logs: FakeLogRecord[];
  logWaiters: Set<() => void>;
  timers: Set<() => void>;
  gracefulExitPlanned: boolean;
  exited: { promise: Promise<void>; resolve: () => void };
}

export function newFakeContainer(id: string, config: ContainerConfig, now: number): FakeContainer {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return {
    id,
    config,
    state: 'created',
    createdAt: now,
    logs: [],
    logWaiters: new Set(),
    timers: new Set(),
    gracefulExitPlanned: false,
    exited: { promise, resolve },
  };
}

export function fakeStatus(c: FakeContainer): ContainerStatus {
  return {
    id: c.id,
    name: c.config.name,
    podUid: c.config.podUid,
    podName: c.config.podName,
    podNamespace: c.config.podNamespace,
    attempt: c.config.attempt,
    state: c.state,
    pid: c.state === 'running' ? c.pid : undefined,
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    finishedAt: c.finishedAt,
    exitCode: c.exitCode,
    signal: c.signal,
    reason: c.reason,
    message: c.message,
    stopSignal: c.config.stopSignal ?? 'SIGTERM',
  };
}

/** Running, or running but lost track of: its process may still take signals. */
export function alive(c: FakeContainer): boolean {
  return c.state === 'running' || c.state === 'unknown';
}
