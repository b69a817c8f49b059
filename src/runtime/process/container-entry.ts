import type { ContainerConfig, ContainerStatus } from '../container-runtime.js';
import { signalName } from './signals.js';
import type { ClaimRecord, ExitRecord, StartedRecord, StoredContainer } from './state-dir.js';

/** What the agent knows of one container: its files on disk, plus waiters. */
export interface Entry {
  stored: StoredContainer;
  started?: StartedRecord;
  claim?: ClaimRecord;
  exit?: ExitRecord;
  /** Why no shim follows it any more (killed shim, unreadable file); cleared once an exit is recorded. */
  lost?: string;
  starting?: Promise<void>;
  exited: { promise: Promise<void>; resolve: () => void };
  unwatch?: () => void;
  /** inotify reported exit.json (it may have come before `started` was known). */
  exitSeen?: boolean;
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
    podName: stored.config.podName,
    podNamespace: stored.config.podNamespace,
    attempt: stored.config.attempt,
    state,
    pid: state === 'running' ? started?.pid : undefined,
    createdAt: stored.createdAt,
    // A process that failed to exec never started, although the shim had forked it.
    startedAt: exit?.startError === undefined ? started?.startedAt : undefined,
    finishedAt: exit?.finishedAt,
    exitCode: exit?.exitCode,
    signal: exit ? signalName(exit.signal ?? 0) : undefined,
    reason: exit ? reasonOf(exit) : undefined,
    message: exit?.startError ?? exit?.lost ?? (state === 'unknown' ? e.lost : undefined),
    logPath,
    stopSignal: stored.stopSignal,
  };
}

function reasonOf(exit: ExitRecord): string {
  if (exit.startError !== undefined) return 'StartError';
  if (exit.lost !== undefined) return 'ContainerStatusUnknown';
  return exit.exitCode === 0 ? 'Completed' : 'Error';
}
