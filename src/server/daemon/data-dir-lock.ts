import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { createServer } from 'node:net';

/** Held while a daemon serves a data directory; released by `release()` or by the process dying. */
export interface DataDirLock {
  release(): Promise<void>;
}

/** Another daemon holds the data directory. Worded as the store's own lock error, which stays the backstop. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(`cannot serve ${dataDir}: it is in use by another process (is another hooklet daemon running?)`);
    this.name = 'DataDirLockedError';
  }
}

/**
 * Takes the data directory for this process, in well under a millisecond and
 * before anything in it is written, so the SQLite store (the ~30 ms that
 * loading better-sqlite3 and opening the database cost) can open while the
 * client is already reading the kubeconfig.
 *
 * The lock is a Linux abstract Unix socket named after the directory's real
 * path: binding it is exclusive, it has no file to leave behind, and the
 * kernel frees it when the holder dies, SIGKILL included — so a crash never
 * leaves a stale lock to guess about (pid files would), and containers, which
 * never inherit the daemon's descriptors (all are close-on-exec), cannot hold
 * it. Abstract sockets are per network namespace: two daemons in different
 * namespaces over one directory are still stopped by the store's exclusive
 * SQLite lock, only later (after the second one wrote its kubeconfig).
 */
export function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const name = dataDirLockName(dataDir);
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new DataDirLockedError(dataDir) : err);
    });
    server.listen({ path: name, exclusive: true }, () => {
      // The lock must not keep the event loop alive: the daemon's own servers and timers do.
      server.unref();
      resolve({ release: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

/** The abstract socket's name (leading NUL) for a data directory: one per real path. */
export function dataDirLockName(dataDir: string): string {
  return `\0hooklet-data-dir-${createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 32)}`;
}
