import { watch } from 'node:fs';
import type { Clock } from '../../clock/clock.js';
import type { RuntimeEvent } from '../container-runtime.js';
import type { Entry } from './container-entry.js';
import { killProven } from './kill-proven.js';
import type { PidWatcher } from './pid-watcher.js';
import { isRunning, type ProcIdentity } from './proc-stat.js';
import { shimIdentity } from './recovery-plan.js';
import { signalName } from './signals.js';
import { EXIT_FILE, type ExitRecord, type StartedRecord, type StateDir } from './state-dir.js';

export interface FollowerDeps {
  state: StateDir;
  watcher: PidWatcher;
  clock: Clock;
  emit(event: RuntimeEvent): void;
  /** False once the entry was removed or the runtime closed: late notifications then change nothing. */
  isCurrent(e: Entry): boolean;
}

/**
 * Learns how each started container ends and records it: from the shim's
 * exit.json (inotify on the container's directory), from the shim's death
 * (the pid watcher), and, for a container whose shim died, from the
 * container process's own death.
 */
export class ContainerFollower {
  constructor(private readonly deps: FollowerDeps) {}

  /** Follows a container whose shim runs (or is about to). */
  follow(e: Entry): void {
    this.watchExit(e);
    this.watchShim(e);
  }

  watchExit(e: Entry): void {
    try {
      const watcher = watch(this.deps.state.dir(e.stored.id), (_event, file) => {
        if (file !== EXIT_FILE) return;
        e.exitSeen = true;
        void this.refresh(e);
      });
      // Without inotify (watch limit reached) the shim's death still leads to a refresh.
      watcher.on('error', () => {
        // Blind from now on: the next chance to look must read the file.
        e.exitSeen = true;
        watcher.close();
      });
      e.unwatch = () => watcher.close();
    } catch {
      e.unwatch = undefined;
    }
  }

  watchShim(e: Entry): void {
    const shim = shimIdentity(e.started, e.claim);
    if (shim) void this.deps.watcher.gone(shim).then(() => this.shimGone(e));
  }

  /** Waits for a container no shim watches, so its end is still recorded (as unknown) and announced. */
  followLost(e: Entry): void {
    const process = e.started && containerProcess(e.started);
    if (!process) return;
    void this.deps.watcher.gone(process).then(async () => {
      if (e.exit || !this.deps.isCurrent(e)) return;
      // Its shim would have killed the rest of the group; nobody else will.
      await killProven({ started: e.started }, this.deps.watcher, this.deps.clock);
      await this.recordExit(e, lostExit(this.deps.clock.now(), 'it ended while its shim was not running'), true);
    });
  }

  /** Records the exit if the shim has written it. Safe to call any number of times. */
  async refresh(e: Entry): Promise<void> {
    // Before started is known, an exit would overtake the `started` event.
    if (e.exit || (!e.started && !e.lost)) return;
    const exit = await this.deps.state.readExit(e.stored.id).catch(() => undefined);
    if (!exit || e.exit) return;
    e.exit = exit;
    e.unwatch?.();
    e.exited.resolve();
    this.announce(e, exit);
  }

  /**
   * Records an exit the agent itself determined; the first one stands. The
   * status and the event change together; waiters on the exit are released
   * once it is on disk.
   */
  async recordExit(e: Entry, exit: ExitRecord, announce: boolean): Promise<void> {
    if (e.exit) return e.exited.promise;
    e.exit = exit;
    e.unwatch?.();
    if (announce) this.announce(e, exit);
    await this.deps.state.writeExit(e.stored.id, exit).catch(() => undefined);
    e.exited.resolve();
  }

  /** The shim is gone: it wrote exit.json first, unless it was killed itself. */
  private async shimGone(e: Entry): Promise<void> {
    await this.refresh(e);
    if (e.exit || !this.deps.isCurrent(e)) return;
    e.unwatch?.();
    const process = e.started && containerProcess(e.started);
    if (process && (await isRunning(process))) {
      e.lost = 'its shim died; the container process still runs but nothing records its exit';
      this.followLost(e);
    } else {
      e.lost = 'its shim died';
      await this.recordExit(e, lostExit(this.deps.clock.now(), 'its shim died (killed?) before recording the exit'), true);
    }
  }

  private announce(e: Entry, exit: ExitRecord): void {
    // The shim kept the stop deadline: it alone knows when the SIGKILL landed.
    if (exit.killedAt !== undefined) this.deps.emit({ type: 'signalled', id: e.stored.id, at: exit.killedAt, signal: 'SIGKILL' });
    this.deps.emit({ type: 'exited', id: e.stored.id, at: exit.finishedAt, exitCode: exit.exitCode, signal: signalName(exit.signal ?? 0) });
  }
}

export function containerProcess(started: StartedRecord): ProcIdentity {
  return { pid: started.pid, startTicks: started.startTicks, bootId: started.bootId };
}

/**
 * The exit of a container that ended with no shim to wait for it. Its code
 * cannot be known (the process was nobody's child): 137 with reason
 * ContainerStatusUnknown, as the kubelet reports a container it lost;
 * finishedAt is when the agent saw it gone.
 */
export function lostExit(finishedAt: number, why: string): ExitRecord {
  return { exitCode: 137, finishedAt, lost: `${why}; its real exit code is unknown` };
}
