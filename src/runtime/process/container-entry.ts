import type { ContainerConfig, ContainerStatus } from '../container-runtime.js';
import { signalName } from './signals.js';
import type { ExitRecord, StartedRecord, StoredContainer } from './state-dir.js';

/** What the agent knows of one container: its files on disk, plus waiters. */
export interface Entry {
  stored: StoredContainer;
  started?: StartedRecord;
  exit?: ExitRecord;
  /** Why the state can no longer be followed (the shim died without recording an exit). */
  lost?: string;
  starting?: Promise<void>;
  exited: { promise: Promise<void>; resolve: () => void };
  unwatch?: () => void;
}

export function newEntry(stored: StoredContainer): Entry {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { stored, exited: { promise, resolve } };
}

export function labelOf(config: ContainerConfig): string {
  return `container ${JSON.stringify(config.name)} in pod ${JSON.stringify(config.podName)}`;
}

/** The CRI-shaped status of one container. */
export function statusOf(e: Entry, logPath: string): ContainerStatus {
  const { stored, started, exit } = e;
  const state = exit ? 'exited' : e.lost ? 'unknown' : started ? 'running' : 'created';
  return {
    id: stored.id,
    name: stored.config.name,
    podUid: stored.config.podUid,
    attempt: stored.config.attempt,
    state,
    pid: state === 'running' ? started?.pid : undefined,
    createdAt: stored.createdAt,
    startedAt: started?.startedAt,
    finishedAt: exit?.finishedAt,
    exitCode: exit?.exitCode,
    signal: exit ? signalName(exit.signal ?? 0) : undefined,
    reason: exit ? (exit.startError ? 'StartError' : exit.exitCode === 0 ? 'Completed' : 'Error') : undefined,
    logPath,
    stopSignal: stored.stopSignal,
  };
}

