/** ProbeWorker on the FakeClock: timing, thresholds, hold, events (worker.go / prober.go, R7.1). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Probe } from '../../api/types.js';
import { TestServers } from '../../lifecycle/hook-test-fixtures.case.js';
import { RuntimeError } from '../../runtime/container-runtime.js';
import { ProbeWorker, type ProbeWorkerOptions } from './probe-worker.js';
import { exited, probeDeps, probeTarget, type ExecAnswer } from './probe-test-fixtures.case.js';
import type { ProbeType } from './probe-types.js';

type Log = Array<{ at: number; what: string }>;

function setup(type: ProbeType, probe: Partial<Probe>, answer?: ExecAnswer, extra: Partial<ProbeWorkerOptions> = {}) {
  const deps = probeDeps(answer);
  const origin = deps.clock.now();
  const log: Log = [];
  const at = (): number => deps.clock.now() - origin;
  const options: ProbeWorkerOptions = {
    type,
    probe: { exec: { command: ['check'] }, ...probe },
    containerName: 'app',
    target: probeTarget(),
    deps,
    recordEvent: (t, reason, message) => log.push({ at: at(), what: `${t} ${reason} ${message}` }),
    onResult: (healthy) => log.push({ at: at(), what: `result ${healthy}` }),
    ...extra,
  };
  const worker = new ProbeWorker(options);
  workers.push(worker);
  return {
    deps,
    worker,
    options,
    log,
    clock: deps.clock,
    execTimes: () => deps.runtime.times(origin),
    results: () => log.filter((l) => l.what.startsWith('result')),
    events: () => log.filter((l) => !l.what.startsWith('result')),
  };
}

/** Answers from a list, repeating the last one. */
function sequence(...codes: number[]): ExecAnswer {
  return (_call, i) => exited(codes[Math.min(i, codes.length - 1)]!, '', codes[Math.min(i, codes.length - 1)] === 0 ? '' : 'not ok');
}

const workers: ProbeWorker[] = [];
const servers = new TestServers();
afterEach(async () => {
  for (const w of workers.splice(0)) w.stop();
  await servers.closeAll();
});

describe('timing', () => {
  it('first probe after initialDelaySeconds, then every periodSeconds', async () => {
    const s = setup('readiness', { initialDelaySeconds: 5, periodSeconds: 10 });
    s.worker.start();
    await s.clock.advance(4999);
    expect(s.execTimes()).toEqual([]);
    await s.clock.advance(1);
    expect(s.execTimes()).toEqual([5000]);
    await s.clock.advance(30_000);
    expect(s.execTimes()).toEqual([5000, 15_000, 25_000, 35_000]);
  });

  it('defaults: no delay, every 10 s, timeout 1 s', async () => {
    const s = setup('readiness', {});
    s.worker.start();
    await s.clock.advance(20_000);
    expect(s.execTimes()).toEqual([0, 10_000, 20_000]);
    expect(s.deps.runtime.calls.every((c) => c.timeoutMs === 1000)).toBe(true);
  });

  it('the initial delay counts from the container start, so a late worker probes at once', async () => {
    const s = setup('liveness', { initialDelaySeconds: 10, periodSeconds: 5 });
    const startedAt = s.clock.now();
    await s.clock.advance(30_000);
    const late = new ProbeWorker({ ...s.options, startedAt });
    workers.push(late);
    late.start();
    await s.clock.advance(10_000);
    expect(s.execTimes()).toEqual([30_000, 35_000, 40_000]);
  });

  it('a probe that outlasts the period is followed at once, then the beat resumes', async () => {
    const s = setup('readiness', { periodSeconds: 10 }, async (_c, i) => {
      if (i === 0) await s.clock.sleep(25_000);
      return exited(0);
    });
    s.worker.start();
    await s.clock.advance(40_000);
    expect(s.execTimes()).toEqual([0, 25_000, 30_000, 40_000]);
  });

  it('stop() ends probing: no more attempts, no timers, and an attempt in flight reports nothing', async () => {
    const s = setup('liveness', { failureThreshold: 1 }, () => new Promise(() => {}));
    s.worker.start();
    await s.clock.advance(0);
    expect(s.execTimes()).toEqual([0]);
    s.worker.stop();
    await s.clock.advance(60_000);
    expect(s.execTimes()).toEqual([0]);
    expect(s.log).toEqual([]);
    expect(s.clock.pendingCount).toBe(0);
    s.worker.stop();
    s.worker.start();
    expect(s.clock.pendingCount).toBe(0);
  });
});

describe('liveness', () => {
  it('R7.1: failureThreshold 3 → Unhealthy at every failure, onResult(false) exactly at the third', async () => {
    const s = setup('liveness', { periodSeconds: 10, failureThreshold: 3 }, sequence(1));
    s.worker.start();
    await s.clock.advance(19_999);
    expect(s.results()).toEqual([]);
    await s.clock.advance(1);
    expect(s.log).toEqual([
      { at: 0, what: 'Warning Unhealthy Liveness probe failed: not ok' },
      { at: 10_000, what: 'Warning Unhealthy Liveness probe failed: not ok' },
      { at: 20_000, what: 'Warning Unhealthy Liveness probe failed: not ok' },
      { at: 20_000, what: 'result false' },
    ]);
    expect(s.worker.healthy).toBe(false);
  });

  it('after reporting a failure the worker holds: the container is about to be restarted', async () => {
    const s = setup('liveness', { periodSeconds: 10, failureThreshold: 3 }, sequence(1));
    s.worker.start();
    await s.clock.advance(120_000);
    expect(s.execTimes()).toEqual([0, 10_000, 20_000]);
    expect(s.worker.probing).toBe(false);
    expect(s.clock.pendingCount).toBe(0);
  });

  it('a success in between starts the failure count again; successes alone report nothing', async () => {
    const s = setup('liveness', { periodSeconds: 1, failureThreshold: 3 }, sequence(1, 1, 0, 0, 1, 1, 1));
    s.worker.start();
    await s.clock.advance(5_000);
    expect(s.results()).toEqual([]);
    await s.clock.advance(1_000);
    expect(s.results()).toEqual([{ at: 6_000, what: 'result false' }]);
  });
});

describe('readiness', () => {
  it('starts not ready; successThreshold 2 → ready at the second success in a row', async () => {
    const s = setup('readiness', { periodSeconds: 10, successThreshold: 2 }, sequence(0, 1, 0, 0));
    expect(s.worker.healthy).toBe(false);
    s.worker.start();
    await s.clock.advance(29_999);
    expect(s.results()).toEqual([]);
    await s.clock.advance(1);
    expect(s.results()).toEqual([{ at: 30_000, what: 'result true' }]);
    expect(s.events()).toEqual([{ at: 10_000, what: 'Warning Unhealthy Readiness probe failed: not ok' }]);
  });

  it('failing from the start records events but no result change; it keeps probing after a failure', async () => {
    const s = setup('readiness', { periodSeconds: 10, failureThreshold: 1 }, sequence(1, 1, 1, 0, 1));
    s.worker.start();
    await s.clock.advance(20_000);
    expect(s.results()).toEqual([]);
    expect(s.events()).toHaveLength(3);
    await s.clock.advance(20_000);
    expect(s.results()).toEqual([
      { at: 30_000, what: 'result true' },
      { at: 40_000, what: 'result false' },
    ]);
    expect(s.worker.probing).toBe(true);
  });
});

describe('startup', () => {
  it('unknown until a verdict; the first success reports healthy and the worker holds', async () => {
    const s = setup('startup', { periodSeconds: 5, failureThreshold: 30 }, sequence(1, 1, 0));
    expect(s.worker.healthy).toBeUndefined();
    s.worker.start();
    await s.clock.advance(60_000);
    expect(s.execTimes()).toEqual([0, 5_000, 10_000]);
    expect(s.log.map((l) => l.what)).toEqual([
      'Warning Unhealthy Startup probe failed: not ok',
      'Warning Unhealthy Startup probe failed: not ok',
      'result true',
    ]);
    expect(s.worker.probing).toBe(false);
  });

  it('failureThreshold failures in a row report unhealthy', async () => {
    const s = setup('startup', { periodSeconds: 5, failureThreshold: 2 }, sequence(1));
    s.worker.start();
    await s.clock.advance(60_000);
    expect(s.results()).toEqual([{ at: 5_000, what: 'result false' }]);
    expect(s.execTimes()).toEqual([0, 5_000]);
  });
});

describe('errors and warnings', () => {
  it('an error is retried at once up to 3 runs, recorded once as errored, and not counted', async () => {
    const s = setup('liveness', { periodSeconds: 10, failureThreshold: 1 }, () => {
      throw new RuntimeError('Internal', 'runtime unavailable');
    });
    s.worker.start();
    await s.clock.advance(10_000);
    expect(s.execTimes()).toEqual([0, 0, 0, 10_000, 10_000, 10_000]);
    expect(s.log).toEqual([
      { at: 0, what: 'Warning Unhealthy Liveness probe errored: runtime unavailable' },
      { at: 10_000, what: 'Warning Unhealthy Liveness probe errored: runtime unavailable' },
    ]);
    expect(s.worker.healthy).toBe(true);
  });

  it('an error followed by a real answer on a retry counts that answer alone', async () => {
    const s = setup('liveness', { failureThreshold: 1 }, (_c, i) => {
      if (i === 0) throw new RuntimeError('Internal', 'hiccup');
      return exited(1, 'down');
    });
    s.worker.start();
    await s.clock.advance(0);
    expect(s.log).toEqual([
      { at: 0, what: 'Warning Unhealthy Liveness probe failed: down' },
      { at: 0, what: 'result false' },
    ]);
  });

  it('a warning is recorded as ProbeWarning and counts as a success', async () => {
    const other = await servers.http((_q, res) => res.end());
    const { port } = await servers.http((_q, res) => {
      res.writeHead(302, { location: `http://localhost:${other.port}/` });
      res.end('moved');
    });
    const s = setup('readiness', { exec: undefined, httpGet: { port, path: '/' } });
    s.worker.start();
    await s.clock.advance(0);
    await vi.waitFor(() => expect(s.log).toHaveLength(2));
    expect(s.log).toEqual([
      { at: 0, what: 'Warning ProbeWarning Readiness probe warning: Probe terminated redirects, Response body: moved' },
      { at: 0, what: 'result true' },
    ]);
  });

  it('a throwing callback does not stop the probing', async () => {
    const s = setup('readiness', { periodSeconds: 10 }, sequence(1), {
      recordEvent: () => {
        throw new Error('store down');
      },
    });
    s.worker.start();
    await s.clock.advance(20_000);
    expect(s.execTimes()).toEqual([0, 10_000, 20_000]);
  });
});
