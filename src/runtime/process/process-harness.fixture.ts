import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RealClock } from '../../clock/real-clock.js';
import type { ContainerConfig } from '../container-runtime.js';
import { ProcessRuntime } from './process-runtime.js';
import { isAlive, readProcStart } from './proc-stat.js';
import type { ClaimRecord, StartedRecord } from './state-dir.js';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..', '..');
export const shimPath = join(root, 'build', 'hooklet-shim');

export function buildShim(): void {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-shim.mjs')], { stdio: 'inherit' });
}

const clock = new RealClock();
export const sleep = (ms: number): Promise<void> => clock.sleep(ms);

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, maxMs = 5000): Promise<void> {
  const end = clock.now() + maxMs;
  while (!(await check())) {
    if (clock.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Temp dirs, runtimes and the processes behind them, ended by PID after each test. */
export class Harness {
  readonly stateDir = mkdtempSync(join(tmpdir(), 'hooklet-proc-'));
  readonly workDir = realpathSync(mkdtempSync(join(tmpdir(), 'hooklet-work-')));
  /** Set with `separateLogs`: the runtime keeps logs here, apart from its state (as the daemon does on tmpfs). */
  readonly logDir: string | undefined;
  readonly clock = clock;
  private readonly runtimes: ProcessRuntime[] = [];
  private readonly extraPids: number[] = [];

  constructor(opts: { separateLogs?: boolean } = {}) {
    this.logDir = opts.separateLogs ? mkdtempSync(join(tmpdir(), 'hooklet-logs-')) : undefined;
  }

  runtime(): ProcessRuntime {
    const rt = new ProcessRuntime({ stateDir: this.stateDir, ...(this.logDir ? { logDir: this.logDir } : {}), clock: this.clock, shimPath });
    this.runtimes.push(rt);
    return rt;
  }

  trackPid(pid: number): void {
    this.extraPids.push(pid);
  }

  dir(id: string): string {
    return join(this.stateDir, id);
  }

  started(id: string): StartedRecord {
    return JSON.parse(readFileSync(join(this.stateDir, id, 'started.json'), 'utf8')) as StartedRecord;
  }

  files(id: string): string[] {
    return readdirSync(this.dir(id)).sort();
  }

  /** A live process unrelated to any container (its own process group), ended at dispose. */
  async unrelated(): Promise<{ pid: number; startTicks: number }> {
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    child.unref();
    const pid = child.pid!;
    this.trackPid(pid);
    let start;
    await waitFor(async () => (start = await readProcStart(pid)) !== undefined, `pid ${pid} to appear`);
    return { pid, startTicks: start!.startTicks };
  }

  async dispose(): Promise<void> {
    for (const rt of this.runtimes) await rt.close();
    for (const pid of this.extraPids) killQuietly(pid);
    for (const id of readdirSync(this.stateDir)) {
      // Only signal the very processes we started, never a reused PID: the
      // container (and any member of its group still there), then its shim.
      const rec = readQuietly<StartedRecord>(join(this.stateDir, id, 'started.json'));
      if (rec?.pid && (await isAlive(rec.pid, rec.startTicks))) killQuietly(-rec.pid);
      if (rec?.pid) for (const member of groupMembers(rec.pid)) killQuietly(member);
      if (rec?.shimPid && (await isAlive(rec.shimPid, rec.shimStartTicks))) killQuietly(rec.shimPid);
      const claim = readQuietly<ClaimRecord>(join(this.stateDir, id, 'claim.json'));
      if (claim?.by === 'shim' && (await isAlive(claim.shimPid, claim.shimStartTicks))) killQuietly(claim.shimPid);
    }
    rmSync(this.stateDir, { recursive: true, force: true });
    rmSync(this.workDir, { recursive: true, force: true });
    if (this.logDir) rmSync(this.logDir, { recursive: true, force: true });
  }
}

function readQuietly<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Live members of a process group, read from /proc (field 5 of stat is the pgrp). */
export function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

export const base = (name: string, script: string, extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
  podUid: 'uid-web',
  podName: 'web',
  podNamespace: 'default',
  name,
  attempt: 0,
  image: 'nginx',
  command: ['sh', '-c'],
  args: [script],
  env: {},
  ...extra,
});

export async function logsOf(rt: ProcessRuntime, id: string, options = {}): Promise<string> {
  let text = '';
  await rt.logs(id, options, (c) => (text += c));
  return text;
}
