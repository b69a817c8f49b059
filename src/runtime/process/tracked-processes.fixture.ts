import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { isAlive, readProcStart } from './proc-stat.js';
import { killQuietly, waitFor } from './process-harness.fixture.js';

export interface Tracked {
  pid: number;
  startTicks: number;
}

/**
 * Processes a test started or saw, each known by pid and start time, so
 * cleanup SIGKILLs exactly them and never a process that reused a pid.
 */
export class TrackedProcesses {
  private readonly tracked: Tracked[] = [];

  /** A live `sleep` in a process group of its own: a stand-in for a container's main process. */
  async target(): Promise<Tracked & { exit(): Promise<void> }> {
    const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    child.unref();
    const exited = once(child, 'exit');
    const t = await this.track(child.pid!);
    return {
      ...t,
      exit: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited;
        }
      },
    };
  }

  /** Records a running process's start time now; waits for it to show in /proc. */
  async track(pid: number): Promise<Tracked> {
    let startTicks = -1;
    await waitFor(async () => {
      const s = await readProcStart(pid);
      if (s) startTicks = s.startTicks;
      return s !== undefined;
    }, `pid ${pid} to appear`);
    const t = { pid, startTicks };
    this.tracked.push(t);
    return t;
  }

  /**
   * Records pid if it is still there as the leader of its own group (a hook
   * as the spawner starts it), without waiting: a hook may be gone already.
   */
  async note(pid: number): Promise<void> {
    const s = await readProcStart(pid);
    if (s && s.pgrp === pid && s.state !== 'Z') this.tracked.push({ pid, startTicks: s.startTicks });
  }

  async killAll(): Promise<void> {
    for (const t of this.tracked.splice(0)) {
      if (await isAlive(t.pid, t.startTicks)) killQuietly(t.pid);
    }
  }
}

/** True once the process is gone (a zombie counts as gone: it runs nothing). */
export async function gone(t: Tracked): Promise<boolean> {
  return !(await isAlive(t.pid, t.startTicks));
}
