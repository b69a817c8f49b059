import type { Clock } from '../../clock/clock.js';
import type { PidWatcher } from './pid-watcher.js';
import { listProcesses, readProcStart, sameBoot, type ProcEntry } from './proc-stat.js';
import { shimIdentity } from './recovery-plan.js';
import type { ClaimRecord, StartedRecord } from './state-dir.js';

/** What the readable state files say about a container's processes. */
export interface Evidence {
  started?: StartedRecord;
  claim?: ClaimRecord;
}

/** How long to wait for SIGKILLed processes to be gone before deleting their state anyway. */
const GONE_WAIT_MS = 2000;

/**
 * Kills (SIGKILL) every process the state files prove to be the
 * container's, and nothing else:
 *  - the container's process group, when its leader still has the recorded
 *    pid, start ticks and boot;
 *  - what is left of that group when the leader is gone, if its pid is not
 *    in use by another process (a group id stays reserved while the group
 *    has members) and the member started after the leader;
 *  - the children of the container's shim (proven by pid + start ticks from
 *    started.json or claim.json) and their groups: this finds the container
 *    even when started.json is unreadable;
 *  - the shim itself.
 * Resolves with the pids it signalled, once they have exited (or after a
 * short bound, for a process stuck in the kernel).
 */
export async function killProven(evidence: Evidence, watcher: PidWatcher, clock: Clock): Promise<number[]> {
  const procs = await listProcesses();
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const victims = new Map<number, ProcEntry>();
  const groups = new Set<number>();
  const addGroup = (pgid: number, notBefore: number): void => {
    const members = procs.filter((p) => p.pgrp === pgid && p.startTicks >= notBefore);
    if (members.length === 0) return;
    groups.add(pgid);
    for (const m of members) victims.set(m.pid, m);
  };

  const { started } = evidence;
  if (started && (await sameBoot(started.bootId))) {
    // Read directly, zombies included: a zombie still holds its pid.
    const leader = await readProcStart(started.pid);
    if (!leader || leader.startTicks === started.startTicks) addGroup(started.pid, leader ? 0 : started.startTicks);
  }

  const shim = shimIdentity(evidence.started, evidence.claim);
  const shimProc = shim && (await sameBoot(shim.bootId)) ? byPid.get(shim.pid) : undefined;
  if (shim && shimProc?.startTicks === shim.startTicks) {
    for (const child of procs.filter((p) => p.ppid === shim.pid)) {
      if (child.pgrp === child.pid) addGroup(child.pid, child.startTicks);
      else victims.set(child.pid, child);
    }
    victims.set(shim.pid, shimProc);
  }

  for (const pgid of groups) signal(-pgid);
  for (const pid of victims.keys()) signal(pid);

  const bound = new AbortController();
  const allGone = Promise.all([...victims.values()].map((p) => watcher.gone({ pid: p.pid, startTicks: p.startTicks })));
  await Promise.race([allGone, clock.sleep(GONE_WAIT_MS, bound.signal).catch(() => undefined)]);
  bound.abort();
  return [...victims.keys()].sort((a, b) => a - b);
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
