/**
 * The container runtime contract, shaped like the CRI (cri-api runtime/v1
 * api.proto). The engine talks only to this interface; adapters live beside it
 * (`process/`, `fake/`) and all pass the shared conformance suite
 * (`conformance.case.ts`).
 *
 * Durations are milliseconds. Times are epoch milliseconds from the adapter's
 * Clock.
 */

/**
 * `unknown`: the runtime can no longer follow the container (e.g. the
 * process runtime's shim was killed). Stop still works and records an exit.
 */
export type ContainerStateName = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerConfig {
  /** Pod identity, for labelling, recovery and fieldRef values. */
  podUid: string;
  podName: string;
  podNamespace: string;
  /** Container name inside the pod. */
  name: string;
  /** How many times this container was restarted before (for log naming). */
  attempt: number;
  /** Recorded, not pulled, by the process runtime. */
  image: string;
  /** argv = command + args. The process runtime requires a non-empty command. */
  command: string[];
  args: string[];
  /** Resolved environment (fieldRef values already substituted by the caller). */
  env: Record<string, string>;
  workingDir?: string;
  /** Signal the runtime sends at stop (lifecycle.stopSignal, default SIGTERM). */
  stopSignal?: NodeJS.Signals;
}

export interface ContainerStatus {
  id: string;
  name: string;
  podUid: string;
  /** From the container's config; lets a restarted agent name an orphan whose pod is gone (R4.6). */
  podName?: string;
  podNamespace?: string;
  attempt: number;
  state: ContainerStateName;
  pid?: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** 128+signal when killed by a signal, as container runtimes report it. */
  exitCode?: number;
  /** The signal that ended the process, if any. */
  signal?: NodeJS.Signals;
  /**
   * `Completed` (exit 0), `Error`, `StartError` (the process never ran),
   * `ContainerStatusUnknown` (it ended unobserved: exitCode 137, as the
   * kubelet reports it), or runtime-specific.
   */
  reason?: string;
  /** Why, in words, when the reason alone does not say (a StartError's cause, an unknown exit). */
  message?: string;
  /** Where this instance's log lives (adapter-specific; informational). */
  logPath?: string;
  stopSignal: NodeJS.Signals;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecStreams {
  stdin?: NodeJS.ReadableStream;
  stdout?: (chunk: Buffer) => void;
  stderr?: (chunk: Buffer) => void;
}

export interface LogOptions {
  tailLines?: number;
  /** Only lines at or after this epoch-ms time. */
  sinceTime?: number;
  timestamps?: boolean;
  limitBytes?: number;
  /** Keep the stream open and deliver new lines until the signal aborts or the container exits. */
  follow?: boolean;
  signal?: AbortSignal;
}

export type RuntimeEvent =
  | { type: 'created'; id: string; at: number }
  | { type: 'started'; id: string; at: number }
  | { type: 'exited'; id: string; at: number; exitCode: number; signal?: NodeJS.Signals }
  /**
   * The runtime sent a signal while stopping (the stop signal, then SIGKILL
   * if the timeout ran out). Lets the engine's timeline show when SIGKILL
   * really landed rather than when it was planned.
   */
  | { type: 'signalled'; id: string; at: number; signal: NodeJS.Signals };

/** Errors an adapter throws, with a stable reason the engine can map to events. */
export class RuntimeError extends Error {
  constructor(
    readonly reason: 'NotFound' | 'InvalidConfig' | 'StartFailed' | 'NotRunning' | 'ExecFailed' | 'Internal',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}

export interface ContainerRuntime {
  /** Short mechanism name, e.g. "process". Used in containerID URIs (`process://<id>`). */
  readonly name: string;

  /**
   * Creates a container without starting it. Returns its id. Throws
   * RuntimeError('InvalidConfig') naming the container when the config
   * cannot run on this runtime (e.g. no command on the process runtime).
   */
  create(config: ContainerConfig): Promise<string>;

  /** Starts a created container. Resolves once the process exists (not when it is "ready"). */
  start(id: string): Promise<void>;

  /**
   * Stops a container: sends its stop signal to the whole container, waits up
   * to `timeoutMs`, then force-kills (SIGKILL). MUST force-kill when the
   * timeout ends; `timeoutMs` 0 means kill at once. Resolves when the container
   * has exited. Idempotent: stopping an exited or unknown container resolves.
   * `signal` overrides the configured stop signal.
   */
  stop(id: string, timeoutMs: number, signal?: NodeJS.Signals): Promise<void>;

  /**
   * Runs argv inside the container (its env, working dir, and lifetime: the
   * process dies with the container). `timeoutMs` 0 means no deadline, as the
   * kubelet uses for hooks. Throws RuntimeError('NotRunning') if the container
   * is not running; a non-zero exit is a result, not an error.
   */
  execSync(id: string, argv: string[], timeoutMs: number): Promise<ExecResult>;

  /** Streaming exec for `kubectl exec`; resolves with the exit code. */
  exec(id: string, argv: string[], streams: ExecStreams): Promise<number>;

  /** Current status. Throws RuntimeError('NotFound') for an unknown id. */
  status(id: string): Promise<ContainerStatus>;

  /** Every container the runtime knows, optionally for one pod. */
  list(filter?: { podUid?: string }): Promise<ContainerStatus[]>;

  /**
   * The container's log as CRI-style lines, rendered for `kubectl logs`:
   * the content, or `<RFC3339Nano> <content>` with `timestamps`.
   * Writes to `out` and resolves when done (or when follow ends).
   */
  logs(id: string, options: LogOptions, out: (chunk: string) => void): Promise<void>;

  /**
   * Removes an exited container, its state and its log. Idempotent. The
   * engine keeps the previous instance of each container until the next one
   * exits, so `kubectl logs --previous` reads it by its own id.
   */
  remove(id: string): Promise<void>;

  /** Subscribes to lifecycle events, delivered in order per container. Returns unsubscribe. */
  onEvent(listener: (event: RuntimeEvent) => void): () => void;

  /** Releases resources held by the adapter (watchers, timers). Containers keep running. */
  close(): Promise<void>;
}
