import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../clock/real-clock.js';
import { RuntimeError } from '../container-runtime.js';
import { runExec, type ExecRun, type ExecTarget } from './exec-runner.js';
import { buildShim, shimPath, waitFor } from './process-harness.fixture.js';
import { spawnerPathFor } from './shim-client.js';
import { Spawner } from './spawner.js';
import { gone, TrackedProcesses, type Tracked } from './tracked-processes.fixture.js';

const clock = new RealClock();
const label = 'container "app" in pod "web"';
const procs = new TrackedProcesses();

/** Runs argv on `target` and returns the result or the RuntimeError. */
async function exec(spawner: Spawner, target: Tracked, argv: string[], extra: Partial<ExecRun> = {}): Promise<{ exitCode: number; stdout: string; stderr: string } | RuntimeError> {
  const t: ExecTarget = { shimPath, spawner, pid: target.pid, startTicks: target.startTicks, cwd: '/tmp', env: { PATH: '/usr/bin:/bin', X: 'x-value' }, label };
  try {
    return await runExec(t, { argv, clock, timeoutMs: 0, capture: true, ...extra });
  } catch (e) {
    if (e instanceof RuntimeError) return e;
    throw e;
  }
}

/**
 * The same outcomes whichever way the command runs: the spawner's own X
 * request (one process per hook), the exec helper through the spawner (a
 * kernel without pidfd_open), or the helper spawned directly (an exec with stdin).
 */
const modes = [
  { mode: 'the spawner itself', noPidfd: false, stdin: false, parent: 'hooklet-spawner' },
  { mode: 'hooklet-shim exec through the spawner (no pidfd_open)', noPidfd: true, stdin: false, parent: 'hooklet-shim' },
  { mode: 'hooklet-shim exec spawned directly (stdin)', noPidfd: false, stdin: true, parent: 'hooklet-shim' },
] as const;

describe.each(modes)('runExec via $mode', ({ noPidfd, stdin, parent }) => {
  let spawner: Spawner;
  const input = (): Partial<ExecRun> => (stdin ? { stdin: Readable.from([Buffer.from('from stdin\n')]) } : {});

  beforeAll(() => {
    buildShim();
    if (noPidfd) process.env.HOOKLET_SPAWNER_NO_PIDFD = '1';
    try {
      spawner = new Spawner(spawnerPathFor(shimPath));
      // The spawner process starts with the first request, and takes the env then.
      spawner.spawn({ path: '/bin/true', argv: ['true'], env: {}, pipe: [] }, { onError: () => undefined });
    } finally {
      delete process.env.HOOKLET_SPAWNER_NO_PIDFD;
    }
  });
  afterEach(() => procs.killAll());
  afterAll(() => spawner.close());

  it(`R1.3: returns the exit code, stdout and stderr, with the target's env and cwd; the command is a child of ${parent}`, async () => {
    const target = await procs.target();
    // The parent's name is read while it runs: a helper is gone by the time the result is in.
    const script = 'echo "$X $(pwd)"; tr "\\0" "\\n" < /proc/$PPID/cmdline | head -n 1; echo oops >&2; exit 4';
    const result = await exec(spawner, target, ['sh', '-c', script], input());
    expect(result).toMatchObject({ exitCode: 4, stderr: 'oops\n' });
    expect((result as { stdout: string }).stdout).toBe(`x-value /tmp\n${join(dirname(shimPath), parent)}\n`);
  });

  it('a target that has exited, or whose pid now names another process, throws NotRunning and runs nothing', async () => {
    const target = await procs.target();
    const exited = await procs.target();
    await exited.exit();
    for (const t of [exited, { pid: target.pid, startTicks: target.startTicks + 1 }]) {
      const err = await exec(spawner, t, ['sh', '-c', 'echo ran'], input());
      expect(err).toBeInstanceOf(RuntimeError);
      expect(err).toMatchObject({ reason: 'NotRunning', message: `${label} is not running` });
    }
  });

  it('a command that cannot start throws ExecFailed with the exec message', async () => {
    const target = await procs.target();
    expect(await exec(spawner, target, ['no-such-binary-hooklet'], input())).toMatchObject({
      reason: 'ExecFailed',
      message: 'exec: "no-such-binary-hooklet": executable file not found in $PATH',
    });
    expect(await exec(spawner, target, ['/nonexistent/binary'], input())).toMatchObject({
      reason: 'ExecFailed',
      message: 'exec: "/nonexistent/binary": No such file or directory',
    });
  });

  it('R1.3: a timeout SIGKILLs the command and its group and throws ExecFailed `command "…" timed out`', async () => {
    const target = await procs.target();
    let grandchild: Tracked | undefined;
    const argv = ['sh', '-c', 'trap "" TERM; sleep 100 >/dev/null & echo $!; wait'];
    const err = await exec(spawner, target, argv, {
      ...input(),
      timeoutMs: 300,
      onStdout: (chunk) => void procs.track(Number(chunk.toString().trim())).then((t) => (grandchild = t)),
    });
    expect(err).toMatchObject({ reason: 'ExecFailed', message: `command ${JSON.stringify(argv.join(' '))} timed out` });
    await waitFor(() => grandchild !== undefined && gone(grandchild), 'the grandchild to be killed');
    expect(await gone(target)).toBe(false);
  });

  it('a command dies with its container: exit code 137', async () => {
    const target = await procs.target();
    let started = false;
    const result = exec(spawner, target, ['sh', '-c', 'echo up; exec sleep 100'], { ...input(), onStdout: () => (started = true) });
    await waitFor(() => started, 'the command to start');
    await target.exit();
    expect(await result).toMatchObject({ exitCode: 137 });
  });
});

describe('runExec checks before anything runs', () => {
  it('an empty argv throws ExecFailed naming the container', async () => {
    const spawner = new Spawner(spawnerPathFor(shimPath));
    try {
      expect(await exec(spawner, { pid: process.pid, startTicks: 0 }, [])).toMatchObject({ reason: 'ExecFailed', message: `exec in ${label}: no command given` });
    } finally {
      spawner.close();
    }
  });
});
