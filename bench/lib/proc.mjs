// /proc readings (memory, CPU, identity) and cleanup by PID. A PID plus its
// start time (field 22 of /proc/<pid>/stat) names one process for good, so
// a sweep never kills a process that merely reused a PID.
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';

let clkTck;
/** Clock ticks per second of utime/stime (USER_HZ). */
export function clockTicksPerSecond() {
  clkTck ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clkTck;
}

function statFields(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces and parentheses: split after the last ')'.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** { state, startTicks, cpuTicks (utime+stime) } or undefined if the process is gone. */
export function procStat(pid) {
  const f = statFields(pid);
  if (!f) return undefined;
  // Fields counted from 3 (state): utime=14, stime=15, starttime=22.
  return { state: f[0], cpuTicks: Number(f[11]) + Number(f[12]), startTicks: Number(f[19]) };
}

export function isAlive(pid, startTicks) {
  const s = procStat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X' && (startTicks === undefined || s.startTicks === startTicks);
}

/** VmRSS in KiB (what `ps` and the issue call RSS). */
export function rssKiB(pid) {
  return statusField(pid, 'VmRSS');
}

/** VmHWM (peak RSS) in KiB. */
export function peakRssKiB(pid) {
  return statusField(pid, 'VmHWM');
}

function statusField(pid, name) {
  try {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Proportional set size in KiB: shared pages split among their users (fair for many small helpers). */
export function pssKiB(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The process's command name (/proc/<pid>/comm). */
export function procComm(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Direct children of `pid` (from /proc/<pid>/task/<pid>/children). */
export function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Samples a process's CPU time over a window: percent of one core.
 * @returns {Promise<{ cpuSeconds: number, wallSeconds: number, percentOfOneCore: number }>}
 */
export async function cpuOver(pid, windowMs, sleepMs) {
  const a = procStat(pid);
  const t0 = process.hrtime.bigint();
  await sleepMs(windowMs);
  const b = procStat(pid);
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (!a || !b) throw new Error(`process ${pid} went away while sampling its CPU`);
  const cpuSeconds = (b.cpuTicks - a.cpuTicks) / clockTicksPerSecond();
  return { cpuSeconds, wallSeconds, percentOfOneCore: (100 * cpuSeconds) / wallSeconds };
}

/**
 * Every process a driver starts (directly or through a tool) is appended to
 * the run's PID ledger, so that the bench can sweep leftovers by PID.
 */
export class PidLedger {
  constructor(path) {
    this.path = path;
  }

  note(pid, label) {
    const s = procStat(pid);
    if (!s) return;
    appendFileSync(this.path, `${pid} ${s.startTicks} ${label}\n`);
  }

  /** SIGKILLs every recorded process that is still the same process and alive. Returns what it killed. */
  sweep() {
    let text = '';
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return [];
    }
    const killed = [];
    for (const line of text.split('\n')) {
      const [pidText, ticksText, label] = line.split(' ');
      const pid = Number(pidText);
      if (!pid) continue;
      if (!isAlive(pid, Number(ticksText))) continue;
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(`${pid} (${label})`);
      } catch {
        // Gone in between.
      }
    }
    return killed;
  }
}
