import type { Clock } from '../clock/clock.js';
import { BackedPodStore, type StoreOptions } from './backed-pod-store.js';
import { SqliteBackend } from './sqlite-backend.js';

/**
 * The daemon's durable store: one SQLite file (WAL) that survives SIGKILL
 * with every committed write. Throws StoreOpenError when the file is not a
 * usable hooklet database. One process at a time may hold it.
 */
export class SqliteStore extends BackedPodStore {
  constructor(path: string, clock: Clock, options: StoreOptions = {}) {
    super(new SqliteBackend(path), clock, { keepPodsParsed: false, ...options });
  }
}
