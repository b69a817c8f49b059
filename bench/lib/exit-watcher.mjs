// Drives bench-exit-watcher: hand it PIDs, then learn when each one died,
// as seen by the kernel (pidfd), independently of the tool under test.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export class ExitWatcher {
  /**
   * @param {string} binary path of bench-exit-watcher
   * @param {number[]} pids
   */
  static async watch(binary, pids) {
    const w = new ExitWatcher(binary);
    await w.start(pids);
    return w;
  }

  constructor(binary) {
    this.child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    /** pid -> CLOCK_MONOTONIC ns of its exit */
    this.exits = new Map();
    this.gone = [];
    this.lines = createInterface({ input: this.child.stdout });
    this.done = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`exit watcher ended with ${code ?? signal}`))));
    });
    this.done.catch(() => {});
  }

  start(pids) {
    const ready = new Promise((resolve) => {
      this.lines.on('line', (line) => {
        const [what, a, b] = line.split(' ');
        if (what === 'ready') resolve({ watched: Number(a), gone: Number(b) });
        else if (what === 'exit') this.exits.set(Number(a), BigInt(b));
        else if (what === 'gone') this.gone.push(Number(a));
      });
    });
    this.child.stdin.end(pids.map((p) => `${p}\n`).join('') + 'end\n');
    return ready;
  }

  /** Resolves when every watched PID has exited. */
  allGone() {
    return this.done;
  }

  /** Latest exit time (ns), or undefined if nothing exited. */
  lastExitNs() {
    let last;
    for (const t of this.exits.values()) if (last === undefined || t > last) last = t;
    return last;
  }

  /** Stops watching (only needed on error paths; on success it has exited). */
  kill() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
