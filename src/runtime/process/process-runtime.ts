import { watch } from 'node:fs';
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
import { runExec, type ExecTarget } from './exec-runner.js';
import { readCriLog } from './log-reader.js';
import { isAlive } from './proc-stat.js';
import { defaultShimPath, startShim } from './shim-client.js';
import { signalName, signalNumber } from './signals.js';
import { EXIT_FILE, StateDir, type StoredContainer } from './state-dir.js';

export interface ProcessRuntimeOptions {
  /** One subdirectory per container lives here; a later instance over the same directory sees them all. */
  stateDir: string;
  clock: Clock;
  /** Defaults to build/hooklet-shim at the package root. */
  shimPath?: string;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Runs each container as a host process group under its own `hooklet-shim`,
 * which outlives this agent and records the exit and the log on disk. The
 * agent learns of exits from inotify on the container's state directory
 * (plus the shim's exit for shims it spawned itself); there is no polling.
 */
export class ProcessRuntime implements ContainerRuntime {
  readonly name = 'process';
  private readonly state: StateDir;
  private readonly clock: Clock;
  private readonly shimPath: string;
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();
  private readonly stops = new Set<AbortController>();
  private loaded: Promise<void> | undefined;
  private readonly unreadable: Array<{ id: string; error: Error }> = [];

  constructor(options: ProcessRuntimeOptions) {
    this.state = new StateDir(options.stateDir);
    this.clock = options.clock;
    this.shimPath = options.shimPath ?? defaultShimPath();
  }

  /**
   * Loads every container recorded in the state directory (once; every other
   * method does this first) and watches those still running. Exits that
   * happened while no agent watched are read from the shim's exit.json.
   */
  async recover(): Promise<ContainerStatus[]> {
    await this.ready();
    return this.list();
  }

  /** Container directories whose config could not be read during recovery. */
  unreadableStates(): ReadonlyArray<{ id: string; error: Error }> {
    return this.unreadable;
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
    if (e.starting || e.started || e.exit) {
      throw new RuntimeError('StartFailed', `${labelOf(e.stored.config)}: already started`);
    }
    e.starting = this.launch(e);
    await e.starting;
  }

  private async launch(e: Entry): Promise<void> {
    const id = e.stored.id;
    // Watch before the shim exists so that an instant exit cannot be missed.
    this.watchExit(e);
    let result;
    try {
      result = await startShim(this.shimPath, this.state.dir(id), e.stored);
    } catch (err) {
      e.unwatch?.();
      throw err;
    }
    if (!result.ok) {
      e.unwatch?.();
      e.exit = (await this.state.readExit(id).catch(() => undefined)) ?? {
        exitCode: 128,
        startError: result.message,
        finishedAt: this.clock.now(),
      };
      e.exited.resolve();
      throw new RuntimeError('StartFailed', `${labelOf(e.stored.config)}: ${result.message}`);
    }
    const started = await this.state.readStarted(id);
    if (!started) throw new RuntimeError('Internal', `${labelOf(e.stored.config)}: the shim reported a start but wrote no started.json`);
    e.started = started;
    this.emit({ type: 'started', id, at: started.startedAt });
    const { shim } = result;
    if (shim.exitCode !== null || shim.signalCode !== null) await this.shimExited(e);
    else shim.once('exit', () => void this.shimExited(e));
    await this.refresh(e);
  }

  async stop(id: string, timeoutMs: number, signal?: NodeJS.Signals): Promise<void> {
    await this.ready();
    const e = this.entries.get(id);
    if (!e) return;
    await e.starting?.catch(() => undefined);
    if (e.lost) return this.killUnwatched(e);
    if (!e.started || e.exit) return;
    // One controller per stop: the deadline timer dies the moment the process exits.
    const stopping = new AbortController();
    this.stops.add(stopping);
    try {
      if (timeoutMs > 0) {
        this.signal(e, signal ?? e.stored.stopSignal);
        const deadline = this.clock.sleep(timeoutMs, stopping.signal).then(
          () => 'deadline' as const,
          () => 'cancelled' as const,
        );
        const first = await Promise.race([e.exited.promise.then(() => 'exited' as const), deadline]);
        if (first === 'exited') return;
        if (first === 'cancelled') throw closedError(e);
      }
      if (!e.exit) this.signal(e, 'SIGKILL');
      const end = await Promise.race([
        e.exited.promise.then(() => 'exited' as const),
        new Promise<'cancelled'>((resolve) => stopping.signal.addEventListener('abort', () => resolve('cancelled'))),
      ]);
      if (end === 'cancelled') throw closedError(e);
    } finally {
      stopping.abort();
      this.stops.delete(stopping);
    }
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

  async remove(id: string): Promise<void> {
    await this.ready();
    const e = this.entries.get(id);
    if (e) {
      // As CRI RemoveContainer: a running container is force-stopped first.
      await this.stop(id, 0);
      e.unwatch?.();
      this.entries.delete(id);
    }
    await this.state.remove(id);
  }

  onEvent(listener: (event: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const stopping of this.stops) stopping.abort();
    for (const e of this.entries.values()) e.unwatch?.();
    this.listeners.clear();
  }

  private ready(): Promise<void> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  private async load(): Promise<void> {
    for (const id of await this.state.ids()) {
      let stored;
      try {
        stored = await this.state.readConfig(id);
      } catch (err) {
        this.unreadable.push({ id, error: err as Error });
        continue;
      }
      if (!stored) continue;
      const e = newEntry(stored);
      this.entries.set(id, e);
      try {
        e.started = await this.state.readStarted(id);
        e.exit = await this.state.readExit(id);
      } catch (err) {
        e.lost = (err as Error).message;
      }
      if (e.exit || e.lost) {
        e.exited.resolve();
        continue;
      }
      if (!e.started) continue;
      this.watchExit(e);
      if (!(await isAlive(e.started.shimPid, e.started.shimStartTicks))) await this.shimExited(e);
      else await this.refresh(e);
    }
  }

  private watchExit(e: Entry): void {
    try {
      const watcher = watch(this.state.dir(e.stored.id), (_event, file) => {
        if (file === EXIT_FILE) void this.refresh(e);
      });
      // Without inotify (watch limit reached) the shim's exit event still
      // covers containers this agent started.
      watcher.on('error', () => watcher.close());
      e.unwatch = () => watcher.close();
    } catch {
      e.unwatch = undefined;
    }
  }

  /** Records the exit if the shim has written it. Safe to call any number of times. */
  private async refresh(e: Entry): Promise<void> {
    if (!e.started || e.exit) return;
    const exit = await this.state.readExit(e.stored.id).catch(() => undefined);
    if (!exit || e.exit) return;
    e.exit = exit;
    e.unwatch?.();
    e.exited.resolve();
    this.emit({ type: 'exited', id: e.stored.id, at: exit.finishedAt, exitCode: exit.exitCode, signal: signalName(exit.signal ?? 0) });
  }

  /** The shim is gone: it wrote exit.json first unless it was killed itself. */
  private async shimExited(e: Entry): Promise<void> {
    await this.refresh(e);
    if (e.exit || e.lost) return;
    e.lost = 'the shim exited without recording the container exit';
    e.unwatch?.();
    e.exited.resolve();
  }

  /**
   * No shim watches this container any more (it was killed): nothing will
   * record an exit, but the process group must not outlive the container.
   */
  private async killUnwatched(e: Entry): Promise<void> {
    if (e.started && (await isAlive(e.started.pid, e.started.startTicks))) this.signal(e, 'SIGKILL');
  }

  private signal(e: Entry, signal: NodeJS.Signals): void {
    const pid = e.started!.pid;
    try {
      // Negative pid: the whole process group the shim created for the container.
      process.kill(-pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw new RuntimeError('Internal', `${labelOf(e.stored.config)}: cannot send ${signal}: ${(err as Error).message}`, { cause: err });
    }
    this.emit({ type: 'signalled', id: e.stored.id, at: this.clock.now(), signal });
  }

  private async execTarget(id: string): Promise<ExecTarget> {
    await this.ready();
    const e = this.get(id);
    await e.starting?.catch(() => undefined);
    if (!e.started || e.exit || e.lost) throw new RuntimeError('NotRunning', `${labelOf(e.stored.config)} is not running`);
    return {
      shimPath: this.shimPath,
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

function closedError(e: Entry): RuntimeError {
  return new RuntimeError('Internal', `${labelOf(e.stored.config)}: the runtime was closed while stopping it`);
}

/** The container's env only, plus PATH and HOME when it lacks them (commands must resolve). */
function withDefaultEnv(env: Record<string, string>): Record<string, string> {
  const out = { ...env };
  out.PATH ??= process.env.PATH ?? DEFAULT_PATH;
  out.HOME ??= process.env.HOME ?? homedir();
  return out;
}
