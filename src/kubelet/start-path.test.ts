import { describe, expect, it } from 'vitest';
import { app, engine } from './engine-harness.case.js';

describe('start path (R2)', () => {
  it('R2.1: Created, Started, then postStart; Running only after the hook returns', async () => {
    const e = await engine();
    e.runtime.onExec('app', { argv: ['warm'], durationMs: 3000 });
    e.create({ containers: [app({ lifecycle: { postStart: { exec: { command: ['warm'] } } } })] });
    await e.advance(1);
    expect(e.eventLines()).toEqual(['Created: Created container: app', 'Started: Started container app']);
    const during = e.pod()!.status!;
    expect(during.phase).toBe('Pending');
    expect(during.containerStatuses![0]!.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    await e.advance(2.5);
    const after = e.pod()!.status!;
    expect(after.phase).toBe('Running');
    expect(after.containerStatuses![0]!.state!.running).toBeDefined();
    expect(after.containerStatuses![0]).toMatchObject({ ready: true, started: true, restartCount: 0 });
    expect(after.conditions!.find((c) => c.type === 'Ready')!.status).toBe('True');
    expect(e.marks('app').map(([w]) => w)).toEqual(['created', 'started', 'postStart.started', 'postStart.finished', 'running']);
    const [, started] = e.marks('app').find(([w]) => w === 'running')!;
    expect(started).toBe(3);
  });

  it('R2.2: a slow postStart on the first container delays the start of the second', async () => {
    const e = await engine();
    e.runtime.onExec('a', { durationMs: 5000 });
    e.create({ containers: [app({ name: 'a', lifecycle: { postStart: { exec: { command: ['slow'] } } } }), app({ name: 'b' })] });
    await e.advance(10);
    const startA = e.runtime.callsFor('a', 'start')[0]!.at;
    const startB = e.runtime.callsFor('b', 'start')[0]!.at;
    expect((startB - startA) / 1000).toBe(5);
  });

  it('R2.3, R2.5, timeline (c): a failed postStart records FailedPostStartHook, kills through the full path (preStop runs) and shows PostStartHookError', async () => {
    const e = await engine();
    e.runtime.onExec('app', { argv: ['sh', '-c', 'exit 1'], exitCode: 1 });
    e.runtime.onExec('app', { argv: ['drain'], durationMs: 1000 });
    e.create({
      restartPolicy: 'Never',
      containers: [app({ lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 1'] } }, preStop: { exec: { command: ['drain'] } } } })],
    });
    await e.advance(5);
    expect(e.eventLines()).toEqual([
      'Created: Created container: app',
      'Started: Started container app',
      'FailedPostStartHook: PostStartHook failed',
      'Killing: FailedPostStartHook',
      expect.stringMatching(/^StopSignalSent: Sent SIGTERM to container app; SIGKILL in 29s/),
    ]);
    expect(e.runtime.execCalls('app').map((c) => c.argv.join(' '))).toEqual(['sh -c exit 1', 'drain']);
    const st = e.pod()!.status!;
    const uid = e.pod()!.metadata.uid;
    expect(st.containerStatuses![0]!.state).toEqual({
      waiting: {
        reason: 'PostStartHookError',
        message: `Exec lifecycle hook ([sh -c exit 1]) for Container "app" in Pod "web_default(${uid})" failed - error: command 'sh -c exit 1' exited with 1: , message: ""`,
      },
    });
    // R2.4: Never: not restarted, and the pod has failed.
    expect(e.runtime.callsFor('app', 'create')).toHaveLength(1);
    expect(st.phase).toBe('Failed');
  });

  it('timeline (c): restart at once, then BackOff / CrashLoopBackOff, restarts 10 s and 20 s after each failure (R6.3, R6.4)', async () => {
    const e = await engine();
    e.runtime.onExec('app', { exitCode: 1 });
    e.create({ containers: [app({ lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 1'] } } } })] });
    await e.advance(0.5);
    const uid = e.pod()!.metadata.uid;
    const pod = `web_default(${uid})`;
    // Two instances already: the first restart is immediate.
    expect(e.runtime.callsFor('app', 'create')).toHaveLength(2);
    expect(e.eventLines()).toContain(`BackOff: Back-off restarting failed container app in pod ${pod}`);
    const st = e.pod()!.status!.containerStatuses![0]!;
    expect(st.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=app pod=${pod}` } });
    expect(st.restartCount).toBe(1);
    expect(st.lastState!.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
    await e.advance(60);
    const starts = e.runtime.callsFor('app', 'start').map((c) => e.at(c.at));
    expect(starts).toEqual([0, 0, 10, 30]);
    const backoff = e.events().find((x) => x.reason === 'BackOff')!;
    expect(backoff.count).toBe(3);
    expect(e.pod()!.status!.containerStatuses![0]!.state!.waiting!.message).toBe(`back-off 40s restarting failed container=app pod=${pod}`);
  });

  it('R6.1: OnFailure restarts a failure but not a success; the pod then Succeeded', async () => {
    const e = await engine();
    e.runtime.behave('app', { exitAfterMs: 1000, exitCode: 1 });
    e.runtime.behave({ container: 'app', attempt: 1 }, { exitAfterMs: 1000, exitCode: 0 });
    e.create({ restartPolicy: 'OnFailure', containers: [app()] });
    await e.advance(30);
    expect(e.runtime.callsFor('app', 'create')).toHaveLength(2);
    expect(e.pod()!.status!.phase).toBe('Succeeded');
    expect(e.pod()!.status!.containerStatuses![0]!.state!.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('R3.7: a container that exits by itself does not get its preStop', async () => {
    const e = await engine();
    e.runtime.behave('app', { exitAfterMs: 2000, exitCode: 0 });
    e.create({ restartPolicy: 'Never', containers: [app({ lifecycle: { preStop: { exec: { command: ['drain'] } } } })] });
    await e.advance(5);
    expect(e.runtime.execCalls('app')).toHaveLength(0);
    expect(e.eventLines().some((l) => l.startsWith('Killing'))).toBe(false);
  });

  it('R2.1 step 5: a create error records Failed "Error: …" and CreateContainerError, and retries later', async () => {
    const e = await engine();
    e.runtime.behave({ container: 'app', attempt: 0 }, { createError: 'command is required' });
    e.create({ containers: [app()] });
    await e.advance(1);
    expect(e.eventLines()[0]).toBe('Failed: Error: command is required');
    expect(e.pod()!.status!.containerStatuses![0]!.state!.waiting).toMatchObject({ reason: 'CreateContainerError' });
  });
});
