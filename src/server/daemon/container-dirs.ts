import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isRunning } from '../../runtime/process/proc-stat.js';
import { StateDir } from '../../runtime/process/state-dir.js';
import { volatileDir } from '../../runtime/process/volatile-dir.js';

export interface ContainerDirs {
  /** <dataDir>/containers: a directory, or a symlink to one on tmpfs. */
  stateDir: string;
  /** Set when the container state is on tmpfs: the logs stay on disk here. */
  logDir?: string;
}

const OWNER_FILE = 'owner';
const PREFIX = 'serve-';
/** A directory touched this recently may be a daemon's that is still setting it up (symlink not made yet). */
const SWEEP_MIN_AGE_MS = 60_000;

/**
 * Where the daemon keeps its containers. A fresh data dir gets
 * <dataDir>/containers as a symlink to a private directory on tmpfs (pids,
 * claims, exit records, control FIFOs: state that means nothing after a
 * reboot, as podman and containerd keep it under /run) and its logs in
 * <dataDir>/logs on disk. A data dir that already has a real containers
 * directory keeps it, and so does a machine without a usable tmpfs.
 */
export function containerDirs(dataDir: string, env: NodeJS.ProcessEnv = process.env): ContainerDirs {
  const stateDir = join(dataDir, 'containers');
  const logDir = join(dataDir, 'logs');
  let kind: 'missing' | 'symlink' | 'dir';
  try {
    kind = lstatSync(stateDir).isSymbolicLink() ? 'symlink' : 'dir';
  } catch {
    kind = 'missing';
  }
  if (kind === 'dir') return { stateDir };
  if (kind === 'symlink') {
    // After a reboot the tmpfs is empty: the containers are gone, the place is made again.
    mkdirSync(resolve(dataDir, readlinkSync(stateDir)), { recursive: true, mode: 0o700 });
    return { stateDir, logDir };
  }
  const root = volatileDir(env);
  if (!root) return { stateDir };
  const owner = realpathSync(dataDir);
  const target = join(root, `${PREFIX}${createHash('sha256').update(owner).digest('hex').slice(0, 16)}`);
  mkdirSync(target, { recursive: true, mode: 0o700 });
  writeFileSync(join(target, OWNER_FILE), `${owner}\n`);
  try {
    symlinkSync(target, stateDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return { stateDir, logDir };
}

/**
 * Removes tmpfs state directories whose data dir is gone (deleted while no
 * daemon ran, as test runs do) once nothing recorded in them still runs.
 * A directory with a live shim or container is left alone: no agent will
 * manage it again, but killing processes is not a sweeper's call.
 */
export async function sweepAbandonedContainerDirs(nowMs: number, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const root = volatileDir(env);
  if (!root) return [];
  const removed: string[] = [];
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(root, name);
    const age = await stat(dir).then((st) => nowMs - st.mtimeMs, () => 0);
    if (age < SWEEP_MIN_AGE_MS || !abandoned(dir) || (await anythingRuns(dir))) continue;
    await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    removed.push(dir);
  }
  return removed;
}

/** True when no data dir points here any more. */
function abandoned(dir: string): boolean {
  let owner: string;
  try {
    owner = readFileSync(join(dir, OWNER_FILE), 'utf8').trim();
  } catch {
    return false; // not made by containerDirs (or mid-creation): not ours to judge
  }
  try {
    return realpathSync(join(owner, 'containers')) !== realpathSync(dir);
  } catch {
    return true;
  }
}

async function anythingRuns(dir: string): Promise<boolean> {
  const state = new StateDir(dir);
  for (const id of await state.ids()) {
    const started = await state.readStarted(id).catch(() => undefined);
    const claim = await state.readClaim(id).catch(() => undefined);
    const procs = [
      started && { pid: started.pid, startTicks: started.startTicks, bootId: started.bootId },
      started && { pid: started.shimPid, startTicks: started.shimStartTicks, bootId: started.bootId },
      claim?.by === 'shim' && { pid: claim.shimPid, startTicks: claim.shimStartTicks, bootId: claim.bootId },
    ];
    for (const p of procs) if (p && (await isRunning(p))) return true;
  }
  return false;
}
