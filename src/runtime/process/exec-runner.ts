import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Clock } from '../../clock/clock.js';
import { RuntimeError, type ExecResult } from '../container-runtime.js';
import { signalNumber } from './signals.js';
import type { Spawner, SpawnHandle } from './spawner.js';

const SIGTERM = 15;

/** Cap on captured stdout and on captured stderr of an execSync, each. */
export const EXEC_CAPTURE_LIMIT_BYTES = 1024 * 1024;

/** The running container an exec joins: its identity, env and working dir. */
export interface ExecTarget {
  shimPath: string;
  spawner: Spawner;
  pid: number;
  startTicks: number;
  cwd: string;
  env: Record<string, string>;
  /** For messages: `container "app" in pod "web"`. */
  label: string;
}

export interface ExecRun {
  argv: string[];
  clock: Clock;
  /** 0 = no deadline. */
  timeoutMs: number;
  stdin?: NodeJS.ReadableStream;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  capture: boolean;
}

/** The exec helper once started: its output arrives through the callbacks given to start it. */
interface HelperRun {
  /** SIGTERM makes the helper SIGKILL the command's whole group. */
  terminate(): void;
  /** [exit code, signal number] once it was reaped and all its output was delivered. */
  closed: Promise<[number | null, number | null]>;
}

interface HelperOutput {
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  onReport(chunk: Buffer): void;
}

/**
 * Runs argv through `hooklet-shim exec`, which ties the command's lifetime to
 * the container's main process (it is SIGKILLed when the container dies) and
 * reports on fd 3 whether the container was running and whether exec worked.
 * Without stdin (hooks, probes) the spawner starts the helper, so the agent
 * does not fork; an interactive exec, which needs a stdin pipe, is spawned here.
 */
export async function runExec(target: ExecTarget, run: ExecRun): Promise<ExecResult> {
  if (run.argv.length === 0 || run.argv[0] === '') {
    throw new RuntimeError('ExecFailed', `exec in ${target.label}: no command given`);
  }
  const out = new BoundedCapture(run.capture ? EXEC_CAPTURE_LIMIT_BYTES : 0);
  const err = new BoundedCapture(run.capture ? EXEC_CAPTURE_LIMIT_BYTES : 0);
  let report = '';
  const output: HelperOutput = {
    onStdout: (chunk) => {
      out.push(chunk);
      run.onStdout?.(chunk);
    },
    onStderr: (chunk) => {
      err.push(chunk);
      run.onStderr?.(chunk);
    },
    onReport: (chunk) => (report += chunk.toString('utf8')),
  };
  const helperArgv = ['exec', String(target.pid), String(target.startTicks), target.cwd, ...run.argv];
  let helper: HelperRun;
  try {
    helper = run.stdin ? spawnDirect(target, helperArgv, run.stdin, output) : spawnThroughSpawner(target, helperArgv, output);
  } catch (e) {
    throw new RuntimeError('ExecFailed', `exec in ${target.label}: ${(e as Error).message}`, { cause: e });
  }

  let timedOut = false;
  const cancelTimer =
    run.timeoutMs > 0
      ? run.clock.setTimer(run.timeoutMs, () => {
          timedOut = true;
          helper.terminate();
        })
      : () => undefined;

  try {
    const [code, signal] = await helper.closed.catch((e: Error) => {
      throw new RuntimeError('ExecFailed', `exec in ${target.label}: ${e.message}`, { cause: e });
    });
    const line = report.trim();
    if (line === 'notrunning') throw new RuntimeError('NotRunning', `${target.label} is not running`);
    if (line.startsWith('execfail ')) throw new RuntimeError('ExecFailed', line.slice('execfail '.length));
    if (timedOut) throw new RuntimeError('ExecFailed', `command ${JSON.stringify(run.argv.join(' '))} timed out`);
    const exitCode = code ?? 128 + (signal ?? 0);
    return { exitCode, stdout: out.text(), stderr: err.text() };
  } finally {
    cancelTimer();
  }
}

function spawnThroughSpawner(target: ExecTarget, helperArgv: string[], output: HelperOutput): HelperRun {
  let handle: SpawnHandle | undefined;
  const closed = new Promise<[number | null, number | null]>((resolve, reject) => {
    handle = target.spawner.spawn(
      { path: target.shimPath, argv: [target.shimPath, ...helperArgv], env: target.env, pipe: [1, 2, 3] },
      {
        onData: (fd, chunk) => (fd === 1 ? output.onStdout(chunk) : fd === 2 ? output.onStderr(chunk) : output.onReport(chunk)),
        onExit: (code, signal) => resolve([code, signal]),
        onError: (e) => reject(e),
      },
    );
  });
  return { terminate: () => handle?.kill(SIGTERM), closed };
}

function spawnDirect(target: ExecTarget, helperArgv: string[], stdin: NodeJS.ReadableStream, output: HelperOutput): HelperRun {
  const child = spawn(target.shimPath, helperArgv, { cwd: '/', env: target.env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
  child.stdout?.on('data', output.onStdout);
  child.stderr?.on('data', output.onStderr);
  (child.stdio[3] as Readable | null)?.on('data', output.onReport);
  if (child.stdin) {
    stdin.pipe(child.stdin);
    // A client that hangs up early must not crash the agent with EPIPE.
    child.stdin.on('error', () => undefined);
  }
  const closed = new Promise<[number | null, number | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (child.stdin) stdin.unpipe(child.stdin);
      resolve([code, signal ? signalNumber(signal) : null]);
    });
  });
  return { terminate: () => child.kill('SIGTERM'), closed };
}

/** Keeps the first `limit` bytes and counts the rest. */
class BoundedCapture {
  private chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    const room = this.limit - this.kept;
    if (room >= chunk.length) {
      this.chunks.push(chunk);
      this.kept += chunk.length;
      return;
    }
    if (room > 0) {
      this.chunks.push(chunk.subarray(0, room));
      this.kept += room;
    }
    this.dropped += chunk.length - Math.max(room, 0);
  }

  text(): string {
    const body = Buffer.concat(this.chunks).toString('utf8');
    if (this.dropped === 0) return body;
    return `${body}\n[hooklet: output truncated at ${this.limit} bytes, ${this.dropped} more bytes dropped]`;
  }
}
