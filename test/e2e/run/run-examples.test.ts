import { describe, expect, it } from 'vitest';
import { at, eventsOf, hooklet, timelineOf } from './run-harness.js';

/** Timer tolerance for the stop signal and SIGKILL against the rules (the issue asks for 50 ms). */
const TOLERANCE_MS = 50;

describe('hooklet run on the examples (real processes)', () => {
  it('web-graceful: postStart, then on delete the preStop, SIGTERM, clean exit, pod removed', async () => {
    const r = await hooklet(['run', 'examples/web-graceful.yaml', '--delete-after', '1s', '-o', 'json']);
    expect(r.code).toBe(0);
    const t = timelineOf(r);
    expect(t.map((e) => e.what)).toEqual([
      'pod.added', 'created', 'started', 'postStart.started', 'postStart.finished', 'running',
      'pod.terminating', 'killing', 'preStop.started', 'preStop.finished', 'stop.signal', 'exited', 'pod.removed',
    ]);
    expect(t.find((e) => e.what === 'preStop.finished')!.detail).toMatch(/^ok/);
    expect(t.find((e) => e.what === 'exited')!.detail).toBe('exit code 0');
    expect(eventsOf(r).map((e) => e.reason)).toEqual(['Created', 'Started', 'Killing', 'StopSignalSent']);
    // A Pod object on every status change, ending Running with the container ready.
    const pods = r.objects.filter((o) => o.kind === 'Pod') as Array<{ status?: { phase?: string } }>;
    expect(pods.some((p) => p.status?.phase === 'Running')).toBe(true);
  });

  it('R3.2/R3.3 prestop-exceeds-grace: preStop 5 s of a 6 s grace, stop signal then SIGKILL after the 2 s floor', async () => {
    const r = await hooklet(['run', 'examples/prestop-exceeds-grace.yaml', '--delete-after', '500ms', '-o', 'json']);
    const t = timelineOf(r);
    const preStop = at(t, 'preStop.started');
    const signal = at(t, 'stop.signal');
    const kill = at(t, 'sigkill');
    expect(Math.abs(signal - preStop - 5000)).toBeLessThan(TOLERANCE_MS);
    expect(Math.abs(kill - signal - 2000)).toBeLessThan(TOLERANCE_MS);
    expect(t.find((e) => e.what === 'exited')!.detail).toBe('signal SIGKILL (exit code 137)');
    expect(eventsOf(r).map((e) => e.reason)).toContain('ForceKilled');
  });

  it('R3.8 ignores-sigterm: SIGKILL lands when the 3 s grace ends', async () => {
    const r = await hooklet(['run', 'examples/ignores-sigterm.yaml', '--delete-after', '500ms', '-o', 'json']);
    const t = timelineOf(r);
    expect(Math.abs(at(t, 'sigkill') - at(t, 'stop.signal') - 3000)).toBeLessThan(TOLERANCE_MS);
    expect(at(t, 'stop.signal') - at(t, 'killing')).toBeLessThan(TOLERANCE_MS);
  });

  it('R2.3, R6.4 poststart-fails: FailedPostStartHook, Killing, immediate restart, then BackOff and a restart 10 s after the exit', async () => {
    const r = await hooklet(['run', 'examples/poststart-fails.yaml', '--delete-after', '12s', '-o', 'json'], 90_000);
    const ev = eventsOf(r);
    const reasons = ev.map((e) => e.reason);
    expect(reasons.slice(0, 4)).toEqual(['Created', 'Started', 'FailedPostStartHook', 'Killing']);
    expect(ev.find((e) => e.reason === 'FailedPostStartHook')!.message).toBe('PostStartHook failed');
    expect(ev.find((e) => e.reason === 'Killing')!.message).toBe('FailedPostStartHook');
    expect(ev.find((e) => e.reason === 'BackOff')!.message).toMatch(/^Back-off restarting failed container app in pod bad-hook_default\(.+\)$/);
    const t = timelineOf(r);
    const starts = t.filter((e) => e.what === 'started').map((e) => e.timeMs);
    const exits = t.filter((e) => e.what === 'exited').map((e) => e.timeMs);
    expect(starts.length).toBeGreaterThanOrEqual(3);
    // First restart immediately; the next one 10 s after the second exit (R6.3).
    expect(starts[1]! - exits[0]!).toBeLessThan(500);
    expect(Math.abs(starts[2]! - exits[1]! - 10_000)).toBeLessThan(300);
    const pods = r.objects.filter((o) => o.kind === 'Pod') as Array<{ status?: { containerStatuses?: Array<{ state?: { waiting?: { reason?: string; message?: string } } }> } }>;
    const waiting = pods.map((p) => p.status?.containerStatuses?.[0]?.state?.waiting).filter(Boolean);
    expect(waiting.some((w) => w!.reason === 'PostStartHookError' && w!.message!.startsWith('Exec lifecycle hook ([sh -c echo \'config missing\' >&2; exit 1]) for Container "app"'))).toBe(true);
    expect(waiting.some((w) => w!.reason === 'CrashLoopBackOff' && /^back-off 10s restarting failed container=app pod=bad-hook_default/.test(w!.message!))).toBe(true);
  }, 100_000);

  it('R1.5/R1.6 http-hooks: the httpGet preStop reaches the app on its named port and succeeds', async () => {
    const r = await hooklet(['run', 'examples/http-hooks.yaml', '--delete-after', '1s', '-o', 'json']);
    const t = timelineOf(r);
    expect(t.find((e) => e.what === 'preStop.finished')!.detail).toMatch(/^ok \(HTTP 200 OK\) after /);
    expect(at(t, 'stop.signal')).toBeGreaterThan(at(t, 'preStop.finished') - 1);
  });

  it('--measure recommends a grace from what it measured (5 s preStop + 3 s shutdown → 8)', async () => {
    const r = await hooklet(['run', 'examples/prestop-exceeds-grace.yaml', '--delete-after', '500ms', '--measure']);
    expect(r.stdout).toContain('stretched');
    expect(r.stdout).toMatch(/slow-stop: set terminationGracePeriodSeconds to at least 8 \(10 with a 20% margin\)/);
    expect(r.stdout).toMatch(/Verdicts:\n {2}slow-stop\/app: preStop took 5\.0 s; exited 3\.0 s after SIGTERM/);
  });

  it('R4.9 --restart-agent-during preStop delivers the preStop twice with the agent restart between', async () => {
    const r = await hooklet(['run', 'examples/web-graceful.yaml', '--delete-after', '1s', '--restart-agent-during', 'preStop', '-o', 'json']);
    const t = timelineOf(r).filter((e) => ['preStop.started', 'agent.restart', 'stop.signal', 'exited'].includes(e.what)).map((e) => e.what);
    expect(t).toEqual(['preStop.started', 'agent.restart', 'preStop.started', 'stop.signal', 'exited']);
  });

  it('the text report shows the chart and one verdict per container', async () => {
    const r = await hooklet(['run', 'examples/ignores-sigterm.yaml', '--delete-after', '300ms']);
    const row = r.stdout.split('\n').find((l) => l.startsWith('stubborn/app |'));
    // t=0 is pod.added: on a loaded machine the start can land a column or two later.
    expect(row, r.stdout).toMatch(/^stubborn\/app \| *S=*T-*K *\|$/);
    expect(r.stdout).toContain('stubborn/app: SIGKILLed — the app had not exited 3.0 s after SIGTERM; terminationGracePeriodSeconds must be more than 3');
  });

  it('an invalid manifest is refused before anything starts, with the kubectl message and exit code 1', async () => {
    const r = await hooklet(['run', 'examples/lint/invalid.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is invalid/);
    expect(r.stdout).not.toMatch(/Created container/);
  });
});
