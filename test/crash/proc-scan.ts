/**
 * Host process checks for the "nothing left behind" invariant, written
 * independently of the runtime's own /proc code so a bug there cannot hide
 * itself. A PID counts as the recorded process only if its start time
 * (field 22 of /proc/<pid>/stat) matches; zombies count as gone.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  state: string;
  startTicks: number;
}

export function procInfo(pid: number): ProcInfo | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: fields[0] ?? '?', startTicks: Number(fields[19]) };
}

/** True while the process that started at `startTicks` still runs (not a zombie, not a reused PID). */
export function stillRunning(pid: number, startTicks: number): boolean {
  const p = procInfo(pid);
  return p !== undefined && p.startTicks === startTicks && p.state !== 'Z' && p.state !== 'X';
}

export interface TaggedProcess {
  pid: number;
  state: string;
  cmdline: string;
  /** POD_NAME/CONTAINER from its environment, when present. */
  pod?: string;
  container?: string;
}

/** Every live process whose environment holds `CRASH_RUN=<token>` (containers, hooks, shims of this run). */
export function processesWithToken(token: string): TaggedProcess[] {
  const needle = `CRASH_RUN=${token}`;
  const out: TaggedProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let env: string[];
    try {
      env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!env.includes(needle)) continue;
    const info = procInfo(pid);
    if (!info || info.state === 'Z' || info.state === 'X') continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      // exited meanwhile
    }
    const get = (k: string): string | undefined => env.find((e) => e.startsWith(`${k}=`))?.slice(k.length + 1);
    const pod = get('POD_NAME');
    const container = get('CONTAINER');
    out.push({ pid, state: info.state, cmdline: cmdline.slice(0, 160), ...(pod ? { pod } : {}), ...(container ? { container } : {}) });
  }
  return out;
}

/** Cleanup after a failed run: SIGKILL each leftover of this run, by PID, re-checking its token first. */
export function killTokenProcesses(token: string): number {
  let n = 0;
  for (const p of processesWithToken(token)) {
    try {
      process.kill(p.pid, 'SIGKILL');
      n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}
