import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Clock } from '../../clock/clock.js';
import { RuntimeError, type ExecResult } from '../container-runtime.js';
import { signalNumber } from './signals.js';

/** Cap on captured stdout and on captured stderr of an execSync, each. */
export const EXEC_CAPTURE_LIMIT_BYTES = 1024 * 1024;

/** The running container an exec joins: its identity, env and working dir. */
export interface ExecTarget {
  shimPath: string;
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

/**
 * Runs argv through `hooklet-shim exec`, which ties the command's lifetime to
 * the container's main process (it is SIGKILLed when the container dies) and
 * reports on fd 3 whether the container was running and whether exec worked.
 */
export async function runExec(target: ExecTarget, run: ExecRun): Promise<ExecResult> {
  if (run.argv.length === 0 || run.argv[0] === '') {
    throw new RuntimeError('ExecFailed', `exec in ${target.label}: no command given`);
  }
  let child;
  try {
    child = spawn(target.shimPath, ['exec', String(target.pid), String(target.startTicks), target.cwd, ...run.argv], {
      cwd: '/',
      env: target.env,
      stdio: [run.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'],
    });
  } catch (err) {
    throw new RuntimeError('ExecFailed', `exec in ${target.label}: ${(err as Error).message}`, { cause: err });
  }
  const out = new BoundedCapture(run.capture ? EXEC_CAPTURE_LIMIT_BYTES : 0);
  const err = new BoundedCapture(run.capture ? EXEC_CAPTURE_LIMIT_BYTES : 0);
  let report = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out.push(chunk);
    run.onStdout?.(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err.push(chunk);
    run.onStderr?.(chunk);
  });
  const status = child.stdio[3] as Readable | null;
  status?.setEncoding('utf8');
  status?.on('data', (chunk: string) => (report += chunk));
  if (run.stdin && child.stdin) {
    run.stdin.pipe(child.stdin);
    // A client that hangs up early must not crash the agent with EPIPE.
    child.stdin.on('error', () => undefined);
  }

  let timedOut = false;
  const cancelTimer =
    run.timeoutMs > 0
      ? run.clock.setTimer(run.timeoutMs, () => {
          timedOut = true;
          // The helper answers SIGTERM by SIGKILLing the command's whole group.
          child.kill('SIGTERM');
        })
      : () => undefined;

  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.on('error', (e) => reject(new RuntimeError('ExecFailed', `exec in ${target.label}: ${e.message}`, { cause: e })));
      child.on('close', (c, s) => resolve([c, s]));
    });
    if (run.stdin && child.stdin) run.stdin.unpipe(child.stdin);
    const line = report.trim();
    if (line === 'notrunning') throw new RuntimeError('NotRunning', `${target.label} is not running`);
    if (line.startsWith('execfail ')) throw new RuntimeError('ExecFailed', line.slice('execfail '.length));
    if (timedOut) throw new RuntimeError('ExecFailed', `command ${JSON.stringify(run.argv.join(' '))} timed out`);
    const exitCode = code ?? 128 + (signal ? signalNumber(signal) : 0);
    return { exitCode, stdout: out.text(), stderr: err.text() };
  } finally {
    cancelTimer();
  }
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
