import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { Clock } from '../../clock/clock.js';
import { isRunning, sameBoot, type ProcIdentity } from './proc-stat.js';

interface Pending {
  process: ProcIdentity;
  resolve: () => void;
}

/** How often the fallback looks at /proc when the helper cannot run. */
const FALLBACK_POLL_MS = 50;
const MAX_RESPAWNS = 3;

/**
 * Tells the agent when a process that is not its child has exited: shims it
 * reattached to, containers whose shim died, processes it killed while
 * cleaning up. One `hooklet-shim watch` helper serves the whole agent (a
 * pidfd per process, no polling); it reads requests on stdin and so ends
 * with the agent. Should the helper keep failing, watches fall back to
 * reading /proc on the clock.
 */
export class PidWatcher {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<string, Pending>();
  private nextKey = 1;
  private respawns = 0;
  private closed = false;
  /** Requests not yet written: one write per turn of the event loop, not one per watch. */
  private outbox = '';

  constructor(
    private readonly helperPath: string,
    private readonly clock: Clock,
  ) {}

  /** Resolves once `process` is no longer running (at once if it is not, or if it is a reused PID). */
  gone(process: ProcIdentity): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return;
      const key = String(this.nextKey++);
      this.pending.set(key, { process, resolve });
      void sameBoot(process.bootId).then((same) => (same ? this.send(key) : this.settle(key)));
    });
  }

  /** Ends the helper. Pending watches never resolve: the runtime that asked is closing. */
  close(): void {
    this.closed = true;
    this.pending.clear();
    this.child?.stdin?.end();
    this.child = undefined;
  }

  private send(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    const child = this.respawns > MAX_RESPAWNS ? undefined : this.helper();
    if (!child) {
      void this.poll(key);
      return;
    }
    this.reference(true);
    // Each write to the helper is a syscall that wakes it: at 500 starts, one per watch was 6 % of the
    // agent's CPU. Flushed after the current callback and its promise jobs, so no watch waits longer.
    if (this.outbox === '') process.nextTick(() => this.flush());
    this.outbox += `${key} ${p.process.pid} ${p.process.startTicks}\n`;
  }

  private flush(): void {
    const lines = this.outbox;
    this.outbox = '';
    if (lines === '') return;
    // A helper lost in between gets every pending watch re-sent by its replacement (see helper()).
    this.child?.stdin?.write(lines);
  }

  private helper(): ChildProcess | undefined {
    if (this.child) return this.child;
    let child: ChildProcess;
    try {
      child = spawn(this.helperPath, ['watch'], { cwd: '/', stdio: ['pipe', 'pipe', 'ignore'] });
    } catch {
      this.respawns = MAX_RESPAWNS + 1;
      return undefined;
    }
    this.child = child;
    // Only pending watches keep the agent's event loop alive (see reference), never the helper itself.
    child.unref();
    (child.stdin as Socket | null)?.unref?.();
    let buffered = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const key = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        this.settle(key);
      }
    });
    child.stdin?.on('error', () => undefined);
    const lost = (): void => {
      if (this.child !== child) return;
      this.child = undefined;
      if (this.closed) return;
      // A watch must not be dropped: hand every pending one to a new helper (or to /proc).
      this.respawns++;
      for (const key of this.pending.keys()) this.send(key);
    };
    child.once('error', lost);
    child.once('exit', lost);
    return child;
  }

  private settle(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    if (this.pending.size === 0) this.reference(false);
    p.resolve();
  }

  /** While something waits on the helper, its pipe keeps the agent's event loop alive. */
  private reference(on: boolean): void {
    const out = this.child?.stdout as Socket | null | undefined;
    if (on) out?.ref?.();
    else out?.unref?.();
  }

  private async poll(key: string): Promise<void> {
    while (this.pending.has(key)) {
      const p = this.pending.get(key)!;
      if (!(await isRunning(p.process))) break;
      await this.clock.sleep(FALLBACK_POLL_MS);
    }
    this.settle(key);
  }
}
