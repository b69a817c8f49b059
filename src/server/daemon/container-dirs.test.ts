import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcStart } from '../../runtime/process/proc-stat.js';
import { isTmpfs } from '../../runtime/process/volatile-dir.js';
import { containerDirs, sweepAbandonedContainerDirs } from './container-dirs.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = (parent: string, prefix: string): string => {
  const d = realpathSync(mkdtempSync(join(parent, prefix)));
  made.push(d);
  return d;
};
/** A stand-in $XDG_RUNTIME_DIR on tmpfs, so the test never touches the real volatile root. */
const xdgEnv = (): NodeJS.ProcessEnv => ({ XDG_RUNTIME_DIR: temp('/dev/shm', 'hooklet-test-xdg-') });
const old = (path: string): void => {
  const t = new Date(Date.now() - 120_000);
  utimesSync(path, t, t);
};

describe.skipIf(!isTmpfs('/dev/shm'))('containerDirs (needs /dev/shm on tmpfs)', () => {
  it('puts a fresh data dir’s container state on tmpfs behind a symlink, and its logs on disk', () => {
    const env = xdgEnv();
    const data = temp(tmpdir(), 'hooklet-test-data-');
    const dirs = containerDirs(data, env);
    expect(dirs).toEqual({ stateDir: join(data, 'containers'), logDir: join(data, 'logs') });
    expect(lstatSync(dirs.stateDir).isSymbolicLink()).toBe(true);
    const target = readlinkSync(dirs.stateDir);
    expect(target.startsWith(join(env.XDG_RUNTIME_DIR!, 'hooklet', 'serve-'))).toBe(true);
    expect(isTmpfs(target)).toBe(true);
    expect(readFileSync(join(target, 'owner'), 'utf8').trim()).toBe(data);
    // The same data dir maps to the same place every time (a restarted daemon finds its containers).
    expect(containerDirs(data, env)).toEqual(dirs);
    expect(readlinkSync(dirs.stateDir)).toBe(target);
  });

  it('keeps a data dir’s existing real containers directory (logs inside, as before)', () => {
    const data = temp(tmpdir(), 'hooklet-test-data-');
    mkdirSync(join(data, 'containers'));
    expect(containerDirs(data, xdgEnv())).toEqual({ stateDir: join(data, 'containers') });
  });

  it('makes the tmpfs directory again when a reboot emptied it', () => {
    const env = xdgEnv();
    const data = temp(tmpdir(), 'hooklet-test-data-');
    const target = readlinkSync(containerDirs(data, env).stateDir);
    rmSync(target, { recursive: true });
    expect(containerDirs(data, env).logDir).toBe(join(data, 'logs'));
    expect(lstatSync(target).isDirectory()).toBe(true);
  });

  it('sweeps tmpfs state whose data dir is gone, unless it is fresh or something in it still runs', async () => {
    const env = xdgEnv();
    const gone = temp(tmpdir(), 'hooklet-test-data-');
    const kept = temp(tmpdir(), 'hooklet-test-data-');
    const young = temp(tmpdir(), 'hooklet-test-data-');
    const live = temp(tmpdir(), 'hooklet-test-data-');
    const targets = Object.fromEntries(
      Object.entries({ gone, kept, young, live }).map(([k, d]) => [k, readlinkSync(containerDirs(d, env).stateDir)]),
    );
    // A container whose shim is this very process: alive.
    const me = (await readProcStart(process.pid))!;
    const liveId = 'ef'.repeat(16);
    mkdirSync(join(targets.live!, liveId));
    writeFileSync(
      join(targets.live!, liveId, 'started.json'),
      JSON.stringify({ pid: process.pid, startTicks: me.startTicks, shimPid: process.pid, shimStartTicks: me.startTicks, startedAt: 1 }),
    );
    for (const d of [gone, young, live]) rmSync(d, { recursive: true });
    for (const k of ['gone', 'kept', 'live']) old(targets[k]!);

    const removed = await sweepAbandonedContainerDirs(Date.now(), env);
    expect(removed).toEqual([targets.gone]);
    expect(() => lstatSync(targets.gone!)).toThrow();
    for (const k of ['kept', 'young', 'live']) expect(lstatSync(targets[k]!).isDirectory()).toBe(true);
  });
});
