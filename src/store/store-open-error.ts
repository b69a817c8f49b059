export type StoreOpenFailure =
  /** The file exists but is not an SQLite database at all. */
  | 'NotADatabase'
  /** An SQLite database, but not one hooklet created. */
  | 'ForeignDatabase'
  /** A hooklet database written by a newer hooklet (schema version above ours). */
  | 'NewerSchema'
  /** Damaged: the integrity check failed or SQLite reported corruption. */
  | 'Corrupt'
  /** Another process (a second daemon?) holds the database. */
  | 'Locked'
  /** The path cannot be opened (missing directory, permissions, …). */
  | 'CannotOpen';

/**
 * Opening a durable store failed for a reason a restart will not fix. The
 * daemon reports it and exits instead of retrying in a crash loop.
 */
export class StoreOpenError extends Error {
  constructor(
    readonly reason: StoreOpenFailure,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot open the hooklet store ${path}: ${message}`, options);
    this.name = 'StoreOpenError';
  }
}
