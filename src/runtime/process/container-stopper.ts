import type { Clock } from '../../clock/clock.js';
import { RuntimeError, type RuntimeEvent } from '../container-runtime.js';
import { labelOf, type Entry } from './container-entry.js';
import { containerProcess, lostExit, type ContainerFollower } from './container-follower.js';
import { killProven } from './kill-proven.js';
import type { PidWatcher } from './pid-watcher.js';
import { isRunning } from './proc-stat.js';
import { requestStop } from './shim-client.js';
import { signalNumber } from './signals.js';
import type { StateDir } from './state-dir.js';

/** How long past a stop's deadline the agent waits for the shim's SIGKILL before sending its own. */
const SHIM_STOP_BACKSTOP_MS = 2000;

export interface StopperDeps {
  state: StateDir;
  clock: Clock;
  watcher: PidWatcher;
  follower: ContainerFollower;
  emit(event: RuntimeEvent): void;
}

/**
 * The stop path of the process runtime (CRI StopContainer): the stop signal,
 * then SIGKILL when the timeout runs out. Normally the container's shim keeps
 * the deadline; without a listening shim this agent keeps it, and a container
 * no shim follows any more is stopped by pid, verified by its start ticks.
 */
export class ContainerStopper {
  private readonly stops = new Set<AbortController>();

  constructor(private readonly deps: StopperDeps) {}

  /** Resolves once the container has exited (stopping it if needed). `e` must have started or be lost. */
  async stop(e: Entry, timeoutMs: number, signal?: NodeJS.Signals): Promise<void> {
    if (e.lost) return this.stopLost(e, timeoutMs, signal);
    const stopSignal = signal ?? e.stored.stopSignal;
    const dir = this.deps.state.dir(e.stored.id);
    if (requestStop(dir, signalNumber(timeoutMs > 0 ? stopSignal : 'SIGKILL'), timeoutMs, this.deps.clock.now())) {
      return this.awaitShimStop(e, timeoutMs, stopSignal);
    }
    // No shim listens (gone, or one that predates the control FIFO): keep the deadline here.
    await this.terminate(e, timeoutMs, stopSignal, e.exited.promise, false);
  }

  /** Every stop in progress ends with an error: the runtime is closing. */
  cancelAll(): void {
    for (const stopping of this.stops) stopping.abort();
  }

  /**
   * The shim sent the stop signal and keeps the SIGKILL deadline (a timerfd),
   * so the deadline holds however busy, or dead, this agent is. Its SIGKILL
   * is announced from exit.json (killedAt). Should the shim die in the
   * window, this agent SIGKILLs the process itself a little after the deadline.
   */
  private async awaitShimStop(e: Entry, timeoutMs: number, stopSignal: NodeJS.Signals): Promise<void> {
    if (timeoutMs > 0) this.deps.emit({ type: 'signalled', id: e.stored.id, at: this.deps.clock.now(), signal: stopSignal });
    const stopping = new AbortController();
    this.stops.add(stopping);
    try {
      const cancelled = new Promise<'cancelled'>((resolve) => stopping.signal.addEventListener('abort', () => resolve('cancelled')));
      const exited = e.exited.promise.then(() => 'exited' as const);
      const backstop = this.deps.clock.sleep(timeoutMs + SHIM_STOP_BACKSTOP_MS, stopping.signal).then(
        () => 'backstop' as const,
        () => 'cancelled' as const,
      );
      let first = await Promise.race([exited, backstop, cancelled]);
      if (first === 'backstop') {
        // Verified by pid + start ticks: the shim's zombie, or a reused pid, is never signalled.
        if (!e.exit) await this.signal(e, 'SIGKILL', true);
        first = await Promise.race([exited, cancelled]);
      }
      if (first === 'cancelled') throw closedError(e);
    } finally {
      stopping.abort();
      this.stops.delete(stopping);
    }
  }

  /**
   * No shim follows this container. Its process group is stopped the usual
   * way if it still runs (checked by pid + start ticks before each signal);
   * then whatever else is provably its own is killed, and the exit is
   * recorded as unknown (137, ContainerStatusUnknown): the process is nobody's
   * child any more, so its real exit code cannot be learned.
   */
  private async stopLost(e: Entry, timeoutMs: number, signal: NodeJS.Signals | undefined): Promise<void> {
    const process = e.started && containerProcess(e.started);
    if (process && (await isRunning(process))) {
      await this.terminate(e, timeoutMs, signal ?? e.stored.stopSignal, this.deps.watcher.gone(process), true);
    }
    await killProven({ started: e.started, claim: e.claim }, this.deps.watcher, this.deps.clock);
    // A shim that still ran (unreadable started.json) may have recorded the real exit meanwhile.
    await this.deps.follower.refresh(e);
    await this.deps.follower.recordExit(e, lostExit(this.deps.clock.now(), 'hooklet stopped it after its shim was gone'), true);
  }

  /** Stop signal, then SIGKILL at the deadline; one controller per stop so the timer dies with the process. */
  private async terminate(e: Entry, timeoutMs: number, stopSignal: NodeJS.Signals, gone: Promise<void>, verify: boolean): Promise<void> {
    const stopping = new AbortController();
    this.stops.add(stopping);
    try {
      if (timeoutMs > 0) {
        await this.signal(e, stopSignal, verify);
        const deadline = this.deps.clock.sleep(timeoutMs, stopping.signal).then(
          () => 'deadline' as const,
          () => 'cancelled' as const,
        );
        const first = await Promise.race([gone.then(() => 'exited' as const), deadline]);
        if (first === 'exited') return;
        if (first === 'cancelled') throw closedError(e);
      }
      if (!e.exit) await this.signal(e, 'SIGKILL', verify);
      const end = await Promise.race([
        gone.then(() => 'exited' as const),
        new Promise<'cancelled'>((resolve) => stopping.signal.addEventListener('abort', () => resolve('cancelled'))),
      ]);
      if (end === 'cancelled') throw closedError(e);
    } finally {
      stopping.abort();
      this.stops.delete(stopping);
    }
  }

  private async signal(e: Entry, signal: NodeJS.Signals, verify: boolean): Promise<void> {
    const started = e.started!;
    // Without a shim holding the zombie, the pid may have been reused: check it is still ours.
    if (verify && !(await isRunning(containerProcess(started)))) return;
    try {
      // Negative pid: the whole process group the shim created for the container.
      process.kill(-started.pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw new RuntimeError('Internal', `${labelOf(e.stored.config)}: cannot send ${signal}: ${(err as Error).message}`, { cause: err });
    }
    this.deps.emit({ type: 'signalled', id: e.stored.id, at: this.deps.clock.now(), signal });
  }
}

function closedError(e: Entry): RuntimeError {
  return new RuntimeError('Internal', `${labelOf(e.stored.config)}: the runtime was closed while stopping it`);
}
