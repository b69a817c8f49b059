import { readdir, readFile } from 'node:fs/promises';

export interface ProcStart {
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  startTicks: number;
  /** Process state letter (R, S, Z …). */
  state: string;
  ppid: number;
  pgrp: number;
}

export interface ProcEntry extends ProcStart {
  pid: number;
}

/** A process as a state file names it; `bootId` absent means "this boot" (records older than the field). */
export interface ProcIdentity {
  pid: number;
  startTicks: number;
  bootId?: string;
}

/**
 * Reads a process's start time, state, parent and group from /proc. A PID
 * plus its start time identifies one process for good within a boot: a
 * reused PID has a later start time.
 */
export async function readProcStart(pid: number): Promise<ProcStart | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseStat(text);
}

function parseStat(text: string): ProcStart | undefined {
  // The command name (field 2) may contain spaces and parentheses.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const ppid = Number(rest[1]);
  const pgrp = Number(rest[2]);
  const ticks = Number(rest[19]);
  if (state === undefined || !Number.isFinite(ticks) || !Number.isFinite(ppid) || !Number.isFinite(pgrp)) return undefined;
  return { startTicks: ticks, state, ppid, pgrp };
}

let cachedBootId: Promise<string> | undefined;

/** This boot's id ('' where the kernel does not say). */
export function bootId(): Promise<string> {
  cachedBootId ??= readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
    (text) => text.trim(),
    () => '',
  );
  return cachedBootId;
}

/** False when the record comes from another boot: nothing it names can still run. */
export async function sameBoot(recordBootId: string | undefined): Promise<boolean> {
  if (!recordBootId) return true;
  const current = await bootId();
  return current === '' || current === recordBootId;
}

const running = (p: ProcStart | undefined): boolean => p !== undefined && p.state !== 'Z' && p.state !== 'X';

/** True while `pid` is the process that started at `startTicks` (in this boot) and has not exited. */
export async function isAlive(pid: number, startTicks: number, recordBootId?: string): Promise<boolean> {
  if (!(await sameBoot(recordBootId))) return false;
  const now = await readProcStart(pid);
  return running(now) && now!.startTicks === startTicks;
}

/** Same as isAlive, for a process named by a state file. */
export function isRunning(p: ProcIdentity): Promise<boolean> {
  return isAlive(p.pid, p.startTicks, p.bootId);
}

/** Every process on the host that has not exited, read from /proc. */
export async function listProcesses(): Promise<ProcEntry[]> {
  const names = await readdir('/proc');
  const found = await Promise.all(
    names
      .filter((n) => /^\d+$/.test(n))
      .map(async (n) => {
        const p = await readProcStart(Number(n));
        return running(p) ? { pid: Number(n), ...p! } : undefined;
      }),
  );
  return found.filter((p): p is ProcEntry => p !== undefined);
}
