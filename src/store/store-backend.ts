import type { TimelineEntry } from './pod-store.js';
import type { Change } from './watch-hub.js';

export type ObjectKind = 'Pod' | 'Event';

/** The fields of a timeline entry a backend files it under (the entry itself travels as text). */
export type TimelineKeys = Pick<TimelineEntry, 'namespace' | 'pod' | 'podUid' | 'timeMs'>;

export interface ObjectRow {
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: number;
  /** Events only: the correlator key (event-dedup.ts). */
  dedupKey?: string;
  json: string;
}

/**
 * Where a store keeps its state. The semantics (R4.1, dedup, conflicts, watch)
 * live once in BackedPodStore; a backend only stores rows. Objects travel as
 * JSON text so that what is returned is always a fresh copy.
 */
export interface StoreBackend {
  /** Highest resourceVersion assigned so far (0 for a new store). */
  currentRV(): number;
  getObject(kind: ObjectKind, namespace: string, name: string): string | undefined;
  /** Ordered by namespace, then name (etcd key order). */
  listObjects(kind: ObjectKind, namespace?: string): string[];
  /** The newest event with this correlator key. */
  findEvent(dedupKey: string): string | undefined;

  /** Runs `fn` atomically: all of its writes land, or (when it throws) none do. */
  transaction<R>(fn: () => R): R;
  putObject(kind: ObjectKind, row: ObjectRow): void;
  deleteObject(kind: ObjectKind, namespace: string, name: string): void;
  setRV(resourceVersion: number): void;
  /**
   * Keeps the change for watch replay across restarts. `evictedRV`: the
   * change of this kind that just left the replay window; it and everything
   * older may be forgotten, and replay now starts above it.
   */
  recordChange(kind: ObjectKind, change: Change, evictedRV: number | undefined): void;
  /** What was kept for replay, oldest first, with the floor below which nothing can be replayed. */
  replayState(kind: ObjectKind): { floor: number; changes: Change[] };

  appendTimeline(keys: TimelineKeys, json: string): void;
  /** Ordered by time, then insertion. */
  listTimeline(namespace: string, pod: string, podUid?: string): string[];
  /**
   * Forgets whole pod incarnations: every entry of each pod uid whose latest
   * entry is older than `beforeMs` and that is no current Pod's uid. Returns
   * how many incarnations went.
   */
  pruneTimeline(beforeMs: number): number;

  close(): void;
}
