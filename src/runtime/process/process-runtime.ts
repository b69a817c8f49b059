import { homedir } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import type { Clock } from '../../clock/clock.js';
import {
  RuntimeError,
  type ContainerConfig,
  type ContainerRuntime,
  type ContainerStatus,
  type ExecResult,
  type ExecStreams,
  type LogOptions,
  type RuntimeEvent,
} from '../container-runtime.js';
import { labelOf, newEntry, statusOf, type Entry } from './container-entry.js';
import { ContainerFollower } from './container-follower.js';
import { ContainerStopper } from './container-stopper.js';
import { runExec, type ExecTarget } from './exec-runner.js';
import { killProven } from './kill-proven.js';
import { readCriLog } from './log-reader.js';
import { PidWatcher } from './pid-watcher.js';
import { recoverContainers, type UnreadableState } from './recover-containers.js';
import { defaultShimPath, spawnerPathFor, startShim, type ShimStart } from './shim-client.js';
import { Spawner } from './spawner.js';
import { signalNumber } from './signals.js';
import { isContainerId, StateDir, type StoredContainer } from './state-dir.js';

export type { UnreadableState } from './recover-containers.js';

export interface ProcessRuntimeOptions {
  /** One subdirectory per container lives here; a later instance over the same directory sees them all. */
  stateDir: string;
  /**
   * Where container logs live, when not inside stateDir (which may then be a
   * tmpfs: see StateDir). The same for every instance over that stateDir.
   */
  logDir?: string;
  clock: Clock;
  /** Defaults to build/hooklet-shim at the package root. */
  shimPath?: string;
}

export interface CleanupResult {
  id: string;
  /** Processes SIGKILLed because the state files proved them to be this container's (its group, its shim). */
  killedPids: number[];
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Runs each container as a host process group under its own `hooklet-shim`,
 * which outlives this agent and records the exit and the log on disk. The
 * agent learns of exits from inotify on the container's state directory and
 * of shim deaths from one pidfd-based watcher helper; there is no polling.
 *
 * Recovery (the first call on a new instance, or `recover()`) walks the state
 * directory, as containerd's shim_load does: it reattaches to containers whose
 * shim runs, takes exits recorded while no agent ran, resolves interrupted
 * starts without ever starting anything twice, and reports what it cannot
 * read. It emits no event for what happened while no agent ran: those
 * containers simply read `exited` with the recorded exitCode and finishedAt.
 * Live containers produce the normal events from then on.
 */
export class ProcessRuntime implements ContainerRuntime {
  readonly name = 'process';
  private readonly state: StateDir;
  private readonly clock: Clock;
  private readonly shimPath: string;
  private readonly watcher: PidWatcher;
  private readonly spawner: Spawner;
  private readonly follower: ContainerFollower;
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();
  private readonly stopper: ContainerStopper;
  private readonly unreadable = new Map<string, UnreadableState>();
  private loaded: Promise<void> | undefined;
  private closed = false;

  constructor(options: ProcessRuntimeOptions) {
    this.state = new StateDir(options.stateDir, options.logDir);
    this.clock = options.clock;
    this.shimPath = options.shimPath ?? defaultShimPath();
    this.watcher = new PidWatcher(this.shimPath, this.clock);
    this.spawner = new Spawner(spawnerPathFor(this.shimPath));
    this.follower = new ContainerFollower({
      state: this.state,
      watcher: this.watcher,
      clock: this.clock,
      emit: (event) => this.emit(event),
      isCurrent: (e) => !this.closed && this.entries.get(e.stored.id) === e,
    });
    this.stopper = new ContainerStopper({
      state: this.state,
      clock: this.clock,
      watcher: this.watcher,
      follower: this.follower,
      emit: (event) => this.emit(event),
    });
  }

  /**
   * Loads every container recorded in the state directory (once; every other
   * method does this first) and returns them. Never throws for one bad
   * container directory: see unreadableStates().
   */
  async recover(): Promise<ContainerStatus[]> {
    await this.ready();
    return this.list();
  }

  /** Container directories recovery could not fully read, each with the reason. */
  unreadableStates(): UnreadableState[] {
    return [...this.unreadable.values()];
  }

  /** Cleans up every unreadable directory no pod can account for (listed: false). Returns what it did. */
  async removeUnreadable(): Promise<CleanupResult[]> {
    await this.ready();
    const done: CleanupResult[] = [];
    for (const u of this.unreadable.values()) if (!u.listed) done.push(await this.cleanup(u.id));
    return done;
  }

  /**
   * Kills and removes container `id` whatever state its files are in:
   * stops it the normal way if it can, then SIGKILLs whatever its readable
   * files prove to be its own (pid + start ticks + boot id; see killProven)
   * and deletes its directory. Idempotent; an id with no directory is a no-op.
   */
  async cleanup(id: string): Promise<CleanupResult> {
    await this.ready();
    if (!isContainerId(id)) return { id, killedPids: [] };
    const e = this.entries.get(id);
    if (e) {
      await e.starting?.catch(() => undefined);
      if (!e.exit) await this.stop(id, 0).catch(() => undefined);
    }
    const started = (await this.state.readStarted(id).catch(() => undefined)) ?? e?.started;
    const claim = (await this.state.readClaim(id).catch(() => undefined)) ?? e?.claim;
    const killedPids = await killProven({ started, claim }, this.watcher, this.clock);
    if (e) this.forget(e);
    this.unreadable.delete(id);
    await this.state.remove(id);
    return { id, killedPids };
  }

  async create(config: ContainerConfig): Promise<string> {
    await this.ready();
    const label = labelOf(config);
    if (config.command.length === 0 || config.command[0] === '') {
      throw new RuntimeError(
        'InvalidConfig',
        `${label}: command is required on the process runtime (it runs host processes; image ${JSON.stringify(config.image)} is recorded, not pulled)`,
      );
    }
    const stopSignal = config.stopSignal ?? 'SIGTERM';
    try {
      signalNumber(stopSignal);
    } catch {
      throw new RuntimeError('InvalidConfig', `${label}: unknown stop signal ${stopSignal}`);
    }
    const id = this.state.newId();
    const stored: StoredContainer = {
      version: 1,
      id,
      createdAt: this.clock.now(),
      config,
      argv: [...config.command, ...config.args],
      env: withDefaultEnv(config.env),
      // A host process has no image WORKDIR: default to where the agent runs.
      cwd: resolvePath(config.workingDir || process.cwd()),
      stopSignal,
    };
    await this.state.create(stored);
    this.entries.set(id, newEntry(stored));
    this.emit({ type: 'created', id, at: stored.createdAt });
    return id;
  }

  async start(id: string): Promise<void> {
    await this.ready();
    const e = this.get(id);
    if (e.starting || e.started || e.exit || e.lost) {
      throw new RuntimeError('StartFailed', `${labelOf(e.stored.config)}: already started`);
    }
    e.starting = this.launch(e);
    await e.starting;
  }

  private async launch(e: Entry): Promise<void> {
    const id = e.stored.id;
    const label = labelOf(e.stored.config);
    // Before the shim can exist: from here on, recovery never takes this container for one never started.
    await this.state.writeIntent(id, this.clock.now());
    // Watch before the shim exists so that an instant exit cannot be missed.
    this.follower.watchExit(e);
    let result: ShimStart;
    try {
      result = await startShim(this.spawner, this.shimPath, this.state.dir(id), e.stored);
    } catch (err) {
      await this.failStart(e, (err as Error).message);
      throw err;
    }
    const started = (result.ok && result.started) || (await this.state.readStarted(id).catch(() => undefined));
    if (!result.ok) {
      const exit = await this.state.readExit(id).catch(() => undefined);
      // No record of a process, or a process that never ran the command: a start error.
      if (!started || exit?.startError !== undefined) {
        await this.failStart(e, result.message);
        throw new RuntimeError('StartFailed', `${label}: ${result.message}`);
      }
      // The shim died after naming the process (it may run): follow it like any container whose shim died.
    }
    if (!started) {
      e.lost = 'the shim reported a start but started.json is unreadable';
      e.claim = await this.state.readClaim(id).catch(() => undefined);
      throw new RuntimeError('Internal', `${label}: ${e.lost}`);
    }
    e.started = started;
    this.emit({ type: 'started', id, at: started.startedAt });
    this.follower.watchShim(e);
    // An exit.json that appeared before `started` was known was not taken then (see refresh).
    if (e.exitSeen || !e.unwatch) await this.follower.refresh(e);
  }

  /** The shim could not start the container: record a StartError, and make sure no later shim can start it. */
  private async failStart(e: Entry, message: string): Promise<void> {
    const id = e.stored.id;
    e.unwatch?.();
    const onDisk = await this.state.readExit(id).catch(() => undefined);
    if (onDisk) {
      e.exit = onDisk;
      e.exited.resolve();
      return;
    }
    const now = this.clock.now();
    await this.state.claimForAgent(id, now, message).catch(() => false);
    await this.follower.recordExit(e, { exitCode: 128, startError: message, finishedAt: now }, false);
  }

  async stop(id: string, timeoutMs: number, signal?: NodeJS.Signals): Promise<void> {
    await this.ready();
    const e = this.entries.get(id);
    if (!e) return;
    await e.starting?.catch(() => undefined);
    if (e.exit || (!e.lost && !e.started)) return;
    await this.stopper.stop(e, timeoutMs, signal);
  }

  async execSync(id: string, argv: string[], timeoutMs: number): Promise<ExecResult> {
    const target = await this.execTarget(id);
    return runExec(target, { argv, clock: this.clock, timeoutMs, capture: true });
  }

  async exec(id: string, argv: string[], streams: ExecStreams): Promise<number> {
    const target = await this.execTarget(id);
    const result = await runExec(target, {
      argv,
      clock: this.clock,
      timeoutMs: 0,
      capture: false,
      stdin: streams.stdin,
      onStdout: streams.stdout,
      onStderr: streams.stderr,
    });
    return result.exitCode;
  }

  async status(id: string): Promise<ContainerStatus> {
    await this.ready();
    return statusOf(this.get(id), this.state.logPath(id));
  }

  async list(filter?: { podUid?: string }): Promise<ContainerStatus[]> {
    await this.ready();
    return [...this.entries.values()]
      .filter((e) => filter?.podUid === undefined || e.stored.config.podUid === filter.podUid)
      .sort((a, b) => a.stored.createdAt - b.stored.createdAt)
      .map((e) => statusOf(e, this.state.logPath(e.stored.id)));
  }

  async logs(id: string, options: LogOptions, out: (chunk: string) => void): Promise<void> {
    await this.ready();
    const e = this.get(id);
    await readCriLog(this.state.logPath(id), options, out, {
      isExited: () => e.exit !== undefined || e.lost !== undefined,
      exited: e.exited.promise,
    });
  }

  /**
   * As CRI RemoveContainer: a running container is force-stopped first. A
   * container whose state is partial (unknown, or unreadable files) goes
   * through cleanup(), so nothing provably its own outlives its state.
   */
  async remove(id: string): Promise<void> {
    await this.ready();
    if (!isContainerId(id)) return;
    const e = this.entries.get(id);
    if (this.unreadable.has(id) || (e?.lost && !e.exit)) {
      await this.cleanup(id);
      return;
    }
    if (e) {
      await this.stop(id, 0);
      this.forget(e);
    }
    await this.state.remove(id);
  }

  onEvent(listener: (event: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopper.cancelAll();
    for (const e of this.entries.values()) e.unwatch?.();
    this.watcher.close();
    this.spawner.close();
    this.listeners.clear();
  }

  private ready(): Promise<void> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  private async load(): Promise<void> {
    try {
      await recoverContainers({ state: this.state, clock: this.clock, follower: this.follower, entries: this.entries, unreadable: this.unreadable });
    } catch (err) {
      throw new RuntimeError('Internal', `cannot read the process runtime's state directory ${this.state.root}: ${(err as Error).message}`, { cause: err });
    }
  }


  private forget(e: Entry): void {
    e.unwatch?.();
    e.exited.resolve();
    this.entries.delete(e.stored.id);
  }

  private async execTarget(id: string): Promise<ExecTarget> {
    await this.ready();
    const e = this.get(id);
    await e.starting?.catch(() => undefined);
    if (!e.started || e.exit || e.lost) throw new RuntimeError('NotRunning', `${labelOf(e.stored.config)} is not running`);
    return {
      shimPath: this.shimPath,
      spawner: this.spawner,
      pid: e.started.pid,
      startTicks: e.started.startTicks,
      cwd: e.stored.cwd,
      env: e.stored.env,
      label: labelOf(e.stored.config),
    };
  }

  private get(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new RuntimeError('NotFound', `container ${id} not found`);
    return e;
  }

  private emit(event: RuntimeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // The runtime's state stays consistent; the listener's bug still surfaces.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}

/** The container's env only, plus PATH and HOME when it lacks them (commands must resolve). */
function withDefaultEnv(env: Record<string, string>): Record<string, string> {
  const out = { ...env };
  out.PATH ??= process.env.PATH ?? DEFAULT_PATH;
  out.HOME ??= process.env.HOME ?? homedir();
  return out;
}
