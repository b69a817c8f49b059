import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { link, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerConfig } from '../container-runtime.js';

/** What the agent writes at create: everything needed to start or reattach later. */
export interface StoredContainer {
  version: 1;
  id: string;
  createdAt: number;
  config: ContainerConfig;
  /** Exactly what the shim runs. */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  stopSignal: NodeJS.Signals;
}

/**
 * Written by the shim once the container process exists and before it may
 * exec: a container that runs is always named here.
 */
export interface StartedRecord {
  pid: number;
  /** /proc start time of the container process, to tell it from a reused PID. */
  startTicks: number;
  shimPid: number;
  shimStartTicks: number;
  /** Kernel boot id: pid + start ticks identify a process only within one boot. Absent in older records. */
  bootId?: string;
  /** Epoch ms (wall clock of the shim). */
  startedAt: number;
}

/**
 * Who won the right to start the container: the shim (before it forks), or
 * a recovering agent that declared an interrupted start abandoned. Created
 * exclusively, so exactly one of them ever proceeds.
 */
export type ClaimRecord =
  | { by: 'shim'; shimPid: number; shimStartTicks: number; bootId?: string }
  | { by: 'agent'; at: number; reason: string };

/** Written by the shim when the container exited or could not start, or by the agent when no shim could. */
export interface ExitRecord {
  exitCode: number;
  /** Signal number that ended the process; 0 or absent for a normal exit. */
  signal?: number;
  finishedAt: number;
  /** Epoch ms when the shim SIGKILLed the group because a stop's timeout ran out (or was 0). */
  killedAt?: number;
  startError?: string;
  /**
   * Recorded by the agent: the container ended while no shim watched it, so
   * the real exit code is unknown (exitCode is 137, as the kubelet reports
   * ContainerStatusUnknown) and finishedAt is when the agent saw it gone.
   */
  lost?: string;
}

/** A state file exists but cannot be read as JSON (truncated, edited by hand …). */
export class StateFileError extends Error {
  constructor(
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`unreadable state file ${path}: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
    this.name = 'StateFileError';
  }
}

export const EXIT_FILE = 'exit.json';
export const STARTED_FILE = 'started.json';
export const CLAIM_FILE = 'claim.json';
export const INTENT_FILE = 'start-intent.json';
export const CONFIG_FILE = 'config.json';
const CREATING = '.creating-';
const REMOVING = '.removing-';

/** Container ids are lower-case hex; anything else never names a directory of ours. */
export function isContainerId(id: string): boolean {
  return /^[0-9a-f]{1,64}$/.test(id);
}

/**
 * The process runtime's on-disk layout, one directory per container:
 *
 *   <root>/<id>/config.json          agent, at create
 *   <root>/<id>/start-intent.json    agent, before it spawns the shim
 *   <root>/<id>/claim.json           shim before it forks, or a recovering agent (exclusive)
 *   <root>/<id>/started.json         shim, once the process exists, before it execs
 *   <root>/<id>/ctl                  shim's stop control FIFO (agent writes "stop <signo> <timeout-ms>")
 *   <root>/<id>/exit.json            shim, when it exited (or failed to start);
 *                                    agent, when no shim could record it
 *   <root>/<id>/log/container.log    shim, CRI-format log of this instance
 *
 * The log sits in a subdirectory so that watching <root>/<id> for exit.json
 * does not wake the agent on every log write.
 *
 * With a separate `logRoot`, <root>/<id>/log is a symlink to <logRoot>/<id>:
 * the root can then live on tmpfs (state that means nothing after a reboot,
 * as podman and containerd keep it under /run) while the logs stay on disk.
 * Readers and the shim go through the symlink and never know.
 */
export class StateDir {
  // The state files are a few hundred bytes in the page cache, read and
  // written with no fsync: a synchronous call costs ~10 µs, while
  // fs/promises costs 3-4 thread-pool round trips and ~100 µs of this
  // thread's CPU each — at 500 containers that was a tenth of the engine's
  // CPU. The methods stay async so a slower store could be swapped in.
  constructor(
    readonly root: string,
    /** Where logs live when not inside the container directories. */
    readonly logRoot?: string,
  ) {}

  newId(): string {
    return randomBytes(16).toString('hex');
  }

  dir(id: string): string {
    // A path from an API caller must never reach outside the state directory.
    if (!isContainerId(id)) throw new Error(`invalid container id ${JSON.stringify(id)}`);
    return join(this.root, id);
  }

  logPath(id: string): string {
    return join(this.dir(id), 'log', 'container.log');
  }

  /**
   * Builds the directory under a temporary name and renames it into place,
   * so an agent killed mid-create leaves no half-made container behind.
   */
  async create(record: StoredContainer): Promise<void> {
    const temp = join(this.root, `${CREATING}${record.id}`);
    let logDir = join(temp, 'log');
    if (this.logRoot) {
      // Made first: a log directory without its container is what sweepLeftovers removes.
      logDir = join(this.logRoot, record.id);
      mkdirSync(logDir, { recursive: true });
      mkdirSync(temp, { recursive: true });
      symlinkSync(logDir, join(temp, 'log'));
    } else {
      mkdirSync(logDir, { recursive: true });
    }
    // An empty log from the start lets logs --follow watch it before the shim runs.
    writeFileSync(join(logDir, 'container.log'), '');
    writeFileSync(join(temp, CONFIG_FILE), JSON.stringify(record) + '\n');
    renameSync(temp, this.dir(record.id));
  }

  async ids(): Promise<string[]> {
    try {
      const entries = await readdir(this.root, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && isContainerId(e.name)).map((e) => e.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  readConfig(id: string): Promise<StoredContainer | undefined> {
    return readJson(join(this.dir(id), CONFIG_FILE), (v: Partial<StoredContainer>) => {
      const c = v.config;
      if (v.id !== id) return `its id ${JSON.stringify(v.id)} is not the directory's`;
      if (!isNumber(v.createdAt) || typeof v.cwd !== 'string' || typeof v.stopSignal !== 'string') return 'createdAt, cwd or stopSignal is missing';
      if (!Array.isArray(v.argv) || typeof v.env !== 'object' || v.env === null) return 'argv or env is missing';
      if (typeof c !== 'object' || c === null || typeof c.podUid !== 'string' || typeof c.name !== 'string' || !isNumber(c.attempt)) {
        return 'config.podUid, config.name or config.attempt is missing';
      }
      return undefined;
    });
  }

  readStarted(id: string): Promise<StartedRecord | undefined> {
    return readJson(join(this.dir(id), STARTED_FILE), startedProblem);
  }

  readExit(id: string): Promise<ExitRecord | undefined> {
    return readJson(join(this.dir(id), EXIT_FILE), (v: Partial<ExitRecord>) =>
      isNumber(v.exitCode) && isNumber(v.finishedAt) ? undefined : 'exitCode or finishedAt is missing',
    );
  }

  readClaim(id: string): Promise<ClaimRecord | undefined> {
    return readJson<ClaimRecord>(join(this.dir(id), CLAIM_FILE), (v) => {
      const c = v as { by?: unknown; shimPid?: unknown; shimStartTicks?: unknown };
      return c.by === 'agent' || (c.by === 'shim' && isPid(c.shimPid) && isNumber(c.shimStartTicks)) ? undefined : 'not a claim by a shim or an agent';
    });
  }

  /** Only its existence matters: a start was attempted, so the container must never be started again. */
  async hasIntent(id: string): Promise<boolean> {
    return (await readdir(this.dir(id))).includes(INTENT_FILE);
  }

  writeIntent(id: string, at: number): Promise<void> {
    return writeAtomic(join(this.dir(id), INTENT_FILE), JSON.stringify({ startRequestedAt: at }) + '\n');
  }

  writeExit(id: string, record: ExitRecord): Promise<void> {
    return writeAtomic(join(this.dir(id), EXIT_FILE), JSON.stringify(record) + '\n');
  }

  /**
   * Takes the claim for the agent (after which no shim will start the
   * container). False when someone holds it already.
   */
  async claimForAgent(id: string, at: number, reason: string): Promise<boolean> {
    const record: ClaimRecord = { by: 'agent', at, reason };
    const path = join(this.dir(id), CLAIM_FILE);
    const temp = `${path}.${process.pid}.agent.tmp`;
    await writeFile(temp, JSON.stringify(record) + '\n');
    try {
      // link() fails if the name exists: the claim appears whole, and only once.
      await link(temp, path);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Renames the directory out of sight first, so an agent killed mid-removal leaves no partial state. */
  async remove(id: string): Promise<void> {
    const doomed = join(this.root, `${REMOVING}${id}.${randomBytes(4).toString('hex')}`);
    try {
      renameSync(this.dir(id), doomed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    // The container is out of sight: its log goes with it (rm does not follow the symlink).
    if (this.logRoot) await removeTree(join(this.logRoot, id));
    await removeTree(doomed);
  }

  /**
   * Deletes what interrupted creates and removals left; no process ever ran
   * from those. A create younger than `createGraceMs` may belong to another
   * runtime instance at work on the same directory, and is left alone.
   */
  async sweepLeftovers(nowMs: number, createGraceMs = 10_000): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(this.root, name);
      if (name.startsWith(CREATING)) {
        const age = await stat(path).then((st) => nowMs - st.mtimeMs, () => 0);
        if (age < createGraceMs) continue;
      } else if (!name.startsWith(REMOVING)) {
        continue;
      }
      await removeTree(path).catch(() => undefined);
    }
    if (this.logRoot) await this.sweepLogs(new Set(names), nowMs, createGraceMs);
  }

  /**
   * Logs whose container directory is gone: a removal or create cut short,
   * or a reboot that emptied a tmpfs root. A log younger than the create
   * grace may belong to a create in progress.
   */
  private async sweepLogs(names: Set<string>, nowMs: number, createGraceMs: number): Promise<void> {
    let logs: string[];
    try {
      logs = await readdir(this.logRoot!);
    } catch {
      return;
    }
    for (const id of logs) {
      if (!isContainerId(id) || names.has(id)) continue;
      const path = join(this.logRoot!, id);
      const age = await stat(path).then((st) => nowMs - st.mtimeMs, () => 0);
      if (age < createGraceMs) continue;
      await removeTree(path).catch(() => undefined);
    }
  }
}

/** A shim killed a moment ago may still have had a rename in flight. */
function removeTree(path: string): Promise<void> {
  return rm(path, { recursive: true, force: true, maxRetries: 3 });
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isPid = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/** What is wrong with a started record, or undefined when it is whole. */
export function startedProblem(v: Partial<StartedRecord>): string | undefined {
  return isPid(v.pid) && isNumber(v.startTicks) && isPid(v.shimPid) && isNumber(v.shimStartTicks) && isNumber(v.startedAt)
    ? undefined
    : 'pid, startTicks, shimPid, shimStartTicks or startedAt is missing';
}

/**
 * Reads one state file: undefined when it does not exist, a StateFileError
 * when it cannot be read or `invalid` finds fault with its shape.
 */
async function readJson<T>(path: string, invalid: (value: Partial<T>) => string | undefined): Promise<T | undefined> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(path, { cause: err });
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    const fault = invalid(value as Partial<T>);
    if (fault) throw new Error(fault);
    return value as T;
  } catch (cause) {
    throw new StateFileError(path, { cause });
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}
