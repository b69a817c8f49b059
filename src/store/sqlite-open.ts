import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { HOOKLET_APPLICATION_ID, migrate, SCHEMA_VERSION } from './sqlite-schema.js';
import { StoreOpenError } from './store-open-error.js';

/**
 * better-sqlite3's addon, where its install builds or downloads it. Named
 * directly because its default lookup (the `bindings` package) probes a
 * dozen paths first, a few ms of the daemon's cold start; absent, that
 * lookup still runs.
 */
const ADDON_PATH = ((): string | undefined => {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return undefined;
  }
})();

/**
 * Opens (or creates) a hooklet database and checks that it is one, intact and
 * of a schema this build understands. Every failure is a StoreOpenError; the
 * connection is closed before throwing.
 */
export function openHookletDatabase(path: string): Database.Database {
  let db: Database.Database;
  try {
    // A short busy timeout: the only other holder would be a second daemon, which is an error, not a wait.
    db = new Database(path, { timeout: 1000, ...(ADDON_PATH ? { nativeBinding: ADDON_PATH } : {}) });
  } catch (err) {
    throw new StoreOpenError('CannotOpen', path, errorText(err), { cause: err });
  }
  try {
    configure(db);
    checkAndMigrate(db, path);
    return db;
  } catch (err) {
    db.close();
    throw toOpenError(err, path);
  }
}

function configure(db: Database.Database): void {
  // One process owns the store. Exclusive locking must precede WAL so no
  // shared-memory index is needed, and a second daemon fails fast (SQLITE_BUSY).
  db.pragma('locking_mode = EXCLUSIVE');
  // WAL: a commit is one append to the log. synchronous=NORMAL does not fsync
  // at each commit, only at checkpoints: a committed transaction is in the OS
  // page cache once COMMIT returns, so a daemon SIGKILL or crash loses nothing
  // and never leaves a half-written row (the WAL frame checksums discard a torn
  // tail). Only an OS crash or power loss can roll back the last few
  // transactions, and even then the file stays consistent. FULL would fsync
  // every write (milliseconds each) for a guarantee the daemon does not need.
  const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
  if (mode !== 'wal') throw new Error(`could not enable WAL journaling (got "${mode}")`);
  db.pragma('synchronous = NORMAL');
  // Take the exclusive lock now rather than at the first write.
  db.exec('BEGIN IMMEDIATE; COMMIT');
}

function checkAndMigrate(db: Database.Database, path: string): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = db.prepare('SELECT count(*) FROM sqlite_master').pluck().get() as number;
  if (applicationId === 0 && version === 0 && tables === 0) {
    migrate(db, 0);
    return;
  }
  if (applicationId !== HOOKLET_APPLICATION_ID) {
    throw new StoreOpenError('ForeignDatabase', path, 'it is an SQLite database, but not a hooklet store');
  }
  if (version > SCHEMA_VERSION) {
    throw new StoreOpenError(
      'NewerSchema',
      path,
      `its schema version ${version} is newer than this hooklet understands (${SCHEMA_VERSION}); upgrade hooklet`,
    );
  }
  const check = db.pragma('quick_check', { simple: true }) as string;
  if (check !== 'ok') throw new StoreOpenError('Corrupt', path, `integrity check failed: ${check}`);
  if (version < SCHEMA_VERSION) migrate(db, version);
}

function toOpenError(err: unknown, path: string): StoreOpenError {
  if (err instanceof StoreOpenError) return err;
  const code = (err as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB') {
    return new StoreOpenError('NotADatabase', path, 'the file is not an SQLite database', { cause: err });
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')) {
    return new StoreOpenError('Corrupt', path, `the database is damaged (${errorText(err)})`, { cause: err });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StoreOpenError('Locked', path, 'it is in use by another process (is another hooklet daemon running?)', {
      cause: err,
    });
  }
  return new StoreOpenError('CannotOpen', path, errorText(err), { cause: err });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
