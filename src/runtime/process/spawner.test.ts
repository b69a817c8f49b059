import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readProcStart } from './proc-stat.js';
import { buildShim, killQuietly, shimPath, sleep, waitFor } from './process-harness.fixture.js';
import { spawnerPathFor } from './shim-client.js';
import { Spawner, type ExecInRefusal, type ExecInSpec, type SpawnSpec } from './spawner.js';
import { gone, TrackedProcesses, type Tracked } from './tracked-processes.fixture.js';

const spawnerPath = spawnerPathFor(shimPath);

interface Outcome {
  pid?: number;
  out: Record<number, string>;
  eof: number[];
  exit?: [number | null, number | null];
  error?: { message: string; spawned: boolean };
}

/** Runs one spec to its end (exit or error) and collects everything the spawner reported. */
function run(spawner: Spawner, spec: Partial<SpawnSpec> & { argv: string[] }, onPid?: (pid: number, kill: (s: number) => void) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const o: Outcome = { out: {}, eof: [] };
    const handle = spawner.spawn(
      { path: spec.argv[0]!, env: { PATH: '/usr/bin:/bin' }, pipe: [1, 2], ...spec },
      {
        onPid: (pid) => {
          o.pid = pid;
          onPid?.(pid, (s) => handle.kill(s));
        },
        onData: (fd, chunk) => (o.out[fd] = (o.out[fd] ?? '') + chunk.toString('utf8')),
        onEof: (fd) => o.eof.push(fd),
        onExit: (code, signal) => {
          o.exit = [code, signal];
          resolve(o);
        },
        onError: (err, spawned) => {
          o.error = { message: err.message, spawned };
          resolve(o);
        },
      },
    );
  });
}

const alive = (pid: number): boolean => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
};

describe('Spawner (native/hooklet-spawner.c)', () => {
  let spawner: Spawner;
  beforeAll(() => {
    buildShim();
    spawner = new Spawner(spawnerPath);
  });
  afterAll(() => spawner.close());

  it('relays stdout, stderr and fd 3 separately, then the exit code once all output is in', async () => {
    const o = await run(spawner, { argv: ['/bin/sh', '-c', 'echo out; echo err >&2; echo rep >&3; exit 7'], pipe: [1, 2, 3] });
    expect(o.error).toBeUndefined();
    expect(o.out).toEqual({ 1: 'out\n', 2: 'err\n', 3: 'rep\n' });
    expect(o.eof.sort()).toEqual([1, 2, 3]);
    expect(o.exit).toEqual([7, null]);
  });

  it('gives the child exactly the env asked for, stdin at EOF and / as cwd', async () => {
    const o = await run(spawner, { argv: ['/bin/sh', '-c', 'echo "$FOO|$HOME|$(pwd)"; cat; echo done'], env: { FOO: 'a b=c', PATH: '/bin' } });
    expect(o.out[1]).toBe('a b=c||/\ndone\n');
  });

  it('reports a signal death as a signal number, not an exit code', async () => {
    const o = await run(spawner, { argv: ['/bin/sh', '-c', 'kill -TERM $$'] });
    expect(o.exit).toEqual([null, 15]);
  });

  it('a failed spawn (no such file) is an error with nothing started', async () => {
    const o = await run(spawner, { argv: ['/nonexistent/binary'] });
    expect(o.error).toEqual({ message: 'No such file or directory', spawned: false });
  });

  it('kill signals the child by its request, and the child starts with default signal handling', async () => {
    // The spawner ignores SIGINT; a child that inherited that would survive this.
    const o = await run(spawner, { argv: ['/bin/sleep', '30'] }, (_pid, kill) => kill(2));
    expect(o.exit).toEqual([null, 2]);
  });

  it('a NUL byte in an argument is refused before anything is sent', () => {
    expect(() => spawner.spawn({ path: '/bin/echo', argv: ['echo', 'a\0b'], env: {}, pipe: [] }, { onError: () => undefined })).toThrow(/NUL/);
  });

  it('relays large output whole and keeps many children apart', async () => {
    const runs = Array.from({ length: 20 }, (_, i) => run(spawner, { argv: ['/bin/sh', '-c', `head -c ${200_000 + i} /dev/zero | tr '\\0' ${String.fromCharCode(97 + i)}`] }));
    const outs = await Promise.all(runs);
    outs.forEach((o, i) => {
      expect(o.out[1]?.length).toBe(200_000 + i);
      expect(new Set(o.out[1])).toEqual(new Set([String.fromCharCode(97 + i)]));
    });
  });

  it('a detached child runs in its own session and is not followed past release()', async () => {
    let pid = 0;
    const released = new Promise<void>((resolve) => {
      const handle = spawner.spawn(
        { path: '/bin/sh', argv: ['sh', '-c', 'echo $$; exec sleep 30'], env: {}, detached: true, pipe: [1] },
        {
          onData: (_fd, chunk) => {
            pid = Number(chunk.toString().trim());
            handle.release();
            resolve();
          },
          onError: () => undefined,
        },
      );
    });
    await released;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      expect(Number(stat[3])).toBe(pid); // session id = its own pid
    } finally {
      killQuietly(pid);
    }
  });

  it('when the spawner dies, what it followed gets an error saying it may still run, and the next request gets a new spawner', async () => {
    const own = new Spawner(spawnerPath);
    let childPid = 0;
    try {
      const first = run(own, { argv: ['/bin/sleep', '30'] }, (pid) => (childPid = pid));
      await waitFor(() => childPid > 0, 'the child to start');
      const spawnerPid = Number(readFileSync(`/proc/${childPid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      process.kill(spawnerPid, 'SIGKILL');
      const o = await first;
      expect(o.error?.spawned).toBe(true);
      const again = await run(own, { argv: ['/bin/echo', 'again'] });
      expect(again.out[1]).toBe('again\n');
    } finally {
      own.close();
      killQuietly(childPid);
    }
  });

  it('on close it ends once its running children are done, and they run to their end', async () => {
    const own = new Spawner(spawnerPath);
    let childPid = 0;
    // Its outcome is never reported: close() drops the callbacks of a runtime that is going away.
    void run(own, { argv: ['/bin/sh', '-c', 'sleep 0.3; exit 4'] }, (pid) => (childPid = pid));
    await waitFor(() => childPid > 0, 'the child to start');
    const spawnerPid = Number(readFileSync(`/proc/${childPid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    own.close();
    expect(alive(spawnerPid)).toBe(true);
    await waitFor(() => !alive(childPid) && !alive(spawnerPid), 'the child and then the spawner to end');
  });
});

/** Every target, hook and grandchild the execIn tests start, SIGKILLed by pid after each test. */
const procs = new TrackedProcesses();

interface ExecInOutcome extends Outcome {
  refused?: ExecInRefusal;
}

/** Runs one execIn request to its end (exit, refusal or error). */
function execIn(
  spawner: Spawner,
  target: Tracked,
  spec: Partial<ExecInSpec> & { argv: string[] },
  onOut?: (text: string, kill: (s: number) => void) => void,
): Promise<ExecInOutcome> {
  return new Promise((resolve) => {
    const o: ExecInOutcome = { out: {}, eof: [] };
    const handle = spawner.execIn(
      { targetPid: target.pid, targetStartTicks: target.startTicks, cwd: '/', env: { PATH: '/usr/bin:/bin' }, ...spec },
      {
        onPid: (pid) => {
          o.pid = pid;
          void procs.note(pid);
        },
        onData: (fd, chunk) => {
          const text = (o.out[fd] ?? '') + chunk.toString('utf8');
          o.out[fd] = text;
          if (fd === 1) onOut?.(text, (s) => handle.kill(s));
        },
        onEof: (fd) => o.eof.push(fd),
        onExit: (code, signal) => {
          o.exit = [code, signal];
          resolve(o);
        },
        onRefused: (refused) => {
          o.refused = refused;
          resolve(o);
        },
        onError: (err, spawned) => {
          o.error = { message: err.message, spawned };
          resolve(o);
        },
      },
    );
  });
}

/** What `hooklet-shim exec` reports on fd 3 for the same request: the oracle for failure messages. */
function shimReport(target: Tracked, cwd: string, argv: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(shimPath, ['exec', String(target.pid), String(target.startTicks), cwd, ...argv], { env, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    let report = '';
    (child.stdio[3] as Readable).on('data', (c: Buffer) => (report += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => resolve(report.trim()));
  });
}

const parentOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);

describe('Spawner.execIn (the X request): a hook run by the spawner itself, tied to its container', () => {
  let spawner: Spawner;
  let dir: string;
  beforeAll(() => {
    buildShim();
    spawner = new Spawner(spawnerPath);
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'hooklet-execin-')));
    // a/tool is not executable; b/tool is; b/plain has no #! line.
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'tool'), '#!/bin/sh\necho a-tool\n');
    writeFileSync(join(dir, 'b', 'tool'), '#!/bin/sh\necho b-tool "$@"\n');
    writeFileSync(join(dir, 'b', 'plain'), 'echo plain "$@"\n');
    chmodSync(join(dir, 'a', 'tool'), 0o644);
    chmodSync(join(dir, 'b', 'tool'), 0o755);
    chmodSync(join(dir, 'b', 'plain'), 0o755);
  });
  afterEach(() => procs.killAll());
  afterAll(() => {
    spawner.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs argv with exactly the env, in the cwd, in a process group of its own, stdin at EOF, as a child of the spawner', async () => {
    const target = await procs.target();
    const o = await execIn(spawner, target, {
      cwd: dir,
      env: { PATH: '/nonexistent-hooklet:/usr/bin:/bin', FOO: 'a b=c' },
      argv: ['sh', '-c', 'echo "$FOO|$HOME|$(pwd)|$$|$(cut -d" " -f5 /proc/$$/stat)|$(cut -d" " -f4 /proc/$$/stat)"; cat; echo err >&2; exit 3'],
    });
    expect(o.refused).toBeUndefined();
    const [foo, home, cwd, pid, pgrp, ppid] = o.out[1]!.trim().split('|');
    expect([foo, home, cwd, Number(pid), Number(pgrp)]).toEqual(['a b=c', '', dir, o.pid, o.pid]);
    expect(readFileSync(`/proc/${ppid}/cmdline`, 'utf8').split('\0')[0]).toBe(spawnerPath);
    expect(o.out[2]).toBe('err\n');
    expect(o.eof.sort()).toEqual([1, 2]);
    expect(o.exit).toEqual([3, null]);
  });

  it("looks argv[0] up in the request's PATH as execvp does: relative entries from the cwd, a non-executable match skipped, a file without #! run by sh", async () => {
    const target = await procs.target();
    // The spawner's own PATH has neither a/ nor b/: only the request's PATH can find these.
    const tool = await execIn(spawner, target, { cwd: dir, env: { PATH: 'a:b' }, argv: ['tool', 'x y'] });
    expect(tool.out[1]).toBe('b-tool x y\n');
    const plain = await execIn(spawner, target, { cwd: dir, env: { PATH: 'a:b' }, argv: ['plain', 'z'] });
    expect(plain.out[1]).toBe('plain z\n');
    const emptyEntry = await execIn(spawner, target, { cwd: join(dir, 'b'), env: { PATH: '/nonexistent-hooklet:' }, argv: ['tool'] });
    expect(emptyEntry.out[1]).toBe('b-tool\n');
  });

  it('exec failures are refusals with the very messages `hooklet-shim exec` gives, and nothing runs', async () => {
    const target = await procs.target();
    const marker = join(dir, 'must-not-exist');
    const cases: Array<{ cwd: string; env: Record<string, string>; argv: string[]; expected?: string }> = [
      { cwd: '/', env: { PATH: '/usr/bin:/bin' }, argv: ['no-such-binary-hooklet'], expected: 'exec: "no-such-binary-hooklet": executable file not found in $PATH' },
      { cwd: '/', env: { PATH: '/usr/bin:/bin' }, argv: ['/nonexistent/binary'], expected: 'exec: "/nonexistent/binary": No such file or directory' },
      { cwd: '/nonexistent-hooklet-dir', env: { PATH: '/usr/bin:/bin' }, argv: ['sh', '-c', `touch ${marker}`], expected: 'chdir to "/nonexistent-hooklet-dir": No such file or directory' },
      { cwd: join(dir, 'a', 'tool'), env: { PATH: '/usr/bin:/bin' }, argv: ['sh', '-c', `touch ${marker}`] },
      { cwd: dir, env: { PATH: 'a' }, argv: ['tool'], expected: 'exec: "tool": Permission denied' },
      { cwd: dir, env: { PATH: '/usr/bin' }, argv: [join(dir, 'a', 'tool')] },
      { cwd: dir, env: {}, argv: ['no-such-binary-hooklet'] }, // no PATH: execvp's default
    ];
    for (const c of cases) {
      const o = await execIn(spawner, target, c);
      const oracle = await shimReport(target, c.cwd, c.argv, c.env);
      expect(oracle).toMatch(/^execfail /);
      expect(o.refused).toEqual({ kind: 'execFailed', message: oracle.slice('execfail '.length) });
      if (c.expected) expect(o.refused).toEqual({ kind: 'execFailed', message: c.expected });
      expect(o.pid).toBeUndefined();
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('a target that has exited, or a live pid whose start ticks differ, is refused as notRunning and nothing runs', async () => {
    const marker = join(dir, 'ran');
    const live = await procs.target();
    const exited = await procs.target();
    await exited.exit();
    const hook = { argv: ['sh', '-c', `touch ${marker}`] };
    expect((await execIn(spawner, exited, hook)).refused).toEqual({ kind: 'notRunning' });
    expect((await execIn(spawner, { pid: live.pid, startTicks: live.startTicks + 1 }, hook)).refused).toEqual({ kind: 'notRunning' });
    expect(existsSync(marker)).toBe(false);
    // The control: the same hook on the live target does run.
    expect((await execIn(spawner, live, hook)).exit).toEqual([0, null]);
    expect(existsSync(marker)).toBe(true);
  });

  it('when the target dies, the hook and everything in its group (a background grandchild too) is SIGKILLed', async () => {
    const target = await procs.target();
    let grandchild: Tracked | undefined;
    const done = execIn(spawner, target, { argv: ['sh', '-c', 'sleep 100 & echo $!; sleep 100'] }, (text) => {
      if (text.endsWith('\n') && !grandchild) void procs.track(Number(text.trim())).then((t) => (grandchild = t));
    });
    await waitFor(() => grandchild !== undefined, 'the grandchild to start');
    expect(await gone(grandchild!)).toBe(false);
    await target.exit();
    const o = await done;
    expect(o.exit).toEqual([null, 9]);
    await waitFor(() => gone(grandchild!), 'the grandchild to be killed');
  });

  it('when the hook exits, what it left behind in its group is SIGKILLed', async () => {
    const target = await procs.target();
    const o = await execIn(spawner, target, { argv: ['sh', '-c', 'sleep 100 >/dev/null 2>&1 & echo $!'] });
    expect(o.exit).toEqual([0, null]);
    const pid = Number(o.out[1]!.trim());
    // Its start ticks are unknown (it may already be gone): any survivor would be a sleep in the hook's group.
    await waitFor(async () => {
      const s = await readProcStart(pid);
      return s === undefined || s.state === 'Z' || s.pgrp !== o.pid;
    }, 'the leftover sleep to be killed', 2000);
  });

  it('kill() SIGKILLs the whole group whatever the signal, as the exec helper did (a hook that ignores SIGTERM too)', async () => {
    const target = await procs.target();
    let grandchild: Tracked | undefined;
    let killed = false;
    const o = await execIn(spawner, target, { argv: ['sh', '-c', 'trap "" TERM; sleep 100 >/dev/null & echo $!; wait'] }, (text, kill) => {
      if (killed || !text.endsWith('\n')) return;
      killed = true;
      void procs.track(Number(text.trim())).then((t) => {
        grandchild = t;
        kill(15);
      });
    });
    expect(o.exit).toEqual([null, 9]);
    expect(grandchild).toBeDefined();
    await waitFor(() => gone(grandchild!), 'the grandchild to be killed');
    expect(await gone(target)).toBe(false);
  });

  it('several hooks on one target each die with it; one that ended before is unaffected; every fd the spawner opened is closed', async () => {
    const own = new Spawner(spawnerPath);
    try {
      const first = await procs.target();
      // The spawner's pid, and its fds at rest.
      const warm = await execIn(own, first, { argv: ['sh', '-c', 'cut -d" " -f4 /proc/$$/stat'] });
      const spawnerPid = Number(warm.out[1]!.trim());
      const fdsAtRest = readdirSync(`/proc/${spawnerPid}/fd`).length;

      const target = await procs.target();
      const ended = await execIn(own, target, { argv: ['sh', '-c', 'exit 5'] });
      expect(ended.exit).toEqual([5, null]);
      let started = 0;
      const hooks = [1, 2, 3].map(() => execIn(own, target, { argv: ['sh', '-c', 'echo up; exec sleep 100'] }, () => started++));
      await waitFor(() => started === 3, 'three hooks to start');
      expect(readdirSync(`/proc/${spawnerPid}/fd`).length).toBe(fdsAtRest + 3 * 3); // two pipes and a pidfd each
      await target.exit();
      expect((await Promise.all(hooks)).map((o) => o.exit)).toEqual([
        [null, 9],
        [null, 9],
        [null, 9],
      ]);
      // Refusals leave nothing open either.
      expect((await execIn(own, target, { argv: ['true'] })).refused).toEqual({ kind: 'notRunning' });
      expect((await execIn(own, first, { argv: ['no-such-binary-hooklet'] })).refused?.kind).toBe('execFailed');
      expect((await execIn(own, first, { cwd: '/nonexistent-hooklet-dir', argv: ['true'] })).refused?.kind).toBe('execFailed');
      expect(readdirSync(`/proc/${spawnerPid}/fd`).length).toBe(fdsAtRest);
      expect(parentOf(spawnerPid)).toBe(process.pid);
    } finally {
      own.close();
    }
  });

  it('HOOKLET_SPAWNER_NO_PIDFD=1 (a kernel without pidfd_open): every request is refused as unsupported and nothing runs', async () => {
    const target = await procs.target();
    const marker = join(dir, 'ran-without-pidfd');
    process.env.HOOKLET_SPAWNER_NO_PIDFD = '1';
    const own = new Spawner(spawnerPath);
    try {
      const pending = execIn(own, target, { argv: ['sh', '-c', `touch ${marker}`] });
      delete process.env.HOOKLET_SPAWNER_NO_PIDFD;
      const o = await pending;
      expect(o.refused).toEqual({ kind: 'unsupported', message: 'pidfd_open: Function not implemented (HOOKLET_SPAWNER_NO_PIDFD)' });
      await sleep(50);
      expect(existsSync(marker)).toBe(false);
    } finally {
      delete process.env.HOOKLET_SPAWNER_NO_PIDFD;
      own.close();
    }
  });
});
