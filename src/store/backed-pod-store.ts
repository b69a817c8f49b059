import { randomUUID } from 'node:crypto';
import type { CoreEvent, Pod, PodStatus } from '../api/types.js';
import type { Clock } from '../clock/clock.js';
import { CurrentPods } from './current-pods.js';
import { eventDedupKey, mergeDuplicateEvent } from './event-dedup.js';
import { eventName } from './event-name.js';
import { decideGracefulDelete } from './graceful-delete.js';
import { jsonClone } from './json-clone.js';
import { jsonEqual } from './json-equal.js';
import {
  StoreError,
  type DeleteOutcome,
  type ExpireOutcome,
  type PodStore,
  type TimelineEntry,
  type WatchEvent,
  type WatchType,
} from './pod-store.js';
import { parseRfc3339, rfc3339Seconds } from '../api/rfc3339.js';
import type { ObjectKind, StoreBackend } from './store-backend.js';
import { WatchHub } from './watch-hub.js';

export interface StoreOptions {
  /** Changes of each kind kept for watch replay; older fromRVs get 410 Gone. Default 1000. */
  replayWindow?: number;
  /** Told when a watcher callback throws (the store and other watchers carry on). Default: console.error. */
  onWatcherError?: (err: unknown) => void;
  /**
   * Keep the latest version of each pod parsed, so a status write parses
   * nothing; it costs about 3.5 kB of heap per pod. Default true. SqliteStore
   * defaults it to false: the daemon's RSS is a target, and there the SQLite
   * commit outweighs the parse it would save.
   */
  keepPodsParsed?: boolean;
  /** How long an event lives after its last occurrence (the API server's --event-ttl). Default 1 h. */
  eventTtlMs?: number;
  /** How long a deleted pod's timeline is kept after its last entry. Default 24 h. */
  timelineRetentionMs?: number;
}

export const DEFAULT_REPLAY_WINDOW = 1000;
export const DEFAULT_EVENT_TTL_MS = 60 * 60 * 1000;
export const DEFAULT_TIMELINE_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * The PodStore semantics, once, over a StoreBackend: the API server's create,
 * update and graceful-delete rules, event correlation, and watch.
 *
 * Watch note: `fromResourceVersion` 0 here means "replay everything after 0"
 * (410 Gone once the window has moved on). Kubernetes' "0 = any: synthetic
 * ADDED for the current state, then live" is the HTTP layer's to build from
 * listPods + watchPods(list.resourceVersion).
 *
 * Cost note: the engine writes each pod's status several times per start and
 * stop. Objects are serialised once per write; the latest version of each pod
 * is kept (CurrentPods) for the store's own read-modify-writes; live watchers
 * share one copy per change; callers get their own copy; and copies are walks
 * of plain data (jsonClone), not parses.
 */
export class BackedPodStore implements PodStore {
  private readonly podHub: WatchHub<Pod>;
  private readonly eventHub: WatchHub<CoreEvent>;
  private readonly current: CurrentPods;
  private readonly eventTtlMs: number;
  private readonly timelineRetentionMs: number;
  private closed = false;

  constructor(
    private readonly backend: StoreBackend,
    private readonly clock: Clock,
    options: StoreOptions = {},
  ) {
    this.current = new CurrentPods(options.keepPodsParsed ?? true);
    this.eventTtlMs = options.eventTtlMs ?? DEFAULT_EVENT_TTL_MS;
    this.timelineRetentionMs = options.timelineRetentionMs ?? DEFAULT_TIMELINE_RETENTION_MS;
    const capacity = options.replayWindow ?? DEFAULT_REPLAY_WINDOW;
    const onWatcherError =
      options.onWatcherError ?? ((err: unknown) => console.error('hooklet store: a watcher callback threw:', err));
    const pods = backend.replayState('Pod');
    const events = backend.replayState('Event');
    this.podHub = new WatchHub<Pod>({ capacity, floor: pods.floor, seed: pods.changes, onWatcherError });
    this.eventHub = new WatchHub<CoreEvent>({ capacity, floor: events.floor, seed: events.changes, onWatcherError });
  }

  createPod(pod: Pod): Pod {
    const next = jsonClone(pod);
    const namespace = next.metadata.namespace || 'default';
    const name = next.metadata.name || this.generatedName(namespace, next.metadata.generateName);
    if (this.backend.getObject('Pod', namespace, name) !== undefined) {
      throw new StoreError('AlreadyExists', `pods "${name}" already exists`);
    }
    const nowMs = this.clock.now();
    // System fields are the server's: whatever the client sent is replaced.
    const { deletionTimestamp: _ts, deletionGracePeriodSeconds: _grace, ...metadata } = next.metadata;
    next.metadata = {
      ...metadata,
      name,
      namespace,
      uid: randomUUID(),
      creationTimestamp: rfc3339Seconds(nowMs),
      generation: 1,
    };
    return this.writePod('ADDED', next);
  }

  getPod(namespace: string, name: string): Pod | undefined {
    return this.currentPod(namespace, name) === undefined ? undefined : this.current.copy(namespace, name);
  }

  listPods(namespace?: string): { items: Pod[]; resourceVersion: number } {
    const items = this.backend.listObjects('Pod', namespace).map((json) => JSON.parse(json) as Pod);
    return { items, resourceVersion: this.backend.currentRV() };
  }

  updatePod(pod: Pod, expectedRV?: string): Pod {
    const namespace = pod.metadata.namespace || 'default';
    const name = pod.metadata.name ?? '';
    const current = this.mustGetPod(namespace, name);
    if (expectedRV !== undefined && expectedRV !== '' && expectedRV !== current.metadata.resourceVersion) {
      throw conflict(name);
    }
    const uid = pod.metadata.uid;
    if (uid && uid !== current.metadata.uid) {
      throw new StoreError('Invalid', `metadata.uid: Invalid value: "${uid}": field is immutable`);
    }
    const cur = current.metadata;
    const specChanged = !jsonEqual(jsonClone(pod.spec), current.spec);
    const next = jsonClone<Pod>({
      ...pod,
      metadata: {
        ...pod.metadata,
        namespace,
        name,
        uid: cur.uid,
        creationTimestamp: cur.creationTimestamp,
        // An update can never set, move or clear the deletion fields (rest.BeforeUpdate).
        deletionTimestamp: cur.deletionTimestamp,
        deletionGracePeriodSeconds: cur.deletionGracePeriodSeconds,
        generation: specChanged ? (cur.generation ?? 0) + 1 : cur.generation,
        resourceVersion: cur.resourceVersion,
      },
      status: current.status,
    });
    // Like etcd3's GuaranteedUpdate: identical bytes are not written and keep their resourceVersion.
    if (jsonEqual(next, current)) return jsonClone(current);
    return this.writePod('MODIFIED', next);
  }

  updatePodStatus(namespace: string, name: string, uid: string, status: PodStatus): Pod | undefined {
    const current = this.currentPod(namespace, name);
    if (!current || current.metadata.uid !== uid) return undefined;
    const next: Pod = { ...current, status: jsonClone(status) };
    if (jsonEqual(next.status, current.status)) return jsonClone(current);
    return this.writePod('MODIFIED', next);
  }

  deletePod(namespace: string, name: string, gracePeriodSeconds?: number, now?: Date): DeleteOutcome {
    const current = this.mustGetPod(namespace, name);
    const decision = decideGracefulDelete(current, gracePeriodSeconds, now?.getTime() ?? this.clock.now());
    switch (decision.action) {
      case 'ignore':
        return { pod: jsonClone(current), removed: false };
      case 'terminate': {
        // rest.BeforeDelete bumps a set generation on the first graceful delete.
        const generation = current.metadata.generation ?? 0;
        const next: Pod = {
          ...current,
          metadata: {
            ...current.metadata,
            deletionTimestamp: decision.deletionTimestamp,
            deletionGracePeriodSeconds: decision.deletionGracePeriodSeconds,
            ...(decision.first && generation > 0 ? { generation: generation + 1 } : {}),
          },
        };
        return { pod: this.writePod('MODIFIED', next), removed: false };
      }
      case 'remove': {
        const { deletionTimestamp, deletionGracePeriodSeconds } = decision;
        const last: Pod =
          deletionTimestamp === undefined
            ? current
            : { ...current, metadata: { ...current.metadata, deletionTimestamp, deletionGracePeriodSeconds } };
        return { pod: this.writePod('DELETED', last), removed: true };
      }
    }
  }

  removePod(namespace: string, name: string, uid: string): Pod | undefined {
    const current = this.currentPod(namespace, name);
    if (!current || current.metadata.uid !== uid) return undefined;
    return this.writePod('DELETED', current);
  }

  watchPods(fromResourceVersion: number | undefined, onEvent: (e: WatchEvent<Pod>) => void): () => void {
    return this.podHub.watch(fromResourceVersion, this.backend.currentRV(), onEvent);
  }

  recordEvent(event: CoreEvent): CoreEvent {
    const incoming = jsonClone(event);
    const namespace = incoming.metadata?.namespace || incoming.involvedObject.namespace || 'default';
    const nowMs = this.clock.now();
    const dedupKey = eventDedupKey(incoming);
    const previousJson = this.backend.findEvent(dedupKey);
    const previous = previousJson === undefined ? undefined : (JSON.parse(previousJson) as CoreEvent);
    if (previous && previous.metadata.namespace === namespace) {
      const lastTimestamp = normaliseSeconds(incoming.lastTimestamp, nowMs);
      return this.writeEvent('MODIFIED', mergeDuplicateEvent(previous, incoming, lastTimestamp), dedupKey);
    }
    const name = incoming.metadata?.name || this.uniqueEventName(namespace, incoming.involvedObject.name ?? '', nowMs);
    if (this.backend.getObject('Event', namespace, name) !== undefined) {
      throw new StoreError('AlreadyExists', `events "${name}" already exists`);
    }
    const firstTimestamp = normaliseSeconds(incoming.firstTimestamp, nowMs);
    const next: CoreEvent = {
      ...incoming,
      metadata: {
        ...incoming.metadata,
        name,
        namespace,
        uid: randomUUID(),
        creationTimestamp: rfc3339Seconds(nowMs),
      },
      count: incoming.count ?? 1,
      firstTimestamp,
      lastTimestamp: normaliseSeconds(incoming.lastTimestamp, parseRfc3339(firstTimestamp) ?? nowMs),
    };
    return this.writeEvent('ADDED', next, dedupKey);
  }

  listEvents(namespace?: string): { items: CoreEvent[]; resourceVersion: number } {
    const items = this.backend.listObjects('Event', namespace).map((json) => JSON.parse(json) as CoreEvent);
    return { items, resourceVersion: this.backend.currentRV() };
  }

  watchEvents(fromResourceVersion: number | undefined, onEvent: (e: WatchEvent<CoreEvent>) => void): () => void {
    return this.eventHub.watch(fromResourceVersion, this.backend.currentRV(), onEvent);
  }

  appendTimeline(entry: TimelineEntry): void {
    // One serialisation is the copy; the backend indexes the few fields it sorts and filters on.
    const json = JSON.stringify(entry);
    this.backend.appendTimeline(
      { namespace: entry.namespace, pod: entry.pod, podUid: entry.podUid, timeMs: jsonNumber(entry.timeMs) },
      json,
    );
  }

  listTimeline(namespace: string, pod: string, podUid?: string): TimelineEntry[] {
    return this.backend.listTimeline(namespace, pod, podUid).map((json) => JSON.parse(json) as TimelineEntry);
  }

  expire(): ExpireOutcome {
    const nowMs = this.clock.now();
    let events = 0;
    for (const json of this.backend.listObjects('Event')) {
      const ev = JSON.parse(json) as CoreEvent;
      const last = parseRfc3339(ev.lastTimestamp ?? ev.eventTime ?? ev.metadata.creationTimestamp ?? '');
      if (last === undefined || nowMs - last < this.eventTtlMs) continue;
      // As an expired lease in etcd: watchers see it DELETED.
      this.write('Event', this.eventHub, 'DELETED', ev);
      events++;
    }
    const podTimelines = this.backend.pruneTimeline(nowMs - this.timelineRetentionMs);
    return { events, podTimelines };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.current.clear();
    this.podHub.closeAll();
    this.eventHub.closeAll();
    this.backend.close();
  }

  /** The latest version of a pod, never to be handed out or changed; the backend is read only the first time. */
  private currentPod(namespace: string, name: string): Pod | undefined {
    const kept = this.current.get(namespace, name);
    if (kept) return kept;
    const json = this.backend.getObject('Pod', namespace, name);
    if (json === undefined) return undefined;
    const pod = JSON.parse(json) as Pod;
    this.current.set(namespace, name, pod, json);
    return pod;
  }

  private mustGetPod(namespace: string, name: string): Pod {
    const pod = this.currentPod(namespace, name);
    if (!pod) throw new StoreError('NotFound', `pods "${name}" not found`);
    return pod;
  }

  /**
   * `pod` must be made of clones and members of the current version only: it
   * becomes the new current version (see CurrentPods.set).
   */
  private writePod(type: WatchType, pod: Pod): Pod {
    return jsonClone(this.write('Pod', this.podHub, type, pod));
  }

  private writeEvent(type: WatchType, event: CoreEvent, dedupKey: string): CoreEvent {
    return jsonClone(this.write('Event', this.eventHub, type, event, dedupKey));
  }

  /**
   * One write = one transaction: the object (or its removal), the replay copy
   * and the counter bump land together. Watchers hear of it only after commit
   * (and after CurrentPods, so a watcher that reads or writes back sees it).
   * Returns the object as stored, which the caller must not hand out.
   */
  private write<T extends Pod | CoreEvent>(
    kind: ObjectKind,
    hub: WatchHub<T>,
    type: WatchType,
    object: T,
    dedupKey?: string,
  ): T {
    const written = this.backend.transaction(() => {
      const resourceVersion = this.backend.currentRV() + 1;
      const meta = { ...object.metadata, resourceVersion: String(resourceVersion) };
      const stored = { ...object, metadata: meta };
      const json = JSON.stringify(stored);
      const namespace = meta.namespace ?? 'default';
      const name = meta.name ?? '';
      if (type === 'DELETED') {
        this.backend.deleteObject(kind, namespace, name);
      } else {
        this.backend.putObject(kind, { namespace, name, uid: meta.uid ?? '', resourceVersion, dedupKey, json });
      }
      const change = { resourceVersion, type, json };
      this.backend.recordChange(kind, change, hub.nextEviction()?.resourceVersion);
      this.backend.setRV(resourceVersion);
      return { stored, namespace, name, change };
    });
    const { stored, namespace, name, change } = written;
    if (kind === 'Pod') {
      if (type === 'DELETED') this.current.delete(namespace, name);
      else this.current.set(namespace, name, stored as Pod, change.json);
    }
    hub.publish(change, stored);
    return stored;
  }

  /** The API server's generateName: the prefix plus 5 random characters from its alphabet. */
  private generatedName(namespace: string, prefix: string | undefined): string {
    if (!prefix) {
      throw new StoreError('Invalid', 'metadata.name: Required value: name or generateName is required');
    }
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    for (;;) {
      let suffix = '';
      for (let i = 0; i < 5; i++) suffix += alphabet[Math.floor(Math.random() * alphabet.length)];
      const name = `${prefix}${suffix}`;
      if (this.backend.getObject('Pod', namespace, name) === undefined) return name;
    }
  }

  private uniqueEventName(namespace: string, involvedName: string, nowMs: number): string {
    for (let bump = 0; ; bump++) {
      const name = eventName(involvedName, nowMs, bump);
      if (this.backend.getObject('Event', namespace, name) === undefined) return name;
    }
  }
}

function conflict(name: string): StoreError {
  return new StoreError(
    'Conflict',
    `Operation cannot be fulfilled on pods "${name}": the object has been modified; please apply your changes to the latest version and try again`,
  );
}

/** What a number reads back as from the stored JSON: NaN and ±Infinity become null, as a clone made them. */
function jsonNumber(value: number): number {
  return typeof value === 'number' && !Number.isFinite(value) ? (null as unknown as number) : value;
}

/** A caller's metav1.Time re-rendered at seconds precision, or `fallbackMs` when absent or unparseable. */
function normaliseSeconds(value: string | undefined, fallbackMs: number): string {
  return rfc3339Seconds(parseRfc3339(value) ?? fallbackMs);
}
