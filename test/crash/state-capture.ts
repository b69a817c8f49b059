/**
 * Keeps the process runtime's per-container state after the daemon removes
 * it. The engine deletes `containers/<id>/` when a pod is gone, so the
 * harness hard-links each file into its own directory as soon as it
 * appears: the log keeps growing through the link (same inode, the shim
 * appends to it), and the state files are written once by rename, so a link
 * is a faithful copy. The daemon keeps its state files on tmpfs and its logs
 * on disk: a state file on another file system than the capture directory
 * is copied instead (written whole by rename, so a copy is as faithful); a
 * log must be linked. Discovery is inotify (fs.watch) plus a 100 ms scan.
 */
import { copyFileSync, constants, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../src/clock/clock.js';

const FILES = {
  log: 'log/container.log',
  config: 'config.json',
  started: 'started.json',
  exit: 'exit.json',
} as const;
type Kind = keyof typeof FILES;

export interface CapturedConfig {
  id: string;
  createdAt: number;
  config: { podUid: string; podName: string; name: string; attempt: number };
}
export interface CapturedStarted {
  pid: number;
  startTicks: number;
  shimPid: number;
  shimStartTicks: number;
  startedAt: number;
}
export interface CapturedExit {
  exitCode: number;
  signal?: number;
  finishedAt: number;
  startError?: string;
}

/** Everything the harness kept of one container instance. */
export interface CapturedContainer {
  id: string;
  firstSeenMs: number;
  /** When the harness last saw the directory (or undefined if still there). */
  goneMs?: number;
  config?: CapturedConfig;
  started?: CapturedStarted;
  exit?: CapturedExit;
  /** Path of the hard-linked log, if it was linked. */
  logPath?: string;
  /** Files that could not be parsed (truncated or corrupt). */
  unreadable: string[];
}

interface Tracked {
  id: string;
  firstSeenMs: number;
  goneMs?: number;
  linked: Set<Kind>;
  watcher?: FSWatcher;
}

export class StateCapture {
  private readonly tracked = new Map<string, Tracked>();
  private rootWatcher: FSWatcher | undefined;
  private cancelTimer: () => void = () => {};
  private stopped = false;

  constructor(
    private readonly containersDir: string,
    private readonly captureDir: string,
    private readonly clock: Clock,
  ) {
    mkdirSync(captureDir, { recursive: true });
  }

  start(): void {
    this.tick();
  }

  /** One last scan, then stop watching. */
  stop(): void {
    this.scan();
    this.stopped = true;
    this.cancelTimer();
    this.rootWatcher?.close();
    for (const t of this.tracked.values()) t.watcher?.close();
  }

  private tick(): void {
    if (this.stopped) return;
    this.scan();
    this.cancelTimer = this.clock.setTimer(100, () => this.tick());
  }

  private scan(): void {
    if (!this.rootWatcher && existsSync(this.containersDir)) {
      try {
        this.rootWatcher = watch(this.containersDir, (_event, name) => {
          if (name && /^[0-9a-f]+$/.test(name)) this.visit(name);
        });
        this.rootWatcher.on('error', () => {
          this.rootWatcher?.close();
          this.rootWatcher = undefined;
        });
      } catch {
        this.rootWatcher = undefined;
      }
    }
    let names: string[] = [];
    try {
      names = readdirSync(this.containersDir).filter((n) => /^[0-9a-f]+$/.test(n));
    } catch {
      return;
    }
    const present = new Set(names);
    for (const n of names) this.visit(n);
    for (const t of this.tracked.values()) {
      if (t.goneMs === undefined && !present.has(t.id)) {
        t.goneMs = this.clock.now();
        t.watcher?.close();
        t.watcher = undefined;
      }
    }
  }

  private visit(id: string): void {
    let t = this.tracked.get(id);
    if (!t) {
      t = { id, firstSeenMs: this.clock.now(), linked: new Set() };
      this.tracked.set(id, t);
      const dir = join(this.containersDir, id);
      try {
        const tracked = t;
        t.watcher = watch(dir, () => this.link(tracked));
        t.watcher.on('error', () => {
          tracked.watcher?.close();
          tracked.watcher = undefined;
        });
      } catch {
        // Already removed: the scan marks it gone.
      }
    }
    this.link(t);
  }

  private link(t: Tracked): void {
    for (const kind of Object.keys(FILES) as Kind[]) {
      if (t.linked.has(kind)) continue;
      const from = join(this.containersDir, t.id, FILES[kind]);
      try {
        linkSync(from, this.capturePath(t.id, kind));
        t.linked.add(kind);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') t.linked.add(kind);
        else if (code === 'EXDEV' && kind !== 'log') this.copy(t, kind, from);
        else if (code === 'EXDEV') this.crossDeviceLogs++;
      }
    }
    if (t.linked.has('exit') && t.linked.has('log')) {
      t.watcher?.close();
      t.watcher = undefined;
    }
  }

  /** Logs that could not be linked (another file system): the run reports them, it cannot check them. */
  crossDeviceLogs = 0;

  private copy(t: Tracked, kind: Kind, from: string): void {
    try {
      copyFileSync(from, this.capturePath(t.id, kind), constants.COPYFILE_EXCL);
      t.linked.add(kind);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') t.linked.add(kind);
    }
  }

  private capturePath(id: string, kind: Kind): string {
    return join(this.captureDir, `${id}.${kind === 'log' ? 'log' : `${kind}.json`}`);
  }

  /** What was kept, read from the links (call after stop()). */
  containers(): CapturedContainer[] {
    const out: CapturedContainer[] = [];
    for (const t of this.tracked.values()) {
      const c: CapturedContainer = { id: t.id, firstSeenMs: t.firstSeenMs, unreadable: [] };
      if (t.goneMs !== undefined) c.goneMs = t.goneMs;
      const read = <T>(kind: Kind): T | undefined => {
        if (!t.linked.has(kind)) return undefined;
        const text = readFileSync(this.capturePath(t.id, kind), 'utf8');
        try {
          return JSON.parse(text) as T;
        } catch {
          c.unreadable.push(`${FILES[kind]}: ${JSON.stringify(text.slice(0, 200))}`);
          return undefined;
        }
      };
      const config = read<CapturedConfig>('config');
      const started = read<CapturedStarted>('started');
      const exit = read<CapturedExit>('exit');
      if (config) c.config = config;
      if (started) c.started = started;
      if (exit) c.exit = exit;
      if (t.linked.has('log')) c.logPath = this.capturePath(t.id, 'log');
      out.push(c);
    }
    return out;
  }
}
