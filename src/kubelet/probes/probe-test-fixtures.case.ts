/**
 * Test-only fixtures for the probe tests (excluded from the build like every
 * *.case.ts): a scriptable exec runtime, deps on a FakeClock, and recorded
 * events. Real HTTP/TCP servers come from the hook runner's fixtures.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { FakeClock } from '../../clock/fake-clock.js';
import type { ExecResult } from '../../runtime/container-runtime.js';
import type { ProbeDeps, ProbeTarget } from './probe-types.js';

export interface ExecCall {
  id: string;
  argv: string[];
  timeoutMs: number;
  at: number;
}

export type ExecAnswer = (call: ExecCall, index: number) => ExecResult | Promise<ExecResult>;

/** execSync that records each call and answers with `answer` (a throw becomes a rejection). */
export class StubRuntime {
  readonly calls: ExecCall[] = [];

  constructor(
    private readonly clock: FakeClock,
    public answer: ExecAnswer = () => ({ exitCode: 0, stdout: '', stderr: '' }),
  ) {}

  execSync = async (id: string, argv: string[], timeoutMs: number): Promise<ExecResult> => {
    const call = { id, argv, timeoutMs, at: this.clock.now() };
    this.calls.push(call);
    return this.answer(call, this.calls.length - 1);
  };

  /** Times (ms since `origin`) of the exec calls. */
  times(origin: number): number[] {
    return this.calls.map((c) => c.at - origin);
  }
}

export function exited(exitCode: number, stdout = '', stderr = ''): ExecResult {
  return { exitCode, stdout, stderr };
}

export function probeTarget(overrides: Partial<ProbeTarget> = {}): ProbeTarget {
  return { containerId: 'c-1', podIP: '127.0.0.1', ports: [], ...overrides };
}

export function probeDeps(answer?: ExecAnswer): ProbeDeps & { clock: FakeClock; runtime: StubRuntime } {
  const clock = new FakeClock();
  return { clock, runtime: new StubRuntime(clock, answer) };
}

export interface RecordedEvent {
  type: 'Warning';
  reason: string;
  message: string;
  at: number;
}

/** The accept queue length of the listener on 127.0.0.1:`port` (Linux /proc/net/tcp, LISTEN rows). */
function acceptQueueLength(port: number): number | undefined {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[3] === '0A') return parseInt(f[4]!.split(':')[1]!, 16);
  }
  return undefined;
}

/**
 * A port on 127.0.0.1 where a connect hangs: a child process listens with a
 * backlog of 1 and then blocks its event loop, so nothing more is accepted.
 * Connections are added until the kernel's accept queue is full (read from
 * /proc/net/tcp), after which further SYNs are dropped. The child is killed
 * by its PID on `close`.
 */
export async function hangingPort(): Promise<{ port: number; close(): Promise<void> }> {
  const script =
    "const s=require('net').createServer();" +
    "s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{process.stdout.write(s.address().port+'\\n');" +
    'setImmediate(()=>Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0))})';
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    child.once('exit', () => reject(new Error('listener exited')));
  });
  const fillers: net.Socket[] = [];
  const close = async (): Promise<void> => {
    for (const s of fillers) s.destroy();
    if (child.exitCode === null && child.pid !== undefined) {
      const gone = new Promise((r) => child.once('exit', r));
      process.kill(child.pid, 'SIGKILL');
      await gone;
    }
  };
  // With backlog 1 the queue is full at 2 (sk_acceptq_is_full: ack_backlog > max).
  for (let i = 0; i < 16; i++) {
    if ((acceptQueueLength(port) ?? 0) >= 2) return { port, close };
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    fillers.push(s);
    // While the queue has room the kernel completes the handshake by itself.
    await new Promise((resolve) => s.once('connect', resolve));
  }
  await close();
  throw new Error('could not make a hanging port: the accept queue never filled');
}
