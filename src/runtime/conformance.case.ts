import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuntimeError, type ContainerConfig, type ContainerRuntime, type RuntimeEvent } from './container-runtime.js';

/**
 * What a test container does, independent of the adapter: the process
 * runtime turns it into a shell script, the fake runtime into a script of
 * its own. Programs that handle signals print `ready` once their handlers
 * are in place.
 */
export type Program =
  /** Runs until a signal ends it (default dispositions). */
  | { kind: 'sleep' }
  | { kind: 'exit'; exitCode: number; afterMs?: number }
  /** Ignores SIGTERM, SIGINT, SIGUSR1 and SIGHUP; only SIGKILL ends it. */
  | { kind: 'ignoreStop' }
  /** Exits with `exitCode` on `signal`, ignores SIGTERM. */
  | { kind: 'trap'; signal: NodeJS.Signals; exitCode: number }
  /** Prints the lines (stdout first, then stderr), then exits 0 after `exitAfterMs` or runs on. */
  | { kind: 'print'; stdout: string[]; stderr: string[]; exitAfterMs?: number };

export type ExecProbe =
  /** Prints the value of $variable and the working directory on stdout, `probe-err` on stderr, exits with exitCode. */
  | { kind: 'envAndCwd'; variable: string; exitCode: number }
  /** Prints `hanging` on stdout, then runs until killed. */
  | { kind: 'hang' };

export interface ConformanceSubject {
  runtime: ContainerRuntime;
  /** command and args that behave like `program` (the fake scripts it under the container name). */
  program(name: string, program: Program): Pick<ContainerConfig, 'command' | 'args'>;
  /** argv for an exec probe in container `name`. */
  execArgv(name: string, probe: ExecProbe): string[];
  /** An existing directory, as the runtime's commands would print it (`pwd`). */
  workingDir: string;
  /** The runtime's clock. */
  now(): number;
  /** Lets time pass: a real sleep, or FakeClock.advance. */
  elapse(ms: number): Promise<void>;
  /** How late a timer-driven action may land on this adapter (0 on the fake clock). */
  toleranceMs: number;
  /** Ends what the test started (real processes: by PID) and releases the runtime. */
  dispose(): Promise<void>;
}

const POD = { podUid: 'uid-web', podName: 'web', podNamespace: 'default' };

/**
 * The contract every ContainerRuntime adapter passes (container-runtime.ts).
 * `makeRuntime` is called before each test and gives a fresh runtime.
 */
export function runtimeConformance(name: string, makeRuntime: () => Promise<ConformanceSubject> | ConformanceSubject): void {
  describe(`ContainerRuntime conformance: ${name}`, () => {
    let s: ConformanceSubject;
    let rt: ContainerRuntime;
    let events: RuntimeEvent[];

    beforeEach(async () => {
      s = await makeRuntime();
      rt = s.runtime;
      events = [];
      rt.onEvent((e) => events.push(e));
    });

    afterEach(async () => {
      await s.dispose();
    });

    const config = (name: string, program: Program, extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
      ...POD,
      name,
      attempt: 0,
      image: 'busybox',
      env: { HOOKLET_PROBE: 'probe-value' },
      ...s.program(name, program),
      ...extra,
    });

    const run = async (name: string, program: Program, extra: Partial<ContainerConfig> = {}): Promise<string> => {
      const id = await rt.create(config(name, program, extra));
      await rt.start(id);
      return id;
    };

    /** Resolves `p` while letting runtime time pass in small steps. */
    const settle = async <T>(p: Promise<T>, maxMs = 5000): Promise<T> => {
      let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
      p.then(
        (value) => (outcome = { ok: true, value }),
        (error: unknown) => (outcome = { ok: false, error }),
      );
      for (let waited = 0; outcome === undefined; waited += 10) {
        if (waited >= maxMs) throw new Error(`did not settle within ${maxMs} ms`);
        await s.elapse(10);
      }
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    };

    const until = async (check: () => Promise<boolean>, what: string, maxMs = 5000): Promise<void> => {
      for (let waited = 0; !(await check()); waited += 10) {
        if (waited >= maxMs) throw new Error(`timed out waiting for ${what}`);
        await s.elapse(10);
      }
    };

    const logText = async (id: string, options = {}): Promise<string> => {
      let text = '';
      await rt.logs(id, options, (chunk) => (text += chunk));
      return text;
    };

    const ready = (id: string): Promise<void> =>
      until(async () => (await logText(id)).includes('ready'), `container ${id} to print "ready"`);

    const exited = (id: string): Promise<void> => until(async () => (await rt.status(id)).state === 'exited', `${id} to exit`);

    const typesOf = (id: string): string[] => events.filter((e) => e.id === id).map((e) => e.type);

    const expectReason = async (p: Promise<unknown>, reason: RuntimeError['reason']): Promise<RuntimeError> => {
      const err: unknown = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(RuntimeError);
      expect((err as RuntimeError).reason).toBe(reason);
      return err as RuntimeError;
    };

    it('creates, then starts: status created, then running with a pid', async () => {
      const id = await rt.create(config('app', { kind: 'sleep' }));
      expect(await rt.status(id)).toMatchObject({ id, name: 'app', podUid: POD.podUid, attempt: 0, state: 'created', stopSignal: 'SIGTERM' });
      await rt.start(id);
      const st = await rt.status(id);
      expect(st.state).toBe('running');
      expect(st.pid).toBeGreaterThan(0);
      expect(st.startedAt).toBeGreaterThanOrEqual(st.createdAt - 50);
      expect(st.exitCode).toBeUndefined();
    });

    it('reports exit code 3 with reason Error, and exit 0 as Completed', async () => {
      const failing = await run('failing', { kind: 'exit', exitCode: 3, afterMs: 50 });
      const ok = await run('ok', { kind: 'exit', exitCode: 0 });
      await settle(Promise.all([exited(failing), exited(ok)]));
      const f = await rt.status(failing);
      expect(f).toMatchObject({ state: 'exited', exitCode: 3, reason: 'Error' });
      expect(f.signal).toBeUndefined();
      expect(f.finishedAt).toBeGreaterThanOrEqual(f.startedAt!);
      expect(await rt.status(ok)).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed' });
    });

    it('reports a SIGKILL as exit code 137 with signal SIGKILL (stop with timeout 0)', async () => {
      const id = await run('app', { kind: 'sleep' });
      await settle(rt.stop(id, 0));
      expect(await rt.status(id)).toMatchObject({ state: 'exited', exitCode: 137, signal: 'SIGKILL', reason: 'Error' });
      expect(events.filter((e) => e.id === id && e.type === 'signalled').map((e) => e.type === 'signalled' && e.signal)).toEqual(['SIGKILL']);
    });

    it('reports death by the stop signal as 128+15 with signal SIGTERM', async () => {
      const id = await run('app', { kind: 'sleep' });
      await settle(rt.stop(id, 5000));
      expect(await rt.status(id)).toMatchObject({ state: 'exited', exitCode: 143, signal: 'SIGTERM', reason: 'Error' });
    });

    it('stop twice is fine: concurrently and after the exit', async () => {
      const id = await run('app', { kind: 'sleep' });
      await settle(Promise.all([rt.stop(id, 1000), rt.stop(id, 1000)]));
      await settle(rt.stop(id, 1000));
      expect((await rt.status(id)).state).toBe('exited');
    });

    it('stop of a missing container resolves', async () => {
      await settle(rt.stop('0123456789abcdef0123456789abcdef', 1000));
      await settle(rt.stop('no-such-container', 0));
    });

    it('R3.2 step 8: a process that ignores the stop signal is SIGKILLed at the timeout, and not before', async () => {
      const id = await run('stubborn', { kind: 'ignoreStop' });
      await ready(id);
      const t0 = s.now();
      const stopped = rt.stop(id, 400).then(() => s.now());
      await s.elapse(300);
      expect((await rt.status(id)).state).toBe('running');
      const t1 = await settle(stopped);
      expect(t1 - t0).toBeGreaterThanOrEqual(399);
      expect(t1 - t0).toBeLessThanOrEqual(400 + s.toleranceMs);
      expect(await rt.status(id)).toMatchObject({ state: 'exited', exitCode: 137, signal: 'SIGKILL' });
      const signals = events.filter((e) => e.id === id && e.type === 'signalled');
      expect(signals.map((e) => e.type === 'signalled' && e.signal)).toEqual(['SIGTERM', 'SIGKILL']);
      const killAfter = signals[1]!.at - signals[0]!.at;
      expect(killAfter).toBeGreaterThanOrEqual(399);
      expect(killAfter).toBeLessThanOrEqual(400 + s.toleranceMs);
    });

    it('R3.8: stop delivers the configured stopSignal (SIGUSR1)', async () => {
      const id = await run('app', { kind: 'trap', signal: 'SIGUSR1', exitCode: 42 }, { stopSignal: 'SIGUSR1' });
      expect((await rt.status(id)).stopSignal).toBe('SIGUSR1');
      await ready(id);
      const t0 = s.now();
      await settle(rt.stop(id, 3000));
      expect(s.now() - t0).toBeLessThan(3000);
      expect(await rt.status(id)).toMatchObject({ state: 'exited', exitCode: 42 });
      expect(events.find((e) => e.id === id && e.type === 'signalled')).toMatchObject({ signal: 'SIGUSR1' });
    });

    it('stop with an explicit signal (SIGINT) overrides the configured one', async () => {
      const id = await run('app', { kind: 'trap', signal: 'SIGINT', exitCode: 43 });
      await ready(id);
      await settle(rt.stop(id, 3000, 'SIGINT'));
      expect(await rt.status(id)).toMatchObject({ state: 'exited', exitCode: 43 });
    });

    it('R1.3: execSync returns stdout, stderr and a non-zero exit code (a result, not an error), with the container env and workingDir', async () => {
      const id = await run('app', { kind: 'sleep' }, { workingDir: s.workingDir });
      const argv = s.execArgv('app', { kind: 'envAndCwd', variable: 'HOOKLET_PROBE', exitCode: 4 });
      const result = await settle(rt.execSync(id, argv, 0));
      expect(result).toEqual({ exitCode: 4, stdout: `probe-value\n${s.workingDir}\n`, stderr: 'probe-err\n' });
    });

    it('exec on a container that is not running throws NotRunning', async () => {
      const created = await rt.create(config('created', { kind: 'sleep' }));
      const argv = s.execArgv('created', { kind: 'envAndCwd', variable: 'HOOKLET_PROBE', exitCode: 0 });
      await expectReason(rt.execSync(created, argv, 0), 'NotRunning');
      const done = await run('done', { kind: 'exit', exitCode: 0 });
      await settle(exited(done));
      await expectReason(rt.execSync(done, s.execArgv('done', { kind: 'envAndCwd', variable: 'X', exitCode: 0 }), 0), 'NotRunning');
      await expectReason(rt.exec(done, ['true'], {}), 'NotRunning');
    });

    it('an exec dies with its container (exit 137)', async () => {
      const id = await run('app', { kind: 'sleep' });
      let out = '';
      const exec = rt.exec(id, s.execArgv('app', { kind: 'hang' }), { stdout: (c) => (out += c.toString()) });
      await until(async () => out.includes('hanging'), 'the exec to start');
      await settle(rt.stop(id, 0));
      expect(await settle(exec)).toBe(137);
    });

    it('R1.3: execSync with a timeout stops the command and throws ExecFailed `command "…" timed out`', async () => {
      const id = await run('app', { kind: 'sleep' });
      const err = await expectReason(settle(rt.execSync(id, s.execArgv('app', { kind: 'hang' }), 200)), 'ExecFailed');
      expect(err.message).toBe(`command ${JSON.stringify(s.execArgv('app', { kind: 'hang' }).join(' '))} timed out`);
      expect((await rt.status(id)).state).toBe('running');
    });

    it('events are ordered created → started → exited', async () => {
      const id = await run('app', { kind: 'exit', exitCode: 5, afterMs: 20 });
      await settle(exited(id));
      await settle(until(async () => typesOf(id).includes('exited'), 'the exited event'));
      expect(typesOf(id)).toEqual(['created', 'started', 'exited']);
      const mine = events.filter((e) => e.id === id);
      expect(mine[2]).toMatchObject({ exitCode: 5 });
      // The shim's clock and the agent's may differ by a hair.
      expect(mine[1]!.at).toBeGreaterThanOrEqual(mine[0]!.at - 50);
      expect(mine[2]!.at).toBeGreaterThanOrEqual(mine[1]!.at);
    });

    it('remove is idempotent; the container is then NotFound and unlisted', async () => {
      const id = await run('app', { kind: 'exit', exitCode: 0 });
      await settle(exited(id));
      await rt.remove(id);
      await rt.remove(id);
      await rt.remove('no-such-container');
      await expectReason(rt.status(id), 'NotFound');
      expect((await rt.list()).map((c) => c.id)).not.toContain(id);
    });

    it('remove of a running container force-stops it first', async () => {
      const id = await run('app', { kind: 'ignoreStop' });
      await settle(rt.remove(id));
      await expectReason(rt.status(id), 'NotFound');
      expect(typesOf(id)).toContain('exited');
    });

    it('unknown ids: status and start throw NotFound', async () => {
      await expectReason(rt.status('no-such-container'), 'NotFound');
      await expectReason(rt.start('no-such-container'), 'NotFound');
    });

    it('logs return the lines of both streams; tailLines, timestamps and limitBytes', async () => {
      const id = await run('app', { kind: 'print', stdout: ['one', 'two', 'three'], stderr: ['oops'], exitAfterMs: 0 });
      await settle(exited(id));
      const all = await logText(id);
      expect(all.split('\n').filter(Boolean).sort()).toEqual(['one', 'oops', 'three', 'two']);
      const lines = all.split('\n').filter(Boolean);
      expect(lines.indexOf('one')).toBeLessThan(lines.indexOf('two'));
      const last = lines.at(-1);
      expect(await logText(id, { tailLines: 1 })).toBe(`${last}\n`);
      expect(await logText(id, { tailLines: 0 })).toBe('');
      const stamped = (await logText(id, { timestamps: true })).split('\n').filter(Boolean);
      expect(stamped).toHaveLength(4);
      for (const line of stamped) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (one|two|three|oops)$/);
      expect(await logText(id, { limitBytes: 5 })).toBe(all.slice(0, 5));
      const later = Date.parse(stamped.at(-1)!.slice(0, 30)) + 1000;
      expect(await logText(id, { sinceTime: later })).toBe('');
    });

    it('logs with follow deliver new lines and end when the container exits', async () => {
      const id = await run('app', { kind: 'print', stdout: ['first', 'second'], stderr: [], exitAfterMs: 300 });
      let text = '';
      await settle(rt.logs(id, { follow: true }, (c) => (text += c)));
      expect((await rt.status(id)).state).toBe('exited');
      expect(text).toBe('first\nsecond\n');
    });

    it('logs with follow end when the signal aborts', async () => {
      const id = await run('app', { kind: 'print', stdout: ['only'], stderr: [] });
      const abort = new AbortController();
      let text = '';
      const following = rt.logs(id, { follow: true, signal: abort.signal }, (c) => (text += c));
      await until(async () => text.includes('only'), 'the first line');
      abort.abort();
      await settle(following);
      expect((await rt.status(id)).state).toBe('running');
    });

    it('list filters by pod', async () => {
      const a = await rt.create(config('a', { kind: 'sleep' }));
      const b = await rt.create(config('b', { kind: 'sleep' }));
      const other = await rt.create(config('c', { kind: 'sleep' }, { podUid: 'uid-other', podName: 'other' }));
      expect((await rt.list({ podUid: POD.podUid })).map((c) => c.id).sort()).toEqual([a, b].sort());
      expect((await rt.list({ podUid: 'uid-other' })).map((c) => c.id)).toEqual([other]);
      expect((await rt.list()).map((c) => c.id).sort()).toEqual([a, b, other].sort());
    });
  });
}
