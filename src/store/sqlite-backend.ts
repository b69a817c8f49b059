import type { Database, Statement } from 'better-sqlite3';
import { openHookletDatabase } from './sqlite-open.js';
import type { ObjectKind, ObjectRow, StoreBackend, TimelineKeys } from './store-backend.js';
import type { Change } from './watch-hub.js';

/**
 * Rows in SQLite through prepared statements. Reads go to the database (its
 * page cache keeps them cheap); only the resourceVersion counter is mirrored
 * in memory, restored if a transaction rolls back.
 */
export class SqliteBackend implements StoreBackend {
  private readonly db: Database;
  private rv: number;
  private readonly runInTransaction: (fn: () => unknown) => unknown;
  private readonly sql: {
    get: Statement<[string, string, string], string>;
    listAll: Statement<[string], string>;
    listNamespace: Statement<[string, string], string>;
    findEvent: Statement<[string], string>;
    put: Statement<[string, string, string, string, number, string | null, string]>;
    delete: Statement<[string, string, string]>;
    setMeta: Statement<[string, number]>;
    getMeta: Statement<[string], number>;
    insertChange: Statement<[number, string, string, string]>;
    pruneChanges: Statement<[string, number]>;
    listChanges: Statement<[string], { rv: number; type: Change['type']; json: string }>;
    appendTimeline: Statement<[string, string, string, number, string]>;
    listTimeline: Statement<[string, string], string>;
    listTimelineUid: Statement<[string, string, string], string>;
    staleIncarnations: Statement<[number], string>;
    deleteIncarnations: Statement<[string]>;
  };

  constructor(path: string) {
    this.db = openHookletDatabase(path);
    const db = this.db;
    this.sql = {
      get: db.prepare<[string, string, string], string>(
        'SELECT json FROM objects WHERE kind = ? AND namespace = ? AND name = ?',
      ).pluck(),
      listAll: db.prepare<[string], string>('SELECT json FROM objects WHERE kind = ? ORDER BY namespace, name').pluck(),
      listNamespace: db.prepare<[string, string], string>(
        'SELECT json FROM objects WHERE kind = ? AND namespace = ? ORDER BY name',
      ).pluck(),
      findEvent: db.prepare<[string], string>(
        "SELECT json FROM objects WHERE kind = 'Event' AND dedup_key = ? ORDER BY rv DESC LIMIT 1",
      ).pluck(),
      put: db.prepare(
        `INSERT INTO objects (kind, namespace, name, uid, rv, dedup_key, json) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (kind, namespace, name) DO UPDATE
         SET uid = excluded.uid, rv = excluded.rv, dedup_key = excluded.dedup_key, json = excluded.json`,
      ),
      delete: db.prepare('DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      getMeta: db.prepare<[string], number>('SELECT value FROM meta WHERE key = ?').pluck(),
      insertChange: db.prepare('INSERT INTO changes (rv, kind, type, json) VALUES (?, ?, ?, ?)'),
      pruneChanges: db.prepare('DELETE FROM changes WHERE kind = ? AND rv <= ?'),
      listChanges: db.prepare<[string], { rv: number; type: Change['type']; json: string }>(
        'SELECT rv, type, json FROM changes WHERE kind = ? ORDER BY rv',
      ),
      appendTimeline: db.prepare(
        'INSERT INTO timeline (namespace, pod, pod_uid, time_ms, json) VALUES (?, ?, ?, ?, ?)',
      ),
      listTimeline: db.prepare<[string, string], string>(
        'SELECT json FROM timeline WHERE namespace = ? AND pod = ? ORDER BY time_ms, seq',
      ).pluck(),
      listTimelineUid: db.prepare<[string, string, string], string>(
        'SELECT json FROM timeline WHERE namespace = ? AND pod = ? AND pod_uid = ? ORDER BY time_ms, seq',
      ).pluck(),
      staleIncarnations: db.prepare<[number], string>(
        `SELECT pod_uid FROM timeline GROUP BY pod_uid HAVING max(time_ms) < ?
         EXCEPT SELECT uid FROM objects WHERE kind = 'Pod'`,
      ).pluck(),
      // One pass over the table for the whole batch (pod_uid has no index of its own).
      deleteIncarnations: db.prepare<[string]>('DELETE FROM timeline WHERE pod_uid IN (SELECT value FROM json_each(?))'),
    };
    this.rv = this.sql.getMeta.get('rv') ?? 0;
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());
  }

  currentRV(): number {
    return this.rv;
  }

  getObject(kind: ObjectKind, namespace: string, name: string): string | undefined {
    return this.sql.get.get(kind, namespace, name);
  }

  listObjects(kind: ObjectKind, namespace?: string): string[] {
    return namespace === undefined ? this.sql.listAll.all(kind) : this.sql.listNamespace.all(kind, namespace);
  }

  findEvent(dedupKey: string): string | undefined {
    return this.sql.findEvent.get(dedupKey);
  }

  transaction<R>(fn: () => R): R {
    const rvBefore = this.rv;
    try {
      return this.runInTransaction(fn) as R;
    } catch (err) {
      this.rv = rvBefore;
      throw err;
    }
  }

  putObject(kind: ObjectKind, row: ObjectRow): void {
    this.sql.put.run(kind, row.namespace, row.name, row.uid, row.resourceVersion, row.dedupKey ?? null, row.json);
  }

  deleteObject(kind: ObjectKind, namespace: string, name: string): void {
    this.sql.delete.run(kind, namespace, name);
  }

  setRV(resourceVersion: number): void {
    this.sql.setMeta.run('rv', resourceVersion);
    this.rv = resourceVersion;
  }

  recordChange(kind: ObjectKind, change: Change, evictedRV: number | undefined): void {
    this.sql.insertChange.run(change.resourceVersion, kind, change.type, change.json);
    if (evictedRV !== undefined) {
      // A range, not one row: it also clears rows left over from a larger window setting.
      this.sql.pruneChanges.run(kind, evictedRV);
      this.sql.setMeta.run(floorKey(kind), evictedRV);
    }
  }

  replayState(kind: ObjectKind): { floor: number; changes: Change[] } {
    const changes = this.sql.listChanges
      .all(kind)
      .map((r) => ({ resourceVersion: r.rv, type: r.type, json: r.json }));
    return { floor: this.sql.getMeta.get(floorKey(kind)) ?? 0, changes };
  }

  appendTimeline(keys: TimelineKeys, json: string): void {
    this.sql.appendTimeline.run(keys.namespace, keys.pod, keys.podUid, keys.timeMs, json);
  }

  listTimeline(namespace: string, pod: string, podUid?: string): string[] {
    return podUid === undefined
      ? this.sql.listTimeline.all(namespace, pod)
      : this.sql.listTimelineUid.all(namespace, pod, podUid);
  }

  pruneTimeline(beforeMs: number): number {
    return this.runInTransaction(() => {
      const uids = this.sql.staleIncarnations.all(beforeMs);
      if (uids.length > 0) this.sql.deleteIncarnations.run(JSON.stringify(uids));
      return uids.length;
    }) as number;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function floorKey(kind: ObjectKind): string {
  return `replay_floor:${kind}`;
}
