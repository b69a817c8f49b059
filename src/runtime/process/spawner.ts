import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/** A process for the spawner to start. argv[0] is the name the process sees; path is what runs. */
export interface SpawnSpec {
  path: string;
  argv: string[];
  /** Exactly the environment the process gets. */
  env: Record<string, string>;
  /** In a session of its own (setsid), as container shims are. */
  detached?: boolean;
  /** The fds (1, 2, 3) whose output comes back through onData; the others are /dev/null, as is stdin. */
  pipe: ReadonlyArray<1 | 2 | 3>;
}

export interface SpawnCallbacks {
  onPid?(pid: number): void;
  onData?(fd: number, chunk: Buffer): void;
  onEof?(fd: number): void;
  /** Once the process was reaped and all its output delivered (never for detached processes). */
  onExit?(code: number | null, signal: number | null): void;
  /**
   * The process did not start (spawned false: nothing runs), or the spawner
   * died after starting it (spawned true: it may still run, unobserved).
   */
  onError(err: Error, spawned: boolean): void;
}

/** A command to run inside a running container, as `hooklet-shim exec` would run it, without that helper. */
export interface ExecInSpec {
  /** The container's main process: the command runs only if it is still the one that started at targetStartTicks. */
  targetPid: number;
  /** Its start time, field 22 of /proc/<pid>/stat: a reused pid is not mistaken for it. */
  targetStartTicks: number;
  cwd: string;
  /** argv[0] is looked up in env's PATH as execvp does. */
  argv: string[];
  /** Exactly the environment the command gets. */
  env: Record<string, string>;
}

/**
 * Why nothing ran. notRunning: the target is gone. execFailed: the command
 * could not start (the message is the shim's, e.g. `exec: "x": executable
 * file not found in $PATH`). unsupported: this kernel has no pidfd_open, so
 * the command cannot be tied to the target here: run it through `hooklet-shim exec`.
 */
export type ExecInRefusal = { kind: 'notRunning' } | { kind: 'execFailed'; message: string } | { kind: 'unsupported'; message: string };

export interface ExecInCallbacks extends SpawnCallbacks {
  /** Final: nothing ran, and no other callback follows. */
  onRefused(refusal: ExecInRefusal): void;
}

export interface SpawnHandle {
  /** Signals the process unless it has already been reaped (a reused pid is never hit). */
  kill(signo: number): void;
  /** Stops following a detached process once its handshake is in: the agent's loop may end without it. */
  release(): void;
}

interface Pending {
  callbacks: SpawnCallbacks;
  /** Set for an execIn request: its F, N and U replies go here. */
  onRefused?: (refusal: ExecInRefusal) => void;
  spawned: boolean;
}

/**
 * The client of native/hooklet-spawner.c: one helper process per runtime
 * that starts every shim and exec hook with posix_spawn, so the agent
 * never forks itself (Node's spawn() forks the whole agent and waits for the
 * exec on the event loop — most of the engine's CPU at 500 pods). Requests
 * and replies are length-prefixed frames on the helper's stdin/stdout. A
 * helper that dies is replaced on the next request; what it was following
 * gets onError(…, true).
 */
export class Spawner {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private inbox: Buffer = Buffer.alloc(0);
  private closed = false;

  constructor(private readonly helperPath: string) {}

  spawn(spec: SpawnSpec, callbacks: SpawnCallbacks): SpawnHandle {
    const id = this.nextId++;
    const frame = encode([
      'S',
      String(id),
      `${spec.detached ? 'd' : ''}${spec.pipe.join('')}`,
      spec.path,
      ...vector(spec.argv),
      ...vector(envStrings(spec.env)),
    ]);
    return this.send(id, frame, { callbacks, spawned: false });
  }

  /**
   * Runs a command inside a running container: in a process group of its
   * own, in spec.cwd, stdout and stderr piped (fds 1 and 2), stdin
   * /dev/null. Its whole group is SIGKILLed when the target dies, when the
   * command exits (leftover background processes do not outlive it) and on
   * handle.kill(any signal). onExit gets the command's own code or signal.
   */
  execIn(spec: ExecInSpec, callbacks: ExecInCallbacks): SpawnHandle {
    const id = this.nextId++;
    const frame = encode([
      'X',
      String(id),
      String(spec.targetPid),
      String(spec.targetStartTicks),
      spec.cwd,
      ...vector(spec.argv),
      ...vector(envStrings(spec.env)),
    ]);
    return this.send(id, frame, { callbacks, onRefused: (r) => callbacks.onRefused(r), spawned: false });
  }

  private send(id: number, frame: Buffer, pending: Pending): SpawnHandle {
    const child = this.closed ? undefined : this.helper();
    const handle: SpawnHandle = {
      kill: (signo) => {
        if (this.pending.has(id) && this.child) this.child.stdin?.write(encode(['K', String(id), String(signo)]));
      },
      release: () => this.settle(id),
    };
    if (!child) {
      queueMicrotask(() => pending.callbacks.onError(new Error(this.closed ? 'the runtime is closed' : `cannot run ${this.helperPath}`), false));
      return handle;
    }
    this.pending.set(id, pending);
    this.reference(true);
    child.stdin?.write(frame);
    return handle;
  }

  /** Ends the helper once its exec children finish; detached processes are unaffected. */
  close(): void {
    this.closed = true;
    this.pending.clear();
    this.child?.stdin?.end();
    this.child = undefined;
  }

  private helper(): ChildProcess | undefined {
    if (this.child) return this.child;
    let child: ChildProcess;
    try {
      child = spawn(this.helperPath, [], { cwd: '/', stdio: ['pipe', 'pipe', 'inherit'] });
    } catch {
      return undefined;
    }
    this.child = child;
    this.inbox = Buffer.alloc(0);
    // Only pending requests keep the agent's event loop alive (see reference), never the helper itself.
    child.unref();
    (child.stdin as Socket | null)?.unref?.();
    child.stdin?.on('error', () => undefined);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (this.child === child) this.receive(chunk);
    });
    const lost = (err?: Error): void => {
      if (this.child !== child) return;
      this.child = undefined;
      const message = err
        ? `cannot run the process runtime's spawner ${this.helperPath}: ${err.message} (build it with "npm run build"; it needs a C compiler)`
        : 'the process runtime\'s spawner exited';
      const pending = [...this.pending.values()];
      this.pending.clear();
      this.reference(false);
      for (const p of pending) p.callbacks.onError(new Error(message), p.spawned);
    };
    child.once('error', lost);
    child.once('exit', () => lost());
    return child;
  }

  /** Frames: "<id> <type> <length>\n" then <length> bytes. */
  private receive(chunk: Buffer): void {
    this.inbox = this.inbox.length === 0 ? chunk : Buffer.concat([this.inbox, chunk]);
    let at = 0;
    for (;;) {
      const nl = this.inbox.indexOf(10, at);
      if (nl < 0) break;
      const [id, type, length] = this.inbox.toString('latin1', at, nl).split(' ');
      const size = Number(length);
      if (this.inbox.length < nl + 1 + size) break;
      const body = this.inbox.subarray(nl + 1, nl + 1 + size);
      at = nl + 1 + size;
      this.dispatch(Number(id), type!, body);
    }
    this.inbox = at === this.inbox.length ? Buffer.alloc(0) : this.inbox.subarray(at);
  }

  private dispatch(id: number, type: string, body: Buffer): void {
    const p = this.pending.get(id);
    if (!p) return;
    const cb = p.callbacks;
    switch (type) {
      case 'P':
        p.spawned = true;
        cb.onPid?.(Number(body.toString('latin1')));
        return;
      case 'F':
        this.settle(id);
        if (p.onRefused) p.onRefused({ kind: 'execFailed', message: body.toString('utf8') });
        else cb.onError(new Error(body.toString('utf8')), false);
        return;
      case 'N':
        this.settle(id);
        p.onRefused?.({ kind: 'notRunning' });
        return;
      case 'U':
        this.settle(id);
        p.onRefused?.({ kind: 'unsupported', message: body.toString('utf8') });
        return;
      case 'E':
        cb.onEof?.(Number(body.toString('latin1')));
        return;
      case 'X': {
        this.settle(id);
        const [code, signal] = body.toString('latin1').split(' ').map(Number);
        cb.onExit?.(code! >= 0 ? code! : null, signal! > 0 ? signal! : null);
        return;
      }
      default:
        // "1", "2", "3": output of that fd. Copied: the inbox buffer is reused.
        cb.onData?.(Number(type), Buffer.from(body));
    }
  }

  private settle(id: number): void {
    if (this.pending.delete(id) && this.pending.size === 0) this.reference(false);
  }

  /** While a request is pending, the helper's pipe keeps the agent's event loop alive. */
  private reference(on: boolean): void {
    const out = this.child?.stdout as Socket | null | undefined;
    if (on) out?.ref?.();
    else out?.unref?.();
  }
}

/** A count, then the items: how the spawner reads argv and env. */
function vector(items: string[]): string[] {
  return [String(items.length), ...items];
}

function envStrings(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/** "<length>\n" then the NUL-terminated fields. Node's spawn() refuses NUL inside an argument; so do we. */
function encode(fields: string[]): Buffer {
  for (const f of fields) {
    if (f.includes('\0')) throw new TypeError(`an argument or environment value contains a NUL byte: ${JSON.stringify(f)}`);
  }
  const body = Buffer.from(fields.join('\0') + '\0', 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}\n`, 'latin1'), body]);
}
