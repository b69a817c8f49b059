import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, dataDirLockName, lockDataDir, type DataDirLock } from './data-dir-lock.js';

describe('lockDataDir', () => {
  const dirs: string[] = [];
  const locks: DataDirLock[] = [];
  afterEach(async () => {
    for (const l of locks.splice(0)) await l.release();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function dir(): string {
    const d = mkdtempSync(join(tmpdir(), 'hooklet-lock-'));
    dirs.push(d);
    return d;
  }

  it('is exclusive per directory, by real path, and free again once released', async () => {
    const a = dir();
    const b = dir();
    locks.push(await lockDataDir(a));
    await expect(lockDataDir(a)).rejects.toBeInstanceOf(DataDirLockedError);
    // The same directory through a symlink is the same lock.
    const link = join(b, 'link');
    symlinkSync(a, link);
    await expect(lockDataDir(link)).rejects.toThrow(/in use by another process/);
    // Another directory is not.
    const other = join(b, 'other');
    mkdirSync(other);
    locks.push(await lockDataDir(other));
    await locks.shift()!.release();
    locks.push(await lockDataDir(a));
  });

  it('is freed by the kernel when its holder is SIGKILLed (no stale lock after a crash)', async () => {
    const a = dir();
    // A real second process holds the lock's socket, as a daemon would.
    const holder = spawn(
      process.execPath,
      ['-e', `require('node:net').createServer().listen({ path: '\\0' + process.argv[1] }, () => console.log('held'))`, dataDirLockName(a).slice(1)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
      });
      await expect(lockDataDir(a)).rejects.toBeInstanceOf(DataDirLockedError);
      const gone = new Promise((resolve) => holder.once('exit', resolve));
      process.kill(holder.pid!, 'SIGKILL');
      await gone;
      locks.push(await lockDataDir(a));
    } finally {
      if (holder.exitCode === null && holder.signalCode === null) process.kill(holder.pid!, 'SIGKILL');
    }
  });
});
