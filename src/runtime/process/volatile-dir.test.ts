import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isTmpfs, scratchParent, volatileDir } from './volatile-dir.js';

const shm = isTmpfs('/dev/shm');
const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh directory on tmpfs to stand in for $XDG_RUNTIME_DIR. */
function fakeRuntimeDir(): string {
  const d = mkdtempSync('/dev/shm/hooklet-test-xdg-');
  made.push(d);
  return d;
}

describe.skipIf(!shm)('volatileDir (needs /dev/shm on tmpfs)', () => {
  it('uses $XDG_RUNTIME_DIR/hooklet when it is on tmpfs, created private', () => {
    const xdg = fakeRuntimeDir();
    const dir = volatileDir({ XDG_RUNTIME_DIR: xdg });
    expect(dir).toBe(join(xdg, 'hooklet'));
    expect(statSync(dir!).mode & 0o777).toBe(0o700);
    expect(isTmpfs(dir!)).toBe(true);
  });

  it('skips an $XDG_RUNTIME_DIR that is not on tmpfs', () => {
    const disk = mkdtempSync(join(tmpdir(), 'hooklet-test-disk-'));
    made.push(disk);
    if (isTmpfs(disk)) return; // this machine's temp dir is a tmpfs: nothing to tell apart
    const dir = volatileDir({ XDG_RUNTIME_DIR: disk });
    expect(dir).not.toBe(join(disk, 'hooklet'));
    expect(dir === undefined || isTmpfs(dir)).toBe(true);
  });

  it('never takes a symlink or a directory others can enter for its own', () => {
    const xdg = fakeRuntimeDir();
    const elsewhere = fakeRuntimeDir();
    symlinkSync(elsewhere, join(xdg, 'hooklet'));
    expect(volatileDir({ XDG_RUNTIME_DIR: xdg })).not.toBe(join(xdg, 'hooklet'));

    const open = fakeRuntimeDir();
    mkdirSync(join(open, 'hooklet'));
    chmodSync(join(open, 'hooklet'), 0o777);
    expect(volatileDir({ XDG_RUNTIME_DIR: open })).not.toBe(join(open, 'hooklet'));
  });
});

describe('scratchParent', () => {
  it('honours an explicit $TMPDIR', () => {
    expect(scratchParent({ TMPDIR: tmpdir() })).toBe(tmpdir());
  });

  it.skipIf(!shm)('prefers a volatile dir otherwise', () => {
    const xdg = fakeRuntimeDir();
    expect(scratchParent({ XDG_RUNTIME_DIR: xdg })).toBe(join(xdg, 'hooklet'));
  });
});
