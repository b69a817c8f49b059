import type { CoreEvent, Pod, PodStatus } from '../api/types.js';

/**
 * Desired and observed state shared by the API server and the engine, like
 * etcd behind the API server. Synchronous: both implementations (memory,
 * SQLite via better-sqlite3) are in-process and transactional.
 *
 * Every write bumps a store-wide, monotonically increasing resourceVersion
 * and is delivered to watchers in that order.
 *
 * Objects returned by any method are the caller's own copies: changing them
 * changes nothing in the store. Objects in watch events are shared: see
 * watchPods.
 */

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent<T> {
  type: WatchType;
  /** Shared by every watcher that receives this change live: read-only (copy before changing it). */
  object: T;
  resourceVersion: number;
}

/** hooklet's own record of one lifecycle moment (see README "Timeline"). */
export interface TimelineEntry {
  kind: 'TimelineEntry';
  /** RFC 3339 with milliseconds or finer. */
  time: string;
  /** Epoch milliseconds (fractional allowed), for arithmetic. */
  timeMs: number;
  namespace: string;
  pod: string;
  podUid: string;
  container?: string;
  what: string;
  detail?: string;
}

export interface DeleteOutcome {
  /** The pod after the call: terminating (still present) or gone. */
  pod: Pod;
  /** True when the object was removed now (grace 0, unscheduled, finished, or force). */
  removed: boolean;
}

export class StoreError extends Error {
  constructor(
    readonly reason: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone' | 'Invalid',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface ExpireOutcome {
  events: number;
  /** Pod incarnations (uids) whose timeline was dropped. */
  podTimelines: number;
}

export interface PodStore {
  /** Inserts a new pod (already defaulted and validated); assigns uid, creationTimestamp, resourceVersion. */
  createPod(pod: Pod): Pod;
  getPod(namespace: string, name: string): Pod | undefined;
  listPods(namespace?: string): { items: Pod[]; resourceVersion: number };
  /** Replaces spec/metadata (not status). Throws Conflict when `expectedRV` differs. */
  updatePod(pod: Pod, expectedRV?: string): Pod;
  /** Replaces status only; ignored (returns undefined) if the pod is gone or its uid changed. */
  updatePodStatus(namespace: string, name: string, uid: string, status: PodStatus): Pod | undefined;
  /**
   * Graceful delete as the API server does it (R4.1): sets deletionTimestamp
   * and deletionGracePeriodSeconds, honours a strictly shorter second delete,
   * removes at once when the period is 0.
   */
  deletePod(namespace: string, name: string, gracePeriodSeconds?: number, now?: Date): DeleteOutcome;
  /** Final removal once the kubelet has finished (its status manager's grace-0 delete). */
  removePod(namespace: string, name: string, uid: string): Pod | undefined;
  /**
   * Calls `onEvent` for every change after `fromResourceVersion` (replayed
   * before this returns; undefined: from now on), then for each new one, in
   * resourceVersion order.
   * The object of a live event is one object shared by all watchers of that
   * change, so a watcher must not change it (copy first); doing so cannot
   * reach the store, later events or replays, only the other watchers of the
   * same change. A replayed event's object is the watcher's own.
   */
  watchPods(fromResourceVersion: number | undefined, onEvent: (e: WatchEvent<Pod>) => void): () => void;

  /**
   * Records an event. An event with the same involved object, reason, message,
   * type and source within the de-duplication window increments `count` and
   * moves `lastTimestamp` instead of creating a new object.
   */
  recordEvent(event: CoreEvent): CoreEvent;
  listEvents(namespace?: string): { items: CoreEvent[]; resourceVersion: number };
  /** As watchPods: live event objects are shared and read-only. */
  watchEvents(fromResourceVersion: number | undefined, onEvent: (e: WatchEvent<CoreEvent>) => void): () => void;

  appendTimeline(entry: TimelineEntry): void;
  listTimeline(namespace: string, pod: string, podUid?: string): TimelineEntry[];

  /**
   * Forgets what has outlived its retention, so a long-lived store stays
   * bounded: events past their TTL after their last occurrence (watchers see
   * them DELETED, as the API server's --event-ttl does), and the timelines
   * of pods gone longer than the timeline retention.
   */
  expire(): ExpireOutcome;

  close(): void;
}
