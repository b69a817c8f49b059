// The FIFO every bench-app writes "up"/"term" lines to. Opened read-write and
// non-blocking, so opening never waits for a writer and the reader never
// sees EOF between writers.
import { spawnSync } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import net from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';

export class ReportFifo {
  /** @param {string} path */
  constructor(path) {
    const r = spawnSync('mkfifo', ['-m', '600', path]);
    if (r.status !== 0) throw new Error(`mkfifo ${path} failed: ${r.stderr}`);
    this.path = path;
    /** pid -> CLOCK_MONOTONIC ns of "up" */
    this.up = new Map();
    /** pid -> ns of the first "term" */
    this.term = new Map();
    this.waiters = [];
    const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
    this.socket = new net.Socket({ fd, readable: true, writable: false });
    this.socket.setEncoding('utf8');
    let partial = '';
    this.socket.on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.line(line);
    });
  }

  line(text) {
    const [what, pidText, nsText] = text.split(' ');
    const pid = Number(pidText);
    const ns = BigInt(nsText);
    if (what === 'up' && !this.up.has(pid)) this.up.set(pid, ns);
    if (what === 'term' && !this.term.has(pid)) this.term.set(pid, ns);
    this.waiters = this.waiters.filter((w) => !w());
  }

  /** Resolves once `count` apps reported "up" (after `sincePids` are excluded). */
  waitUp(count, { timeoutMs = 300_000, exclude = new Set() } = {}) {
    return this.waitUntil(() => this.upPids(exclude).length >= count, `${count} apps up`, timeoutMs);
  }

  upPids(exclude = new Set()) {
    return [...this.up.keys()].filter((p) => !exclude.has(p));
  }

  waitUntil(check, what, timeoutMs) {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what} (${this.up.size} up)`)), timeoutMs);
      this.waiters.push(() => {
        if (!check()) return false;
        clearTimeout(timer);
        resolve();
        return true;
      });
    });
  }

  /** Records every app that reported itself up in the PID ledger (for the sweep). */
  notePids(ledger) {
    for (const pid of this.up.keys()) ledger.note(pid, 'app');
  }

  close() {
    this.socket.destroy();
  }
}
