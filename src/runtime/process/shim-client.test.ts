import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../container-runtime.js';
import { base, buildShim, Harness, sleep, waitFor } from './process-harness.fixture.js';
import { isAlive } from './proc-stat.js';
import { requestStop } from './shim-client.js';
import type { ExitRecord } from './state-dir.js';

beforeAll(buildShim);

let current: Harness | undefined;
afterEach(async () => {
  await current?.dispose();
  current = undefined;
});

const IGNORE_TERM = 'trap "" TERM INT HUP; echo ready; exec sleep 1000';
/** Scheduling slack on a loaded 2-core machine. */
const TOLERANCE_MS = 150;

function exitOf(h: Harness, id: string): ExitRecord | undefined {
  const path = join(h.dir(id), 'exit.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ExitRecord) : undefined;
}

async function stubborn(h: Harness): Promise<{ id: string; pid: number; startTicks: number }> {
  const rt = h.runtime();
  const id = await rt.create(base('stubborn', IGNORE_TERM));
  await rt.start(id);
  // The trap is set once "ready" is in the log.
  await waitFor(() => readFileSync(join(h.dir(id), 'log', 'container.log'), 'utf8').includes('ready'), 'the trap');
  const { pid, startTicks } = h.started(id);
  return { id, pid, startTicks };
}

describe('requestStop (the shim stop control FIFO)', () => {
  it('is false when no shim listens: no FIFO, or a FIFO nobody holds open (ENXIO)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hooklet-ctl-'));
    try {
      expect(requestStop(dir, 15, 1000)).toBe(false);
      expect(spawnSync('mkfifo', [join(dir, 'ctl')]).status).toBe(0);
      expect(requestStop(dir, 15, 1000)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('R3.2 step 8: the shim SIGKILLs at the deadline even when the agent dies during the stop window', async () => {
    const h = (current = new Harness());
    const { id, pid, startTicks } = await stubborn(h);
    const a = h.runtime();
    await a.recover();
    const t0 = h.clock.now();
    const stopping = a.stop(id, 600).catch((err: Error) => err);
    await sleep(100);
    await a.close();
    expect(await stopping).toBeInstanceOf(Error);
    await sleep(300);
    expect(await isAlive(pid, startTicks)).toBe(true);
    await waitFor(() => exitOf(h, id) !== undefined, 'exit.json', 3000);
    const exit = exitOf(h, id)!;
    expect(exit).toMatchObject({ exitCode: 137, signal: 9 });
    expect(exit.killedAt! - t0).toBeGreaterThanOrEqual(599);
    expect(exit.killedAt! - t0).toBeLessThanOrEqual(600 + TOLERANCE_MS);
    expect(await isAlive(pid, startTicks)).toBe(false);
    // A later agent reads what the shim recorded.
    expect(await h.runtime().status(id)).toMatchObject({ state: 'exited', exitCode: 137, signal: 'SIGKILL' });
  });

  it('a second stop with a shorter timeout moves the deadline earlier; a longer one never later', async () => {
    const h = (current = new Harness());
    const { id } = await stubborn(h);
    const rt = h.runtime();
    const events: RuntimeEvent[] = [];
    rt.onEvent((e) => events.push(e));
    const t0 = h.clock.now();
    const first = rt.stop(id, 10_000);
    await sleep(50);
    const second = rt.stop(id, 300);
    const third = rt.stop(id, 20_000);
    await Promise.all([first, second, third]);
    const took = h.clock.now() - t0;
    expect(took).toBeGreaterThanOrEqual(349);
    expect(took).toBeLessThanOrEqual(350 + TOLERANCE_MS);
    const exit = exitOf(h, id)!;
    expect(exit.killedAt! - t0).toBeGreaterThanOrEqual(349);
    const signals = events.filter((e) => e.type === 'signalled').map((e) => e.type === 'signalled' && [e.signal, e.at]);
    expect(signals.map((s) => s && s[0])).toEqual(['SIGTERM', 'SIGTERM', 'SIGTERM', 'SIGKILL']);
    // The SIGKILL event carries the time the shim sent it, not when the agent heard of it.
    expect(signals[3] && signals[3][1]).toBe(exit.killedAt);
  });

  it('a stop that ends the process before the deadline records no SIGKILL', async () => {
    const h = (current = new Harness());
    const rt = h.runtime();
    const events: RuntimeEvent[] = [];
    rt.onEvent((e) => events.push(e));
    const id = await rt.create(base('app', 'echo ready; exec sleep 1000'));
    await rt.start(id);
    await rt.stop(id, 5000);
    expect(exitOf(h, id)).toMatchObject({ exitCode: 143, signal: 15 });
    expect(exitOf(h, id)?.killedAt).toBeUndefined();
    expect(events.filter((e) => e.type === 'signalled').map((e) => e.type === 'signalled' && e.signal)).toEqual(['SIGTERM']);
  });

  it('a shim that dies during the stop window: the agent SIGKILLs the process itself a little after the deadline', async () => {
    const h = (current = new Harness());
    const { id, pid, startTicks } = await stubborn(h);
    const rt = h.runtime();
    await rt.recover();
    const stopped = rt.stop(id, 100);
    await sleep(30);
    process.kill(h.started(id).shimPid, 'SIGKILL');
    await stopped;
    expect(await isAlive(pid, startTicks)).toBe(false);
    expect(await rt.status(id)).toMatchObject({ state: 'exited', exitCode: 137, reason: 'ContainerStatusUnknown' });
  });
});
