import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildShim, killQuietly, shimPath, waitFor } from './process-harness.fixture.js';
import { spawnerPathFor } from './shim-client.js';
import { Spawner, type SpawnSpec } from './spawner.js';

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
