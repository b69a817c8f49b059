import { readFile } from 'node:fs/promises';

export interface ProcStart {
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  startTicks: number;
  /** Process state letter (R, S, Z …). */
  state: string;
}

/**
 * Reads a process's start time and state from /proc. A PID plus its start
 * time identifies one process for good: a reused PID has a later start time.
 */
export async function readProcStart(pid: number): Promise<ProcStart | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const ticks = Number(rest[19]);
  if (state === undefined || !Number.isFinite(ticks)) return undefined;
  return { startTicks: ticks, state };
}

/** True while `pid` is the process that started at `startTicks` and has not exited. */
export async function isAlive(pid: number, startTicks: number): Promise<boolean> {
  const now = await readProcStart(pid);
  return now !== undefined && now.startTicks === startTicks && now.state !== 'Z' && now.state !== 'X';
}
