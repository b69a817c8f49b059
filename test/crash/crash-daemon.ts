/**
 * One `hooklet serve` process over a data directory that outlives it. The
 * crash test spawns it itself so it can SIGKILL exactly that PID, then starts
 * a new one over the same directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { RealClock } from '../../src/clock/real-clock.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const clock = new RealClock();

export function assertBuilt(): void {
  if (!existsSync(join(root, 'dist/cli/main.js')) || !existsSync(join(root, 'build/hooklet-shim'))) {
    throw new Error('dist/ or build/hooklet-shim is missing: run `npm run build` before the crash test');
  }
}

/** Where and how to reach one daemon instance (from the kubeconfig it wrote). */
export interface Endpoint {
  server: string;
  ca: string;
  token: string;
}

export class CrashDaemon {
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private ended = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: Endpoint,
    readonly startedAtMs: number,
    readonly readyAtMs: number,
    private readonly output: () => string,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    void this.exited.then(() => (this.ended = true));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return !this.ended;
  }

  /** The last few KiB the daemon printed (for failure messages). */
  tail(): string {
    return this.output().slice(-4000);
  }

  /**
   * Starts `hooklet serve --port 0` and waits until it serves. Its output is
   * appended to `logFile` so a failing run can be read afterwards.
   */
  static async start(opts: {
    dataDir: string;
    home: string;
    logFile: string;
    timeoutMs?: number;
    /** SIGKILL the daemon this long after spawning if it is not serving yet (a kill during its start; the engine recovers after the API serves, so later kills in the scenario also land during recovery). */
    earlyKill?: { afterMs: number; onKill: (pid: number, atMs: number) => void };
  }): Promise<CrashDaemon> {
    const startedAtMs = clock.now();
    // The bin itself, as users run it (its shebang carries node flags); `env` execs node, so the PID is the daemon's.
    const child = spawn(join(root, 'bin/hooklet.js'), ['serve', '--data-dir', opts.dataDir, '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: opts.home },
    });
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    log.write(`--- daemon pid ${child.pid} started at ${new Date(startedAtMs).toISOString()}\n`);
    let out = '';
    const take = (c: Buffer): void => {
      out += c.toString();
      if (out.length > 64_000) out = out.slice(-32_000);
      log.write(c);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.once('exit', (code, signal) => {
      log.end(`--- daemon pid ${child.pid} exited code=${code} signal=${signal} at ${new Date(clock.now()).toISOString()}\n`);
    });
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const server = await new Promise<string>((resolve, reject) => {
      const cancelTimeout = clock.setTimer(timeoutMs, () => {
        child.kill('SIGKILL');
        reject(new Error(`hooklet serve did not report serving within ${timeoutMs} ms; output:\n${out.slice(-4000)}`));
      });
      const early = opts.earlyKill;
      const cancelEarly = early
        ? clock.setTimer(early.afterMs, () => {
            const at = clock.now();
            child.kill('SIGKILL');
            early.onKill(child.pid!, at);
          })
        : () => {};
      const cancel = (): void => {
        cancelTimeout();
        cancelEarly();
      };
      const onData = (): void => {
        const m = /hooklet serving on (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          cancel();
          resolve(m[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code, signal) => {
        cancel();
        reject(new Error(`hooklet serve exited (code ${code}, signal ${signal}) before serving; output:\n${out.slice(-4000)}`));
      });
    });
    const endpoint = readEndpoint(join(opts.dataDir, 'kubeconfig'));
    if (endpoint.server !== server) throw new Error(`kubeconfig names ${endpoint.server} but the daemon serves ${server}`);
    return new CrashDaemon(child, endpoint, startedAtMs, clock.now(), () => out);
  }

  /** SIGKILL by PID; resolves once the process is reaped. Returns the kill time. */
  async kill(): Promise<number> {
    const at = clock.now();
    if (this.alive) process.kill(this.pid, 'SIGKILL');
    await this.exited;
    return at;
  }

  /** SIGTERM (the documented clean stop) and wait; SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }> {
    if (!this.alive) return { ...(await this.exited), timedOut: false };
    process.kill(this.pid, 'SIGTERM');
    let cancel = (): void => {};
    const timeout = new Promise<'timeout'>((resolve) => (cancel = clock.setTimer(timeoutMs, () => resolve('timeout'))));
    const first = await Promise.race([this.exited, timeout]);
    cancel();
    if (first === 'timeout') {
      process.kill(this.pid, 'SIGKILL');
      return { ...(await this.exited), timedOut: true };
    }
    return { ...first, timedOut: false };
  }
}

function readEndpoint(kubeconfigPath: string): Endpoint {
  const cfg = parse(readFileSync(kubeconfigPath, 'utf8')) as {
    clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
    users: Array<{ user: { token: string } }>;
  };
  const cluster = cfg.clusters[0]!.cluster;
  return {
    server: cluster.server,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
    token: cfg.users[0]!.user.token,
  };
}
