import { spawn } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../clock/real-clock.js';
import { buildShim, killQuietly, shimPath, waitFor } from './process-harness.fixture.js';
import { PidWatcher } from './pid-watcher.js';
import { bootId, readProcStart } from './proc-stat.js';

beforeAll(buildShim);

const pids: number[] = [];
const watchers: PidWatcher[] = [];
afterEach(() => {
  for (const w of watchers.splice(0)) w.close();
  for (const pid of pids.splice(0)) killQuietly(pid);
});

async function sleeper(): Promise<{ pid: number; startTicks: number }> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  const pid = child.pid!;
  pids.push(pid);
  let start;
  await waitFor(async () => (start = await readProcStart(pid)) !== undefined, 'the sleeper');
  return { pid, startTicks: start!.startTicks };
}

const watcher = (path = shimPath): PidWatcher => {
  const w = new PidWatcher(path, new RealClock());
  watchers.push(w);
  return w;
};

describe('PidWatcher', () => {
  it.each([
    ['the helper', shimPath],
    ['/proc polling when the helper cannot run', '/no/such/hooklet-shim'],
  ])('reports a process gone once it exits, through %s', async (_how, path) => {
    const w = watcher(path);
    const p = await sleeper();
    let gone = false;
    const watching = w.gone(p).then(() => (gone = true));
    await new RealClock().sleep(100);
    expect(gone).toBe(false);
    process.kill(p.pid, 'SIGKILL');
    await watching;
    expect(gone).toBe(true);
  });

  it('reports at once a pid that names another process (other start ticks, or another boot)', async () => {
    const w = watcher();
    const p = await sleeper();
    await w.gone({ pid: p.pid, startTicks: p.startTicks + 1 });
    await w.gone({ ...p, bootId: 'another-boot' });
    await w.gone({ pid: 999_999_999, startTicks: 1 });
    expect((await readProcStart(p.pid))?.state).not.toBe('Z');
    expect(await bootId()).toMatch(/^[0-9a-f-]{36}$/);
  });
});
