import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Clock } from '../../clock/clock.js';
import { RuntimeError, type ExecResult } from '../container-runtime.js';
import { signalNumber } from './signals.js';
import type { Spawner, SpawnHandle } from './spawner.js';

const SIGTERM = 15;
const SIGKILL = 9;

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

/** How a command ended, or why it never ran. */
type ExecOutcome =
  | { kind: 'exited'; code: number | null; signal: number | null }
  | { kind: 'notRunning' }
  | { kind: 'execFailed'; message: string };

/** A command once asked for: its output arrives through the callbacks given to start it. */
interface CommandRun {
  /** SIGKILLs the command's whole process group. */
  terminate(): void;
  /** Once it was reaped and all its output was delivered; rejects when the helper or the spawner failed. */
  outcome: Promise<ExecOutcome>;
}

interface CommandOutput {
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
}

/**
 * Runs argv in the container's context, its lifetime tied to the container's
 * main process: it is SIGKILLed (with its whole process group) when the
 * container dies, and nothing runs if the container is not running. Without
 * stdin (hooks, probes) the spawner runs the command itself: one process per
 * hook, and the agent does not fork. An interactive exec, which needs a stdin
 * pipe, and a kernel without pidfd_open go through `hooklet-shim exec`, a
 * helper with the same semantics that reports on fd 3.
 */
export async function runExec(target: ExecTarget, run: ExecRun): Promise<ExecResult> {
  if (run.argv.length === 0 || run.argv[0] === '') {
    throw new RuntimeError('ExecFailed', `exec in ${target.label}: no command given`);
  }
  const out = new BoundedCapture(run.capture ? EXEC_CAPTURE_LIMIT_BYTES : 0);
  const err = new BoundedCapture(run.capture ? EXEC_CAPTURE_LIMIT_BYTES : 0);
  const output: CommandOutput = {
    onStdout: (chunk) => {
      out.push(chunk);
      run.onStdout?.(chunk);
    },
    onStderr: (chunk) => {
      err.push(chunk);
      run.onStderr?.(chunk);
    },
  };
  let command: CommandRun;
  try {
    command = run.stdin ? spawnHelperDirect(target, run.argv, run.stdin, output) : execInSpawner(target, run.argv, output);
  } catch (e) {
    throw new RuntimeError('ExecFailed', `exec in ${target.label}: ${(e as Error).message}`, { cause: e });
  }

  let timedOut = false;
  const cancelTimer =
    run.timeoutMs > 0
      ? run.clock.setTimer(run.timeoutMs, () => {
          timedOut = true;
          command.terminate();
        })
      : () => undefined;

  try {
    const outcome = await command.outcome.catch((e: Error) => {
      throw new RuntimeError('ExecFailed', `exec in ${target.label}: ${e.message}`, { cause: e });
    });
    if (outcome.kind === 'notRunning') throw new RuntimeError('NotRunning', `${target.label} is not running`);
    if (outcome.kind === 'execFailed') throw new RuntimeError('ExecFailed', outcome.message);
    if (timedOut) throw new RuntimeError('ExecFailed', `command ${JSON.stringify(run.argv.join(' '))} timed out`);
    const exitCode = outcome.code ?? 128 + (outcome.signal ?? 0);
    return { exitCode, stdout: out.text(), stderr: err.text() };
  } finally {
    cancelTimer();
  }
}

/** The spawner's X request; on a kernel without pidfd_open, the helper through the spawner instead. */
function execInSpawner(target: ExecTarget, argv: string[], output: CommandOutput): CommandRun {
  let terminated = false;
  let kill = (): void => undefined;
  const outcome = new Promise<ExecOutcome>((resolve, reject) => {
    const handle = target.spawner.execIn(
      { targetPid: target.pid, targetStartTicks: target.startTicks, cwd: target.cwd, argv, env: target.env },
      {
        onData: (fd, chunk) => (fd === 1 ? output.onStdout(chunk) : output.onStderr(chunk)),
        onExit: (code, signal) => resolve({ kind: 'exited', code, signal }),
        onError: (e) => reject(e),
        onRefused: (refusal) => {
          if (refusal.kind !== 'unsupported') return resolve(refusal);
          // Terminated (timed out) before anything ran: nothing to start.
          if (terminated) return resolve({ kind: 'exited', code: null, signal: SIGKILL });
          const helper = spawnHelperThroughSpawner(target, argv, output);
          kill = () => helper.terminate();
          helper.outcome.then(resolve, reject);
        },
      },
    );
    // The spawner SIGKILLs an X child's whole group whatever the signal.
    kill = () => handle.kill(SIGKILL);
  });
  return {
    terminate: () => {
      terminated = true;
      kill();
    },
    outcome,
  };
}

function helperArgv(target: ExecTarget, argv: string[]): string[] {
  return ['exec', String(target.pid), String(target.startTicks), target.cwd, ...argv];
}

/** The helper's fd 3 report ("notrunning", "execfail <message>", "started <pid>") and its exit, as an outcome. */
function helperOutcome(report: string, code: number | null, signal: number | null): ExecOutcome {
  const line = report.trim();
  if (line === 'notrunning') return { kind: 'notRunning' };
  if (line.startsWith('execfail ')) return { kind: 'execFailed', message: line.slice('execfail '.length) };
  return { kind: 'exited', code, signal };
}

function spawnHelperThroughSpawner(target: ExecTarget, argv: string[], output: CommandOutput): CommandRun {
  let handle: SpawnHandle | undefined;
  let report = '';
  const outcome = new Promise<ExecOutcome>((resolve, reject) => {
    handle = target.spawner.spawn(
      { path: target.shimPath, argv: [target.shimPath, ...helperArgv(target, argv)], env: target.env, pipe: [1, 2, 3] },
      {
        onData: (fd, chunk) => (fd === 1 ? output.onStdout(chunk) : fd === 2 ? output.onStderr(chunk) : (report += chunk.toString('utf8'))),
        onExit: (code, signal) => resolve(helperOutcome(report, code, signal)),
        onError: (e) => reject(e),
      },
    );
  });
  // SIGTERM makes the helper SIGKILL the command's whole group.
  return { terminate: () => handle?.kill(SIGTERM), outcome };
}

function spawnHelperDirect(target: ExecTarget, argv: string[], stdin: NodeJS.ReadableStream, output: CommandOutput): CommandRun {
  const child = spawn(target.shimPath, helperArgv(target, argv), { cwd: '/', env: target.env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
  let report = '';
  child.stdout?.on('data', output.onStdout);
  child.stderr?.on('data', output.onStderr);
  (child.stdio[3] as Readable | null)?.on('data', (chunk: Buffer) => (report += chunk.toString('utf8')));
  if (child.stdin) {
    stdin.pipe(child.stdin);
    // A client that hangs up early must not crash the agent with EPIPE.
    child.stdin.on('error', () => undefined);
  }
  const outcome = new Promise<ExecOutcome>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (child.stdin) stdin.unpipe(child.stdin);
      resolve(helperOutcome(report, code, signal ? signalNumber(signal) : null));
    });
  });
  // SIGTERM makes the helper SIGKILL the command's whole group.
  return { terminate: () => child.kill('SIGTERM'), outcome };
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
