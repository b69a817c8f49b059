import type { ObjectKind, ObjectRow, StoreBackend, TimelineKeys } from './store-backend.js';
import type { Change } from './watch-hub.js';

interface TimelineRow {
  timeMs: number;
  seq: number;
  podUid: string;
  json: string;
}

/**
 * Plain maps for the one-shot run and engine tests. Replay lives only in the
 * watch hub's window, so nothing is recorded here for it. Transactions keep
 * an undo log so a throwing write leaves no trace, as in SQLite.
 */
export class MemoryBackend implements StoreBackend {
  private rv = 0;
  private readonly objects = new Map<ObjectKind, Map<string, ObjectRow>>([
    ['Pod', new Map()],
    ['Event', new Map()],
  ]);
  private readonly eventsByDedupKey = new Map<string, string>();
  private readonly timeline = new Map<string, TimelineRow[]>();
  private timelineSeq = 0;
  private undo: (() => void)[] | undefined;

  currentRV(): number {
    return this.rv;
  }

  getObject(kind: ObjectKind, namespace: string, name: string): string | undefined {
    return this.table(kind).get(objectKey(namespace, name))?.json;
  }

  listObjects(kind: ObjectKind, namespace?: string): string[] {
    const rows = [...this.table(kind).values()].filter((r) => namespace === undefined || r.namespace === namespace);
    rows.sort((a, b) => compare(a.namespace, b.namespace) || compare(a.name, b.name));
    return rows.map((r) => r.json);
  }

  findEvent(dedupKey: string): string | undefined {
    const key = this.eventsByDedupKey.get(dedupKey);
    return key === undefined ? undefined : this.table('Event').get(key)?.json;
  }

  transaction<R>(fn: () => R): R {
    if (this.undo) return fn();
    const undo: (() => void)[] = [];
    this.undo = undo;
    try {
      return fn();
    } catch (err) {
      for (const step of undo.reverse()) step();
      throw err;
    } finally {
      this.undo = undefined;
    }
  }

  putObject(kind: ObjectKind, row: ObjectRow): void {
    const table = this.table(kind);
    const key = objectKey(row.namespace, row.name);
    const before = table.get(key);
    this.remember(() => this.restore(kind, key, before));
    if (before?.dedupKey !== undefined) this.eventsByDedupKey.delete(before.dedupKey);
    table.set(key, { ...row });
    if (row.dedupKey !== undefined) this.eventsByDedupKey.set(row.dedupKey, key);
  }

  deleteObject(kind: ObjectKind, namespace: string, name: string): void {
    const key = objectKey(namespace, name);
    const before = this.table(kind).get(key);
    if (!before) return;
    this.remember(() => this.restore(kind, key, before));
    this.table(kind).delete(key);
    if (before.dedupKey !== undefined) this.eventsByDedupKey.delete(before.dedupKey);
  }

  setRV(resourceVersion: number): void {
    const before = this.rv;
    this.remember(() => {
      this.rv = before;
    });
    this.rv = resourceVersion;
  }

  recordChange(_kind: ObjectKind, _change: Change, _evictedRV: number | undefined): void {
    // The hub's in-memory window is the only replay source; nothing outlives the process.
  }

  replayState(_kind: ObjectKind): { floor: number; changes: Change[] } {
    return { floor: 0, changes: [] };
  }

  appendTimeline(keys: TimelineKeys, json: string): void {
    const key = objectKey(keys.namespace, keys.pod);
    let rows = this.timeline.get(key);
    if (!rows) this.timeline.set(key, (rows = []));
    rows.push({ timeMs: keys.timeMs, seq: this.timelineSeq++, podUid: keys.podUid, json });
  }

  listTimeline(namespace: string, pod: string, podUid?: string): string[] {
    const rows = (this.timeline.get(objectKey(namespace, pod)) ?? []).filter(
      (r) => podUid === undefined || r.podUid === podUid,
    );
    rows.sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
    return rows.map((r) => r.json);
  }

  pruneTimeline(beforeMs: number): number {
    const current = new Set([...this.table('Pod').values()].map((r) => r.uid));
    const latest = new Map<string, number>();
    for (const rows of this.timeline.values()) {
      for (const r of rows) latest.set(r.podUid, Math.max(latest.get(r.podUid) ?? -Infinity, r.timeMs));
    }
    const doomed = new Set([...latest].filter(([uid, t]) => t < beforeMs && !current.has(uid)).map(([uid]) => uid));
    if (doomed.size === 0) return 0;
    for (const [key, rows] of this.timeline) {
      const kept = rows.filter((r) => !doomed.has(r.podUid));
      if (kept.length === 0) this.timeline.delete(key);
      else if (kept.length !== rows.length) this.timeline.set(key, kept);
    }
    return doomed.size;
  }

  close(): void {
    // Nothing to release.
  }

  private table(kind: ObjectKind): Map<string, ObjectRow> {
    return this.objects.get(kind)!;
  }

  private remember(step: () => void): void {
    this.undo?.push(step);
  }

  private restore(kind: ObjectKind, key: string, row: ObjectRow | undefined): void {
    const table = this.table(kind);
    const now = table.get(key);
    if (now?.dedupKey !== undefined) this.eventsByDedupKey.delete(now.dedupKey);
    if (row) {
      table.set(key, row);
      if (row.dedupKey !== undefined) this.eventsByDedupKey.set(row.dedupKey, key);
    } else {
      table.delete(key);
    }
  }
}

function objectKey(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}

/** Code-unit order: etcd key order for the ASCII names Kubernetes allows (localeCompare is not). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
