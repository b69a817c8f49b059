import { describe, expect, it } from 'vitest';
import type { TimelineItem } from './api-client.js';
import type { PodPlan } from './crash-pod.js';
import { checkSeq, parseCriLog, type AppRecord, type HookRecord } from './evidence.js';
import { checkInvariants, Invariant, type Violation } from './invariants.js';
import type { FinalState, PodRecord, RunRecord } from './run-record.js';
import type { CapturedContainer } from './state-capture.js';

// The checker must see what it is meant to see: each case breaks one invariant on a hand-made run.

const T0 = 1_700_000_000_000;
const UID = 'uid-1';

function plan(over: Partial<PodPlan> = {}): PodPlan {
  return {
    name: 'c0',
    graceSeconds: 3,
    restartPolicy: 'Always',
    containers: [{ name: 'a', runtime: 'sh', mode: 'ignore', termDelaySeconds: 0.2, postStartSeconds: 0, preStopSeconds: 1.5 }],
    lifetimeMs: 1000,
    deleteMode: { kind: 'default' },
    ...over,
  };
}

function pod(over: Partial<PodRecord> = {}): PodRecord {
  return { plan: plan(), uid: UID, createSentMs: T0, createUnknown: false, neverCreated: false, deleteSentMs: T0 + 1000, deleteUnknown: false, deleteConfirmed: true, goneObservedMs: T0 + 9000, finalDelete: false, ...over };
}

const tl = (ms: number, what: string, container?: string, detail?: string): TimelineItem => ({
  time: new Date(T0 + ms).toISOString(),
  timeMs: T0 + ms,
  podUid: UID,
  what,
  ...(container ? { container } : {}),
  ...(detail ? { detail } : {}),
});

const hook = (ms: number, h: HookRecord['hook'], phase: HookRecord['phase']): HookRecord => ({ timeMs: T0 + ms, hook: h, phase, pod: 'c0', uid: UID, container: 'a', pid: 1 });

/** A clean lifecycle: started, postStart, delete at 1000, preStop 1010–2500, SIGTERM ignored, SIGKILL at 4500. */
function cleanRun(): { run: RunRecord; final: FinalState; logs: Record<string, string> } {
  const app: AppRecord = { pod: 'c0', container: 'a', pid: 4242, uid: UID, startMs: T0 + 10, termMs: [T0 + 2510], lastSeq: 3 };
  const captured: CapturedContainer = {
    id: 'abc',
    firstSeenMs: T0,
    goneMs: T0 + 4600,
    config: { id: 'abc', createdAt: T0, config: { podUid: UID, podName: 'c0', name: 'a', attempt: 0 } },
    started: { pid: 4242, startTicks: 1, shimPid: 4241, shimStartTicks: 1, startedAt: T0 + 5 },
    exit: { exitCode: 137, signal: 9, finishedAt: T0 + 4500 },
    logPath: 'log-abc',
    unreadable: [],
  };
  const logs = {
    'log-abc': ['seq 1', 'seq 2', 'seq 3'].map((l) => `2026-01-01T00:00:00.000000000Z stdout F ${l}`).join('\n') + '\n',
  };
  const timeline = [
    tl(0, 'pod.added'),
    tl(5, 'started', 'a'),
    tl(20, 'running', 'a'),
    tl(1005, 'preStop.started', 'a', 'grace 3s'),
    tl(2505, 'stop.signal', 'a', 'SIGTERM, SIGKILL in 2s'),
    tl(4500, 'exited', 'a', 'signal SIGKILL (exit code 137)'),
    tl(4600, 'pod.removed'),
  ];
  const final: FinalState = {
    timelines: new Map([[UID, timeline]]),
    remainingPods: [],
    leftoverProcesses: [],
    liveRecordedPids: [],
    containers: [captured],
    dirsLeft: [],
    apps: [app],
    hooks: [hook(12, 'postStart', 'begin'), hook(15, 'postStart', 'end'), hook(1010, 'preStop', 'begin'), hook(2500, 'preStop', 'end')],
    hookLinesMalformed: [],
    daemonStop: { code: 0, signal: null, timedOut: false },
    notes: [],
    errors: [],
  };
  const run: RunRecord = { seed: 1, token: 't', runDir: '/tmp/x', pods: [pod()], kills: [], daemonStarts: [{ spawnedMs: T0 - 500, readyMs: T0 - 100 }] };
  return { run, final, logs };
}

function fails(run: RunRecord, final: FinalState, logs: Record<string, string>): Violation[] {
  return checkInvariants(run, final, (p) => logs[p] ?? '').violations.filter((v) => v.severity === 'fail');
}

describe('crash invariants checker', () => {
  it('passes a clean lifecycle', () => {
    const { run, final, logs } = cleanRun();
    expect(fails(run, final, logs)).toEqual([]);
  });

  it('I1: names a process of the run still alive', () => {
    const { run, final, logs } = cleanRun();
    final.leftoverProcesses.push({ pid: 99, state: 'S', cmdline: 'sh -c …', pod: 'c0', container: 'a' });
    expect(fails(run, final, logs)).toMatchObject([{ invariant: Invariant.NoLeftovers, pod: 'c0', container: 'a' }]);
  });

  it('I2: an exit missing from the timeline, or recorded with another code', () => {
    const { run, final, logs } = cleanRun();
    final.timelines.set(UID, final.timelines.get(UID)!.filter((e) => e.what !== 'exited'));
    expect(fails(run, final, logs).map((v) => v.invariant)).toContain(Invariant.ExitsRecorded);
    const second = cleanRun();
    second.final.timelines.get(UID)!.find((e) => e.what === 'exited')!.detail = 'exit code 0, while no agent was running';
    expect(fails(second.run, second.final, second.logs)).toMatchObject([{ invariant: Invariant.ExitsRecorded, expected: expect.stringContaining("exit.json code 137"), seen: expect.stringMatching(/^0 /) }]);
    // Without the shim's file, the app's mode still says what the code must be.
    delete second.final.containers[0]!.exit;
    expect(fails(second.run, second.final, second.logs)).toMatchObject([{ invariant: Invariant.ExitsRecorded, expected: expect.stringContaining('exit code 137'), seen: '0' }]);
  });

  it('I2: an exit of a start that never ran (abandoned by a dying daemon) is not taken for the real instance', () => {
    const { run, final, logs } = cleanRun();
    final.timelines.get(UID)!.unshift(tl(-100, 'exited', 'a', 'exit code 128, while no agent was running'));
    expect(fails(run, final, logs)).toEqual([]);
  });

  it('I3: a gap, a lost tail and a torn line in the log', () => {
    const { run, final, logs } = cleanRun();
    logs['log-abc'] = '2026-01-01T00:00:00Z stdout F seq 1\n2026-01-01T00:00:00Z stdout F seq 3\ngarbage\n';
    final.apps[0]!.lastSeq = 5;
    const seen = fails(run, final, logs).filter((v) => v.invariant === Invariant.LogsComplete).map((v) => v.seen);
    expect(seen).toEqual([expect.stringContaining('malformed'), 'missing 2', 'log ends at seq 3']);
  });

  it('I4: a kill inside the preStop needs a second delivery after an agent.restart', () => {
    const { run, final, logs } = cleanRun();
    run.kills.push({ atMs: T0 + 1500, daemonPid: 1, kind: 'after-delete' });
    run.daemonStarts.push({ spawnedMs: T0 + 2400, readyMs: T0 + 2500 });
    const v = fails(run, final, logs);
    expect(v).toMatchObject([{ invariant: Invariant.PreStopAtLeastOnce, seen: expect.stringContaining('1 delivery') }]);
    // The dying daemon's own hook, logging its start just after the kill, is no re-delivery.
    final.hooks.push(hook(1504, 'preStop', 'begin'));
    expect(fails(run, final, logs)).toMatchObject([{ invariant: Invariant.PreStopAtLeastOnce, seen: expect.stringContaining('2 deliveries') }]);
    final.hooks.push(hook(2600, 'preStop', 'begin'));
    expect(fails(run, final, logs)).toMatchObject([{ invariant: Invariant.PreStopAtLeastOnce, expected: expect.stringContaining('agent.restart') }]);
    final.timelines.get(UID)!.push(tl(2550, 'agent.restart'));
    expect(fails(run, final, logs)).toEqual([]);
  });

  it('I4: a kill in the stop window of an app that ignores SIGTERM needs a re-delivery if it still runs when a daemon is back; one that honours SIGTERM does not', () => {
    const { run, final, logs } = cleanRun();
    run.kills.push({ atMs: T0 + 3000, daemonPid: 1, kind: 'random' });
    run.daemonStarts.push({ spawnedMs: T0 + 3100, readyMs: T0 + 3300 });
    expect(fails(run, final, logs)).toMatchObject([{ invariant: Invariant.PreStopAtLeastOnce, expected: expect.stringContaining('stop window') }]);
    // The shim's own deadline ended it before the next daemon served: nothing left to terminate.
    run.daemonStarts[1] = { spawnedMs: T0 + 4000, readyMs: T0 + 4600 };
    expect(fails(run, final, logs)).toEqual([]);
    // The next daemon served, but was killed again in its first second, before it recovered
    // anything; the one after it came back only once the container had ended.
    run.daemonStarts[1] = { spawnedMs: T0 + 3100, readyMs: T0 + 3300 };
    run.kills.push({ atMs: T0 + 3500, daemonPid: 2, kind: 'random' });
    run.daemonStarts.push({ spawnedMs: T0 + 4000, readyMs: T0 + 4600 });
    expect(fails(run, final, logs)).toEqual([]);
    run.kills.pop();
    run.daemonStarts.pop();
    run.daemonStarts[1] = { spawnedMs: T0 + 3100, readyMs: T0 + 3300 };
    run.pods[0]!.plan.containers[0]!.mode = 'term';
    final.containers[0]!.exit!.exitCode = 43;
    final.timelines.get(UID)!.find((e) => e.what === 'exited')!.detail = 'exit code 43';
    expect(fails(run, final, logs)).toEqual([]);
  });

  it('I4: no preStop at all for a container running at the delete, and a re-delivery with less than the full grace', () => {
    const { run, final, logs } = cleanRun();
    final.hooks = final.hooks.filter((h) => h.hook !== 'preStop');
    final.timelines.get(UID)!.push(tl(3000, 'preStop.started', 'a', 'grace 1s'));
    expect(fails(run, final, logs).map((v) => v.seen)).toEqual([expect.stringContaining('grace 1s'), '0 deliveries']);
  });

  it('I5 and I6: a pod left over, a container started twice, a postStart run twice', () => {
    const { run, final, logs } = cleanRun();
    final.remainingPods.push('c0');
    final.apps.push({ ...final.apps[0]!, pid: 5000, startMs: T0 + 3000, termMs: [] });
    final.hooks.push(hook(3001, 'postStart', 'begin'), hook(3002, 'postStart', 'begin'));
    const inv = fails(run, final, logs).map((v) => v.invariant);
    expect(inv).toContain(Invariant.PodsGoneNoDoubleStart);
    expect(inv.filter((i) => i === Invariant.PodsGoneNoDoubleStart)).toHaveLength(2);
    expect(inv).toContain(Invariant.PostStartNotRerun);
  });
});

describe('crash evidence readers', () => {
  it('joins partial CRI records per stream', () => {
    const log = parseCriLog(
      ['2026-01-01T00:00:00.1Z stdout P se', '2026-01-01T00:00:00.1Z stderr F err 10', '2026-01-01T00:00:00.2Z stdout F q 1', ''].join('\n'),
    );
    expect(log).toEqual({ stdout: ['seq 1'], stderr: ['err 10'], malformed: [] });
  });

  it('reports gaps and duplicates in the numbering', () => {
    expect(checkSeq(['seq 1', 'seq 2', 'seq 2', 'seq 5', 'hello'])).toEqual({ last: 5, gaps: [[3, 4]], duplicates: [2], unexpected: ['hello'] });
  });
});
