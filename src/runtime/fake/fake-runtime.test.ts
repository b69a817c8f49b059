import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../clock/fake-clock.js';
import { RuntimeError, type ContainerConfig, type RuntimeEvent } from '../container-runtime.js';
import { runtimeConformance, type ExecProbe, type Program } from '../conformance.case.js';
import type { FakeBehaviour } from './fake-behaviour.js';
import { FakeRuntime } from './fake-runtime.js';

function behaviourFor(program: Program): FakeBehaviour {
  switch (program.kind) {
    case 'sleep':
      return {};
    case 'exit':
      return { exitAfterMs: program.afterMs ?? 0, exitCode: program.exitCode };
    case 'ignoreStop':
      return { onStop: 'ignore', onSignal: { SIGTERM: 'ignore', SIGINT: 'ignore', SIGUSR1: 'ignore', SIGHUP: 'ignore' }, logs: ['ready'] };
    case 'trap':
      return { onSignal: { [program.signal]: { exitAfterMs: 0, exitCode: program.exitCode }, SIGTERM: 'ignore' }, logs: ['ready'] };
    case 'print':
      return {
        logs: [...program.stdout.map((text) => ({ text })), ...program.stderr.map((text) => ({ text, stream: 'stderr' as const }))],
        exitAfterMs: program.exitAfterMs,
      };
  }
}

runtimeConformance('fake', () => {
  const clock = new FakeClock();
  const runtime = new FakeRuntime(clock);
  return {
    runtime,
    program: (name, program) => {
      runtime.behave(name, behaviourFor(program));
      return { command: ['fake', program.kind], args: [] };
    },
    execArgv: (name, probe: ExecProbe) => {
      const argv = ['probe', probe.kind, name];
      if (probe.kind === 'envAndCwd') {
        runtime.onExec(name, {
          argv,
          exitCode: probe.exitCode,
          stdout: (c) => `${c.env[probe.variable] ?? ''}\n${c.workingDir ?? ''}\n`,
          stderr: 'probe-err\n',
        });
      } else {
        runtime.onExec(name, { argv, hang: true, stdout: 'hanging\n' });
      }
      return argv;
    },
    workingDir: '/srv/app',
    now: () => clock.now(),
    elapse: (ms) => clock.advance(ms),
    toleranceMs: 0,
    dispose: () => runtime.close(),
  };
});

const config = (name: string, extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
  podUid: 'uid-web',
  podName: 'web',
  podNamespace: 'default',
  name,
  attempt: 0,
  image: 'nginx',
  command: ['app'],
  args: [],
  env: {},
  ...extra,
});

function setup(): { clock: FakeClock; fake: FakeRuntime; t0: number; events: RuntimeEvent[] } {
  const clock = new FakeClock();
  const fake = new FakeRuntime(clock);
  const events: RuntimeEvent[] = [];
  fake.onEvent((e) => events.push(e));
  return { clock, fake, t0: clock.now(), events };
}

async function run(fake: FakeRuntime, c: ContainerConfig): Promise<string> {
  const id = await fake.create(c);
  await fake.start(id);
  return id;
}

describe('FakeRuntime control API', () => {
  it('records SIGTERM at the stop and SIGKILL at the deadline, with clock times', async () => {
    const { clock, fake, t0 } = setup();
    fake.behave('app', { onStop: 'ignore' });
    const id = await run(fake, config('app'));
    await clock.advance(1000);
    const stopped = fake.stop(id, 30_000);
    await clock.advance(30_000);
    await stopped;
    expect(fake.signalsSent('app')).toEqual([
      { signal: 'SIGTERM', at: t0 + 1000, id },
      { signal: 'SIGKILL', at: t0 + 31_000, id },
    ]);
    expect(fake.statusOf('app')).toMatchObject({ state: 'exited', exitCode: 137, signal: 'SIGKILL', finishedAt: t0 + 31_000 });
    expect(clock.pendingCount).toBe(0);
  });

  it('a graceful exit on the stop signal after M ms cancels the SIGKILL timer', async () => {
    const { clock, fake, t0 } = setup();
    fake.behave('app', { onStop: { exitAfterMs: 4200, exitCode: 0 } });
    const id = await run(fake, config('app'));
    const stopped = fake.stop(id, 30_000);
    await clock.advance(5000);
    await stopped;
    expect(fake.statusOf(id)).toMatchObject({ exitCode: 0, reason: 'Completed', finishedAt: t0 + 4200 });
    expect(fake.signalsSent('app').map((s) => s.signal)).toEqual(['SIGTERM']);
    expect(clock.pendingCount).toBe(0);
  });

  it('R6.1: a lost container reads unknown, refuses exec, and however it ends is recorded as 137 ContainerStatusUnknown', async () => {
    const { clock, fake, t0, events } = setup();
    fake.behave('app', { onStop: 'ignore' });
    const id = await run(fake, config('app'));
    fake.lose('app');
    expect(await fake.status(id)).toMatchObject({ state: 'unknown', podName: 'web', podNamespace: 'default' });
    await expect(fake.execSync(id, ['true'], 0)).rejects.toMatchObject({ reason: 'NotRunning' });
    const stopped = fake.stop(id, 2000);
    await clock.advance(2000);
    await stopped;
    expect(fake.statusOf(id)).toMatchObject({ state: 'exited', exitCode: 137, signal: undefined, reason: 'ContainerStatusUnknown', finishedAt: t0 + 2000 });
    expect(fake.signalsSent('app').map((s) => s.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(events.filter((e) => e.type === 'exited')).toMatchObject([{ id, exitCode: 137 }]);
    const other = await run(fake, config('other'));
    fake.lose(other);
    fake.exit(other, 0);
    expect(fake.statusOf(other)).toMatchObject({ exitCode: 137, reason: 'ContainerStatusUnknown' });
  });

  it('exits by itself after N ms with code C; behaviour can depend on the attempt', async () => {
    const { clock, fake, t0, events } = setup();
    fake.behave('app', (c) => (c.attempt === 0 ? { exitAfterMs: 500, exitCode: 2 } : {}));
    const first = await run(fake, config('app'));
    await clock.advance(500);
    expect(fake.statusOf(first)).toMatchObject({ state: 'exited', exitCode: 2, reason: 'Error', finishedAt: t0 + 500 });
    const second = await run(fake, config('app', { attempt: 1 }));
    await clock.advance(10_000);
    expect(fake.statusOf(second).state).toBe('running');
    expect(fake.idOf('app')).toBe(second);
    expect(fake.idOf('app', 0)).toBe(first);
    expect(events.filter((e) => e.id === first).map((e) => e.type)).toEqual(['created', 'started', 'exited']);
  });

  it('scripts exec results per argv with a duration; unscripted execs succeed at once', async () => {
    const { clock, fake, t0 } = setup();
    fake.onExec('app', { argv: ['sh', '-c', 'sleep 5'], durationMs: 5000, exitCode: 1, stdout: 'slow\n', stderr: 'err\n' });
    const id = await run(fake, config('app'));
    let result;
    void fake.execSync(id, ['sh', '-c', 'sleep 5'], 0).then((r) => (result = r));
    await clock.advance(4999);
    expect(result).toBeUndefined();
    await clock.advance(1);
    expect(result).toEqual({ exitCode: 1, stdout: 'slow\n', stderr: 'err\n' });
    expect(await fake.execSync(id, ['true'], 0)).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(fake.execCalls('app')).toEqual([
      { argv: ['sh', '-c', 'sleep 5'], at: t0, id, timeoutMs: 0 },
      { argv: ['true'], at: t0 + 5000, id, timeoutMs: 0 },
    ]);
    expect(fake.callsFor('app', 'execEnd').map((c) => [c.at - t0, c.exitCode])).toEqual([
      [5000, 1],
      [5000, 0],
    ]);
  });

  it('a hanging exec ends with 137 when the container dies (preStop cut off by the grace)', async () => {
    const { clock, fake } = setup();
    fake.behave('app', { onStop: 'ignore' }).onExec('app', { argv: ['hang'], hang: true });
    const id = await run(fake, config('app'));
    const exec = fake.execSync(id, ['hang'], 0);
    const stopped = fake.stop(id, 2000);
    await clock.advance(2000);
    await stopped;
    expect(await exec).toMatchObject({ exitCode: 137 });
  });

  it('exec scripts: later ones win, `times` limits uses, `error` throws ExecFailed', async () => {
    const { fake } = setup();
    fake
      .onExec('app', { exitCode: 9 })
      .onExec('app', { argv: (a) => a[0] === 'probe', exitCode: 1, times: 2 })
      .onExec('app', { argv: ['missing'], error: 'exec: "missing": executable file not found in $PATH' });
    const id = await run(fake, config('app'));
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await fake.execSync(id, ['probe'], 0)).exitCode);
    expect(codes).toEqual([1, 1, 9]);
    await expect(fake.execSync(id, ['missing'], 0)).rejects.toMatchObject({ reason: 'ExecFailed' });
  });

  it('exit() crashes a container now; log() writes a line; failNext() injects one error', async () => {
    const { clock, fake } = setup();
    const id = await run(fake, config('app'));
    await clock.advance(100);
    fake.log('app', 'hello');
    fake.exit('app', 0, 'SIGSEGV');
    expect(fake.statusOf(id)).toMatchObject({ state: 'exited', exitCode: 139, signal: 'SIGSEGV', reason: 'Error' });
    let text = '';
    await fake.logs(id, { timestamps: true }, (c) => (text += c));
    expect(text).toBe('2026-01-01T00:00:00.100000000Z hello\n');
    fake.failNext('stop', new RuntimeError('Internal', 'runtime is down'));
    await expect(fake.stop(id, 1000)).rejects.toThrow('runtime is down');
    await fake.stop(id, 1000);
    expect(fake.callsFor('app', 'stop')).toHaveLength(2);
  });

  it('start and create errors as scripted', async () => {
    const { fake } = setup();
    fake.behave('bad', { startError: 'exec: "app": permission denied' }).behave('invalid', { createError: 'no command' });
    const id = await fake.create(config('bad'));
    await expect(fake.start(id)).rejects.toMatchObject({ reason: 'StartFailed', message: 'exec: "app": permission denied' });
    expect(fake.statusOf(id)).toMatchObject({ state: 'exited', exitCode: 128, reason: 'StartError' });
    await expect(fake.create(config('invalid'))).rejects.toMatchObject({ reason: 'InvalidConfig' });
  });

  it('matches rules by pod and container, and uses the configured stop signal', async () => {
    const { clock, fake } = setup();
    fake.behave({ pod: 'web', container: 'app' }, { onSignal: { SIGQUIT: { exitAfterMs: 50, exitCode: 0 } } });
    const id = await run(fake, config('app', { stopSignal: 'SIGQUIT' }));
    const other = await run(fake, config('app', { podName: 'db', podUid: 'uid-db', stopSignal: 'SIGQUIT' }));
    const stops = Promise.all([fake.stop(id, 1000), fake.stop(other, 1000)]);
    await clock.advance(1000);
    await stops;
    expect(fake.statusOf(id)).toMatchObject({ exitCode: 0, finishedAt: clock.now() - 950 });
    expect(fake.statusOf(other)).toMatchObject({ exitCode: 131, signal: 'SIGQUIT' });
  });
});
