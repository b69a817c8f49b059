/**
 * The spawner forks the container shim's code (native/shim-fork.c) instead
 * of exec'ing build/hooklet-shim: the shim and its container must come out
 * as an exec'd shim's would — own session, default signals, exactly the env
 * asked for, and no descriptor of the spawner's (nor a stray one the agent
 * inherited) in the shim or the container.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildShim, killQuietly, shimPath } from './process-harness.fixture.js';
import { spawnerPathFor, startShim } from './shim-client.js';
import { Spawner } from './spawner.js';
import type { StoredContainer } from './state-dir.js';

const spawnerPath = spawnerPathFor(shimPath);
const dir = mkdtempSync(join(tmpdir(), 'hooklet-shim-fork-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file the spawner has open on a stray fd (not close-on-exec), as an agent that inherited one would pass it on. */
const stray = join(dir, 'stray-fd');
writeFileSync(stray, '');

function spawnerWithStrayFd(): string {
  const wrapper = join(dir, 'spawner-with-stray-fd');
  writeFileSync(wrapper, `#!/bin/sh\nexec 9<${JSON.stringify(stray)}\nexec ${JSON.stringify(spawnerPath)}\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

const fds = (pid: number): Record<string, string> =>
  Object.fromEntries(readdirSync(`/proc/${pid}/fd`).map((fd) => [fd, readlinkSync(`/proc/${pid}/fd/${fd}`)]));
const status = (pid: number, field: string): string => new RegExp(`^${field}:\\s*(\\S+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!;
const statField = (pid: number, i: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[i]);
const sessionOf = (pid: number): number => statField(pid, 3);
/** The shim's parent: the spawner, while it lives. */
const parentOf = (pid: number): number => statField(pid, 1);

async function startOne(spawner: Spawner, name: string): Promise<{ shimPid: number; pid: number }> {
  const state = join(dir, name);
  mkdirSync(join(state, 'log'), { recursive: true });
  const stored = { argv: ['/bin/sleep', '30'], env: { PATH: '/usr/bin:/bin', ONLY: 'this' }, cwd: dir } as unknown as StoredContainer;
  const r = await startShim(spawner, shimPath, state, stored);
  if (!r.ok || !r.started) throw new Error(`no start: ${JSON.stringify(r)}`);
  return { shimPid: r.started.shimPid, pid: r.pid };
}

describe.each([
  { mode: 'forked (default)', env: undefined, exe: spawnerPath },
  { mode: 'exec\'d (HOOKLET_SPAWNER_EXEC_SHIM=1)', env: '1', exe: shimPath },
])('the container shim, $mode', ({ env, exe }) => {
  let spawner: Spawner;
  let started: { shimPid: number; pid: number };
  beforeAll(async () => {
    buildShim();
    const before = process.env['HOOKLET_SPAWNER_EXEC_SHIM'];
    if (env) process.env['HOOKLET_SPAWNER_EXEC_SHIM'] = env;
    else delete process.env['HOOKLET_SPAWNER_EXEC_SHIM'];
    try {
      spawner = new Spawner(spawnerWithStrayFd());
      started = await startOne(spawner, `c-${env ?? 'fork'}`);
    } finally {
      if (before === undefined) delete process.env['HOOKLET_SPAWNER_EXEC_SHIM'];
      else process.env['HOOKLET_SPAWNER_EXEC_SHIM'] = before;
    }
    return async () => {
      killQuietly(started.pid);
      killQuietly(started.shimPid);
      spawner.close();
    };
  });

  it('is the shim named hooklet-shim, in a session of its own, run from the expected binary', () => {
    expect(readFileSync(`/proc/${started.shimPid}/comm`, 'utf8').trim()).toBe('hooklet-shim');
    expect(realpathSync(`/proc/${started.shimPid}/exe`)).toBe(realpathSync(exe));
    expect(sessionOf(started.shimPid)).toBe(started.shimPid);
    // The shim's own dispositions only (PIPE HUP INT QUIT TSTP TTIN TTOU ignored; CHLD blocked for its signalfd).
    expect(status(started.shimPid, 'SigIgn')).toBe('0000000000381007');
    expect(status(started.shimPid, 'SigBlk')).toBe('0000000000010000');
  });

  it('holds nothing of the spawner: no pipe or socket the spawner has, not the stray fd', () => {
    const spawnerFds = new Set(Object.values(fds(parentOf(started.shimPid))).filter((t) => /^(pipe|socket):/.test(t)));
    expect(spawnerFds.size).toBeGreaterThan(0);
    const shim = Object.values(fds(started.shimPid));
    expect(shim.filter((t) => spawnerFds.has(t) || t === stray)).toEqual([]);
  });

  it('starts the container with exactly its env, stdio only, default signals', () => {
    expect(readFileSync(`/proc/${started.pid}/environ`, 'utf8').split('\0').filter(Boolean).sort()).toEqual(['ONLY=this', 'PATH=/usr/bin:/bin']);
    expect(Object.keys(fds(started.pid)).sort()).toEqual(['0', '1', '2']);
    expect(status(started.pid, 'SigIgn')).toBe('0'.repeat(16));
    expect(status(started.pid, 'SigBlk')).toBe('0'.repeat(16));
    expect(sessionOf(started.pid)).toBe(started.pid);
  });
});
