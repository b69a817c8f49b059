import { describe, expect, it } from 'vitest';
import { app, engine } from './engine-harness.case.js';

/** Signals received by a container, as `SIGNAL@seconds`. */
async function signals(e: Awaited<ReturnType<typeof engine>>, name = 'app'): Promise<string[]> {
  return e.runtime.signalsSent(name).map((s) => `${s.signal}@${e.at(s.at)}`);
}

describe('kill path and pod termination (R3, R4)', () => {
  it('timeline (a): grace 60, 55 s preStop, app needs 10 s: SIGTERM at 55, SIGKILL at 60', async () => {
    const e = await engine();
    e.runtime.onExec('app', { argv: ['drain'], durationMs: 55_000 });
    e.runtime.behave('app', { onStop: { exitAfterMs: 10_000 } });
    e.create({ terminationGracePeriodSeconds: 60, containers: [app({ lifecycle: { preStop: { exec: { command: ['drain'] } } } })] });
    await e.advance(1);
    e.store.deletePod('default', 'web');
    const t0 = e.t();
    await e.advance(70);
    expect((await signals(e)).map((s) => s.replace(/@(.*)/, (_, t) => `@${Number(t) - t0}`))).toEqual(['SIGTERM@55', 'SIGKILL@60']);
    expect(e.eventLines()).toContain('Killing: Stopping container app');
    expect(e.eventLines().some((l) => l.startsWith('ForceKilled: Container app did not exit within 5s of SIGTERM'))).toBe(true);
    expect(e.runtime.callsFor('app', 'exit')[0]!.exitCode).toBe(137);
    // R4.1: the kubelet's final delete removes the object once everything stopped.
    expect(e.pod()).toBeUndefined();
    expect(e.marks('app').map(([w, t]) => `${w}@${t - t0}`)).toEqual([
      'created@-1', 'started@-1', 'running@-1', 'killing@0', 'preStop.started@0', 'preStop.finished@55', 'stop.signal@55', 'sigkill@60', 'exited@60',
    ]);
  });

  it('R3.4: a 55.9 s preStop counts as 55 s, so SIGKILL comes at 60.9 s', async () => {
    const e = await engine();
    e.runtime.onExec('app', { durationMs: 55_900 });
    e.runtime.behave('app', { onStop: 'ignore' });
    e.create({ terminationGracePeriodSeconds: 60, containers: [app({ lifecycle: { preStop: { exec: { command: ['drain'] } } } })] });
    e.store.deletePod('default', 'web');
    await e.advance(70);
    expect(await signals(e)).toEqual(['SIGTERM@55.9', 'SIGKILL@60.9']);
  });

  it('timeline (a), failed preStop: FailedPreStopHook at 1 s, then stop(59)', async () => {
    const e = await engine();
    e.runtime.onExec('app', { durationMs: 1000, exitCode: 1 });
    e.runtime.behave('app', { onStop: { exitAfterMs: 10_000 } });
    e.create({ terminationGracePeriodSeconds: 60, containers: [app({ lifecycle: { preStop: { exec: { command: ['drain'] } } } })] });
    e.store.deletePod('default', 'web');
    await e.advance(20);
    expect(e.eventLines()).toContain('FailedPreStopHook: PreStopHook failed');
    expect(e.runtime.callsFor('app', 'stop')[0]).toMatchObject({ timeoutMs: 59_000 });
    expect(await signals(e)).toEqual(['SIGTERM@1']);
    expect(e.runtime.callsFor('app', 'exit')[0]!.exitCode).toBe(0);
  });

  it('timeline (b1), R3.3: a preStop sleep equal to the grace leaves only the 2 s floor', async () => {
    const e = await engine();
    e.runtime.behave('app', { onStop: 'ignore' });
    e.create({ containers: [app({ lifecycle: { preStop: { sleep: { seconds: 30 } } } })] });
    e.store.deletePod('default', 'web');
    await e.advance(40);
    expect(await signals(e)).toEqual(['SIGTERM@30', 'SIGKILL@32']);
  });

  it('timeline (b2): delete --grace-period=20 cuts a 45 s sleep at 20 s; the sleep finishes silently later', async () => {
    const e = await engine();
    e.runtime.behave('app', { onStop: 'ignore' });
    e.create({ terminationGracePeriodSeconds: 60, containers: [app({ lifecycle: { preStop: { sleep: { seconds: 45 } } } })] });
    e.store.deletePod('default', 'web', 20);
    await e.advance(60);
    expect(await signals(e)).toEqual(['SIGTERM@20', 'SIGKILL@22']);
    expect(e.eventLines().some((l) => l.startsWith('FailedPreStopHook'))).toBe(false);
    expect(e.marks('app').map(([w, t]) => `${w}@${t}`)).toContain('preStop.cutoff@20');
    expect(e.marks('app').map(([w, t]) => `${w}@${t}`)).toContain('preStop.finished@45');
  });

  it('timeline (b2), exec variant: the exec dies with the container and FailedPreStopHook comes after the stop', async () => {
    const e = await engine();
    e.runtime.onExec('app', { hang: true });
    e.runtime.behave('app', { onStop: 'ignore' });
    e.create({ terminationGracePeriodSeconds: 60, containers: [app({ lifecycle: { preStop: { exec: { command: ['sleep', '45'] } } } })] });
    e.store.deletePod('default', 'web', 20);
    await e.advance(60);
    expect(await signals(e)).toEqual(['SIGTERM@20', 'SIGKILL@22']);
    const failed = e.events().find((x) => x.reason === 'FailedPreStopHook');
    expect(failed).toBeDefined();
    expect(e.marks('app').find(([w]) => w === 'preStop.finished')![1]).toBe(22);
  });

  it('timeline (d), R4.4: a shorter second delete does not reach the kill in flight', async () => {
    const e = await engine();
    e.runtime.behave('app', { onStop: 'ignore' });
    e.create({ containers: [app({ lifecycle: { preStop: { sleep: { seconds: 30 } } } })] });
    e.store.deletePod('default', 'web');
    await e.advance(10);
    e.store.deletePod('default', 'web', 5);
    expect(e.pod()!.metadata.deletionGracePeriodSeconds).toBe(5);
    await e.advance(30);
    expect(await signals(e)).toEqual(['SIGTERM@30', 'SIGKILL@32']);
  });

  it('R4.3: a force delete (grace 0) still gives the preStop 1 s, then the 2 s floor', async () => {
    const e = await engine();
    e.runtime.behave('app', { onStop: 'ignore' });
    e.create({ containers: [app({ lifecycle: { preStop: { sleep: { seconds: 10 } } } })] });
    await e.advance(1);
    e.store.deletePod('default', 'web', 0);
    expect(e.pod()).toBeUndefined();
    await e.advance(10);
    expect(await signals(e)).toEqual(['SIGTERM@2', 'SIGKILL@4']);
  });

  it('R3.6: every running container is killed at once; preStops start together', async () => {
    const e = await engine();
    e.runtime.onExec('a', { durationMs: 3000 });
    e.runtime.onExec('b', { durationMs: 1000 });
    const pre = { preStop: { exec: { command: ['drain'] } } };
    e.create({ containers: [app({ name: 'a', lifecycle: pre }), app({ name: 'b', lifecycle: pre })] });
    await e.advance(1);
    e.store.deletePod('default', 'web');
    await e.advance(10);
    expect(e.runtime.execCalls('a')[0]!.at).toBe(e.runtime.execCalls('b')[0]!.at);
    expect(await signals(e, 'a')).toEqual(['SIGTERM@4']);
    expect(await signals(e, 'b')).toEqual(['SIGTERM@2']);
  });

  it('R3.8: lifecycle.stopSignal is the signal sent at stop; hooklet records StopSignalSent', async () => {
    const e = await engine();
    e.create({ os: { name: 'linux' }, containers: [app({ lifecycle: { stopSignal: 'SIGUSR1' } })] });
    e.store.deletePod('default', 'web');
    await e.advance(5);
    expect((await signals(e))[0]).toBe('SIGUSR1@0');
    expect(e.eventLines()).toContain('StopSignalSent: Sent SIGUSR1 to container app; SIGKILL in 30s if it has not exited');
  });

  it('R5.2: a sidecar runs its preStop at once, then waits for the main containers before its stop signal', async () => {
    const e = await engine();
    e.runtime.onExec('side', { durationMs: 5000 });
    e.runtime.behave('main', { onStop: { exitAfterMs: 20_000 } });
    e.create({
      initContainers: [app({ name: 'side', restartPolicy: 'Always', lifecycle: { preStop: { exec: { command: ['bye'] } } } })],
      containers: [app({ name: 'main' })],
    });
    await e.advance(1);
    e.store.deletePod('default', 'web');
    const t0 = e.t();
    await e.advance(40);
    expect(e.runtime.execCalls('side')[0]!.at).toBe(e.runtime.callsFor('main', 'stop')[0]!.at);
    const side = e.runtime.callsFor('side', 'stop')[0]!;
    // grace 30 − 5 (preStop) − 15 (waiting for main: exits 20 s after its SIGTERM at 0) = 10
    expect(e.at(side.at) - t0).toBe(20);
    expect(side.timeoutMs).toBe(10_000);
  });

  it('R4.1, R4.8: the pod stays (Terminating) until the kubelet is done, with phase Running', async () => {
    const e = await engine();
    e.runtime.behave('app', { onStop: { exitAfterMs: 3000 } });
    e.create({ containers: [app()] });
    await e.advance(1);
    e.store.deletePod('default', 'web');
    await e.advance(2);
    const p = e.pod()!;
    expect(p.metadata.deletionTimestamp).toBeDefined();
    expect(p.status!.phase).toBe('Running');
    expect(p.status!.conditions!.find((c) => c.type === 'Ready')!.status).toBe('False');
    await e.advance(2);
    expect(e.pod()).toBeUndefined();
    expect(e.kubelet.activeUids).toEqual([]);
  });
});

describe('sync-context kills (R3.5, timeline b3)', () => {
  it('R3.5: a preStop sleep run by a postStart-failure kill is cancelled when the pod starts terminating', async () => {
    const e = await engine();
    e.runtime.onExec('app', { exitCode: 1 });
    e.runtime.behave('app', { onStop: 'ignore' });
    e.create({ containers: [app({ lifecycle: { postStart: { exec: { command: ['fail'] } }, preStop: { sleep: { seconds: 20 } } } })] });
    await e.advance(5);
    e.store.deletePod('default', 'web');
    await e.advance(1);
    expect(e.eventLines()).toContain('FailedPreStopHook: PreStopHook failed');
    const finished = e.timeline.find((t) => t.what === 'preStop.finished')!;
    expect(finished.detail).toContain('container terminated before sleep hook finished');
    expect(e.at(finished.timeMs)).toBe(5);
  });
});
