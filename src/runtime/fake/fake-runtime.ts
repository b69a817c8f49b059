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
import type { BehaviourRule, ContainerMatch, FakeExecScript } from './fake-behaviour.js';
import type { FakeCall, FakeCallOp } from './fake-call.js';
import { alive, fakeStatus, newFakeContainer, type FakeContainer } from './fake-container.js';
import { runFakeExec } from './fake-exec.js';
import { FakeFaults, type FailableOp } from './fake-faults.js';
import { FakeLogWriter } from './fake-log.js';
import { FakeProcesses, signalNumber } from './fake-processes.js';
import { FakeScripts } from './fake-scripts.js';

export type { FakeCall, FakeCallOp } from './fake-call.js';
export type { FailableOp } from './fake-faults.js';

/**
 * An in-memory ContainerRuntime for engine tests, driven by a (fake) Clock.
 * Containers follow scripts set with `behave` and `onExec`; every call and
 * every signal is recorded in `calls` with the clock time, so a test can
 * assert "SIGTERM at t=30 000, SIGKILL at t=32 000".
 *
 *   const fake = new FakeRuntime(clock)
 *     .behave('app', { onStop: { exitAfterMs: 4000 } })
 *     .onExec('app', { argv: ['sh', '-c', 'sleep 5'], durationMs: 5000 });
 */
export class FakeRuntime implements ContainerRuntime {
  readonly name: string;
  /** Every call, signal and exit, in order. */
  readonly calls: FakeCall[] = [];
  private readonly scripts = new FakeScripts();
  private readonly faults = new FakeFaults();
  private readonly containers = new Map<string, FakeContainer>();
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();
  private readonly stops = new Set<AbortController>();
  private readonly processes: FakeProcesses;
  private nextId = 1;
  private nextPid = 1000;

  constructor(
    private readonly clock: Clock,
    options: { name?: string } = {},
  ) {
    this.name = options.name ?? 'fake';
    this.processes = new FakeProcesses({
      clock,
      behaviourOf: (config) => this.scripts.behaviourOf(config),
      record: (op, c, fields) => this.record(op, c, fields),
      emit: (event) => this.emit(event),
    });
  }

  // ---- scripting -------------------------------------------------------

  /** Scripts containers matching `match`. Rules add up; later ones win field by field (exec scripts accumulate). */
  behave(match: ContainerMatch, rule: BehaviourRule): this {
    this.scripts.add(match, rule);
    return this;
  }

  /** Adds an exec answer for matching containers; it is tried before earlier ones. */
  onExec(match: ContainerMatch, script: FakeExecScript): this {
    return this.behave(match, { exec: [script] });
  }

  /** The next call of `op` throws `error` (a RuntimeError, or a message wrapped as Internal). */
  failNext(op: FailableOp, error: Error | string): this {
    this.faults.failNext(op, error);
    return this;
  }

  // ---- direct control --------------------------------------------------

  /** Makes a running container exit now (a crash, or a clean end). `target`: id or container name. */
  exit(target: string, exitCode = 0, signal?: NodeJS.Signals): void {
    const c = this.find(target);
    if (!alive(c)) throw new Error(`fake: container ${target} is ${c.state}, not running`);
    this.processes.finish(c, signal ? 128 + signalNumber(signal) : exitCode, signal);
  }

  /**
   * The runtime loses track of a running container, as the process runtime
   * does when a container's shim is killed: status `unknown`, no exec. It
   * still takes signals; however it ends (stop, or `exit`), the exit is
   * recorded as the process runtime records it: 137, ContainerStatusUnknown.
   */
  lose(target: string): void {
    const c = this.find(target);
    if (c.state !== 'running') throw new Error(`fake: container ${target} is ${c.state}, not running`);
    c.state = 'unknown';
  }

  /** Appends a log line now. */
  log(target: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.processes.appendLog(this.find(target), text, stream);
  }

  // ---- inspection ------------------------------------------------------

  /** Id of the newest container with this name (optionally of one attempt). */
  idOf(container: string, attempt?: number): string {
    const found = [...this.containers.values()].filter((c) => c.config.name === container && (attempt === undefined || c.config.attempt === attempt));
    const last = found.at(-1);
    if (!last) throw new Error(`fake: no container named ${container}${attempt === undefined ? '' : ` (attempt ${attempt})`}`);
    return last.id;
  }

  /** Status of a container by id or name, without awaiting. */
  statusOf(target: string): ContainerStatus {
    return fakeStatus(this.find(target));
  }

  /** Calls concerning containers of this name, optionally of one kind. */
  callsFor(container: string, op?: FakeCallOp): FakeCall[] {
    return this.calls.filter((c) => c.container === container && (op === undefined || c.op === op));
  }

  /** Signals delivered to containers of this name, with the time of each. */
  signalsSent(container: string): Array<{ signal: NodeJS.Signals; at: number; id: string }> {
    return this.callsFor(container, 'signal').map((c) => ({ signal: c.signal!, at: c.at, id: c.id }));
  }

  /** Exec starts in containers of this name. */
  execCalls(container: string): Array<{ argv: string[]; at: number; id: string; timeoutMs: number }> {
    return this.callsFor(container, 'exec').map((c) => ({ argv: c.argv!, at: c.at, id: c.id, timeoutMs: c.timeoutMs ?? 0 }));
  }

  // ---- ContainerRuntime ------------------------------------------------

  async create(config: ContainerConfig): Promise<string> {
    this.faults.take('create');
    const behaviour = this.scripts.behaviourOf(config);
    if (behaviour.createError) throw new RuntimeError('InvalidConfig', behaviour.createError);
    const id = (this.nextId++).toString(16).padStart(12, '0');
    const c = newFakeContainer(id, config, this.clock.now());
    this.containers.set(id, c);
    this.record('create', c);
    this.emit({ type: 'created', id, at: c.createdAt });
    return id;
  }

  async start(id: string): Promise<void> {
    const c = this.get(id);
    this.record('start', c);
    this.faults.take('start');
    if (c.state !== 'created') throw new RuntimeError('StartFailed', `fake: container ${c.config.name} already started`);
    const behaviour = this.scripts.behaviourOf(c.config);
    if (behaviour.startError) {
      Object.assign(c, { state: 'exited', exitCode: 128, reason: 'StartError', finishedAt: this.clock.now() });
      c.exited.resolve();
      throw new RuntimeError('StartFailed', behaviour.startError);
    }
    c.state = 'running';
    c.pid = this.nextPid++;
    c.startedAt = this.clock.now();
    this.emit({ type: 'started', id, at: c.startedAt });
    for (const line of behaviour.logs ?? []) {
      const l = typeof line === 'string' ? { text: line } : line;
      this.processes.after(c, l.atMs ?? 0, () => this.processes.appendLog(c, l.text, l.stream ?? 'stdout'));
    }
    if (behaviour.exitAfterMs !== undefined) this.processes.after(c, behaviour.exitAfterMs, () => this.processes.finish(c, behaviour.exitCode ?? 0));
  }

  async stop(id: string, timeoutMs: number, signal?: NodeJS.Signals): Promise<void> {
    const c = this.containers.get(id);
    this.calls.push({ op: 'stop', at: this.clock.now(), id, ...this.who(c), timeoutMs, signal });
    this.faults.take('stop');
    if (!c || !alive(c)) return;
    const stopping = new AbortController();
    this.stops.add(stopping);
    const cancelled = new Promise<'cancelled'>((r) => stopping.signal.addEventListener('abort', () => r('cancelled')));
    try {
      if (timeoutMs > 0) {
        this.processes.deliver(c, signal ?? c.config.stopSignal ?? 'SIGTERM', true);
        const deadline = this.clock.sleep(timeoutMs, stopping.signal).then(
          () => 'deadline' as const,
          () => 'cancelled' as const,
        );
        const first = await Promise.race([c.exited.promise.then(() => 'exited' as const), deadline]);
        if (first === 'cancelled') throw closed(c);
        if (first === 'deadline' && alive(c)) this.processes.deliver(c, 'SIGKILL', false);
      } else {
        this.processes.deliver(c, 'SIGKILL', false);
      }
      if ((await Promise.race([c.exited.promise.then(() => 'exited' as const), cancelled])) === 'cancelled') throw closed(c);
    } finally {
      stopping.abort();
      this.stops.delete(stopping);
    }
  }

  async execSync(id: string, argv: string[], timeoutMs: number): Promise<ExecResult> {
    return this.runExec(id, argv, timeoutMs);
  }

  async exec(id: string, argv: string[], streams: ExecStreams): Promise<number> {
    return (await this.runExec(id, argv, 0, streams)).exitCode;
  }

  async status(id: string): Promise<ContainerStatus> {
    return fakeStatus(this.get(id));
  }

  async list(filter?: { podUid?: string }): Promise<ContainerStatus[]> {
    return [...this.containers.values()]
      .filter((c) => filter?.podUid === undefined || c.config.podUid === filter.podUid)
      .map((c) => fakeStatus(c));
  }

  async logs(id: string, options: LogOptions, out: (chunk: string) => void): Promise<void> {
    const c = this.get(id);
    const writer = new FakeLogWriter(options, out);
    writer.writeInitial(c.logs);
    let seen = c.logs.length;
    if (!options.follow) return;
    while (c.state !== 'exited' && !options.signal?.aborted && !writer.full) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          c.logWaiters.delete(wake);
          options.signal?.removeEventListener('abort', wake);
          resolve();
        };
        c.logWaiters.add(wake);
        options.signal?.addEventListener('abort', wake, { once: true });
      });
      for (const r of c.logs.slice(seen)) writer.write(r);
      seen = c.logs.length;
    }
  }

  async remove(id: string): Promise<void> {
    const c = this.containers.get(id);
    this.calls.push({ op: 'remove', at: this.clock.now(), id, ...this.who(c) });
    this.faults.take('remove');
    if (!c) return;
    if (alive(c)) await this.stop(id, 0);
    this.containers.delete(id);
  }

  onEvent(listener: (event: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const stopping of this.stops) stopping.abort();
    for (const c of this.containers.values()) for (const cancel of c.timers) cancel();
    this.listeners.clear();
  }

  // ---- internals -------------------------------------------------------

  private async runExec(id: string, argv: string[], timeoutMs: number, streams?: ExecStreams): Promise<ExecResult> {
    const c = this.containers.get(id);
    this.calls.push({ op: 'exec', at: this.clock.now(), id, ...this.who(c), argv, timeoutMs });
    this.faults.take('exec');
    if (!c) throw new RuntimeError('NotFound', `fake: container ${id} not found`);
    if (c.state !== 'running') throw new RuntimeError('NotRunning', `fake: container ${c.config.name} is not running`);
    const end = (fields: Partial<FakeCall>): void => {
      this.calls.push({ op: 'execEnd', at: this.clock.now(), id, ...this.who(c), argv, ...fields });
    };
    return runFakeExec({ clock: this.clock, container: c, argv, timeoutMs, script: this.scripts.takeScript(c.config, argv), streams, end });
  }

  private find(target: string): FakeContainer {
    return this.containers.get(target) ?? this.get(this.idOf(target));
  }

  private get(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `fake: container ${id} not found`);
    return c;
  }

  private who(c: FakeContainer | undefined): Pick<FakeCall, 'container' | 'pod' | 'attempt'> {
    return { container: c?.config.name ?? '', pod: c?.config.podName ?? '', attempt: c?.config.attempt ?? 0 };
  }

  private record(op: FakeCallOp, c: FakeContainer, fields: Partial<FakeCall> = {}): void {
    this.calls.push({ op, at: this.clock.now(), id: c.id, ...this.who(c), ...fields });
  }

  private emit(event: RuntimeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // Keep the fake's state consistent, but let the test see the listener's bug.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}

function closed(c: FakeContainer): RuntimeError {
  return new RuntimeError('Internal', `fake: runtime closed while stopping ${c.config.name}`);
}
