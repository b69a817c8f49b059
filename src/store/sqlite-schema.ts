import type { Database } from 'better-sqlite3';

/** PRAGMA application_id of a hooklet store ("hklt"), so foreign SQLite files are recognised. */
export const HOOKLET_APPLICATION_ID = 0x686b6c74;

/** PRAGMA user_version of the schema below. Bump it and add a step to MIGRATIONS when the layout changes. */
export const SCHEMA_VERSION = 1;

/**
 * MIGRATIONS[v] takes a database at user_version v to v + 1. Objects are
 * kept as JSON beside the few columns that are looked up, so most API
 * changes need no migration at all.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
  INSERT INTO meta (key, value) VALUES ('rv', 0);

  -- Current objects. rowid table: rows hold whole JSON documents.
  CREATE TABLE objects (
    kind      TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    uid       TEXT NOT NULL,
    rv        INTEGER NOT NULL,
    dedup_key TEXT,
    json      TEXT NOT NULL,
    UNIQUE (kind, namespace, name)
  );
  CREATE INDEX objects_rv ON objects (rv);
  CREATE INDEX objects_dedup ON objects (kind, dedup_key) WHERE dedup_key IS NOT NULL;

  -- The watch replay window (bounded per kind), so watches resume across restarts.
  CREATE TABLE changes (
    rv   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    type TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX changes_kind_rv ON changes (kind, rv);

  CREATE TABLE timeline (
    seq      INTEGER PRIMARY KEY,
    namespace TEXT NOT NULL,
    pod      TEXT NOT NULL,
    pod_uid  TEXT NOT NULL,
    time_ms  REAL NOT NULL,
    json     TEXT NOT NULL
  );
  CREATE INDEX timeline_pod ON timeline (namespace, pod, time_ms, seq);
  `,
];

/** Brings a hooklet database (or a brand-new empty file) up to SCHEMA_VERSION, in one transaction. */
export function migrate(db: Database, fromVersion: number): void {
  db.transaction(() => {
    for (let v = fromVersion; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`application_id = ${HOOKLET_APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
