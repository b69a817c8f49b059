import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

/** Written by the shim once the container process exists. */
export interface StartedRecord {
  pid: number;
  /** /proc start time of the container process, to tell it from a reused PID. */
  startTicks: number;
  shimPid: number;
  shimStartTicks: number;
  /** Epoch ms (wall clock of the shim). */
  startedAt: number;
}

/** Written by the shim when the container exited, or when it could not start. */
export interface ExitRecord {
  exitCode: number;
  /** Signal number that ended the process; 0 or absent for a normal exit. */
  signal?: number;
  finishedAt: number;
  startError?: string;
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
const CONFIG_FILE = 'config.json';

/**
 * The process runtime's on-disk layout, one directory per container:
 *
 *   <root>/<id>/config.json          agent, at create
 *   <root>/<id>/started.json         shim, once the process runs
 *   <root>/<id>/exit.json            shim, when it exited (or failed to start)
 *   <root>/<id>/log/container.log    shim, CRI-format log of this instance
 *
 * The log sits in a subdirectory so that watching <root>/<id> for exit.json
 * does not wake the agent on every log write.
 */
export class StateDir {
  constructor(readonly root: string) {}

  newId(): string {
    return randomBytes(16).toString('hex');
  }

  dir(id: string): string {
    return join(this.root, id);
  }

  logPath(id: string): string {
    return join(this.root, id, 'log', 'container.log');
  }

  async create(record: StoredContainer): Promise<void> {
    await mkdir(join(this.dir(record.id), 'log'), { recursive: true });
    // An empty log from the start lets logs --follow watch it before the shim runs.
    await writeFile(this.logPath(record.id), '', { flag: 'a' });
    await writeAtomic(join(this.dir(record.id), CONFIG_FILE), JSON.stringify(record, null, 2) + '\n');
  }

  async ids(): Promise<string[]> {
    try {
      const entries = await readdir(this.root, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && /^[0-9a-f]+$/.test(e.name)).map((e) => e.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  readConfig(id: string): Promise<StoredContainer | undefined> {
    return readJson<StoredContainer>(join(this.dir(id), CONFIG_FILE));
  }

  readStarted(id: string): Promise<StartedRecord | undefined> {
    return readJson<StartedRecord>(join(this.dir(id), STARTED_FILE));
  }

  readExit(id: string): Promise<ExitRecord | undefined> {
    return readJson<ExitRecord>(join(this.dir(id), EXIT_FILE));
  }

  async remove(id: string): Promise<void> {
    await rm(this.dir(id), { recursive: true, force: true });
  }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new StateFileError(path, { cause });
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}
