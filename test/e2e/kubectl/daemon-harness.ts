/**
 * Starts `hooklet serve` as a real process on a free port in a temporary data
 * directory, and runs the real kubectl against it with a private HOME (kubectl
 * caches discovery there). Cleanup is by PID: the daemon first, then every
 * container it left running (containers outlive the daemon by design).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearTimeout as cancelTimer, setTimeout as startTimer } from 'node:timers';
import { setTimeout as delay } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { RealClock } from '../../../src/clock/real-clock.js';
import { ProcessRuntime } from '../../../src/runtime/process/process-runtime.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * The hooklet CLI to run: bin/hooklet.js once `serve` is registered in
 * src/cli/main.ts, else a tiny program over the built serve/timeline commands.
 */
export function hookletEntry(): string {
  const main = join(root, 'dist/cli/main.js');
  if (existsSync(main) && readFileSync(main, 'utf8').includes('serveCommand')) return join(root, 'bin/hooklet.js');
  return fileURLToPath(new URL('./serve-entry.mjs', import.meta.url));
}

/** Whether the real kubectl is on PATH; kubectl tests skip with a message when it is not. */
export const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!hasKubectl) console.warn('kubectl is not installed: the kubectl end-to-end tests are skipped');

export function assertBuilt(): void {
  if (!existsSync(join(root, 'dist/cli/serve-command.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
  }
}

export interface Daemon {
  dir: string;
  dataDir: string;
  home: string;
  kubeconfig: string;
  port: number;
  pid: number;
  output: () => string;
  /** SIGTERM and wait for a clean exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function startDaemon(dir = mkdtempSync(join(tmpdir(), 'hooklet-e2e-'))): Promise<Daemon> {
  assertBuilt();
  const dataDir = join(dir, 'data');
  const home = join(dir, 'home');
  const child = spawn(process.execPath, [hookletEntry(), 'serve', '--data-dir', dataDir, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: home },
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (): void => {
      const m = /hooklet serving on https:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`hooklet serve exited with ${code}: ${out}`)));
  });
  return {
    dir,
    dataDir,
    home,
    kubeconfig: join(dataDir, 'kubeconfig'),
    port,
    pid: child.pid!,
    output: () => out,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([exited, new Promise<'timeout'>((r) => (timer = startTimer(() => r('timeout'), 10_000)))]);
  cancelTimer(timer);
  if (code === 'timeout') {
    child.kill('SIGKILL');
    await exited;
    throw new Error('hooklet serve did not stop within 10 s of SIGTERM');
  }
  return code;
}

/** Stops the daemon, kills every container left in its data directory, and removes the directory. */
export async function cleanup(d: Daemon | undefined, opts: { keepDir?: boolean } = {}): Promise<void> {
  if (!d) return;
  try {
    await d.stop();
  } finally {
    await killContainers(d.dataDir);
    // A shim may still be writing a just-killed container's exit record: retry ENOTEMPTY.
    if (!opts.keepDir) rmSync(d.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

export async function killContainers(dataDir: string): Promise<void> {
  const stateDir = join(dataDir, 'containers');
  if (!existsSync(stateDir)) return;
  const runtime = new ProcessRuntime({ stateDir, clock: new RealClock() });
  try {
    for (const c of await runtime.list()) {
      if (c.state === 'running' || c.state === 'unknown') {
        // Timeout 0 = SIGKILL the group now; resolves once the shim recorded the exit.
        await runtime.stop(c.id, 0).catch(() => {
          if (!c.pid) return;
          try {
            process.kill(-c.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        });
      }
    }
  } finally {
    await runtime.close();
  }
}

/** Runs the real kubectl against the daemon, with its own HOME and KUBECONFIG only. */
export function kubectl(d: Daemon, args: string[], opts: { input?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', args, {
      cwd: d.dir,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d.home, KUBECONFIG: d.kubeconfig, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = startTimer(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('close', (code) => {
      cancelTimer(timer);
      resolve({ code, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** Starts kubectl without waiting (for -w and -f); the caller stops it. */
export function kubectlStream(d: Daemon, args: string[]): { child: ChildProcess; output: () => string; exited: Promise<KubectlResult> } {
  const child = spawn('kubectl', args, {
    cwd: d.dir,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d.home, KUBECONFIG: d.kubeconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<KubectlResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, output: () => stdout, exited };
}

/** Writes a manifest into the daemon's temp dir and returns its file name (kubectl runs there). */
export function manifest(d: Daemon, file: string, yaml: string): string {
  writeFileSync(join(d.dir, file), yaml);
  return file;
}

/** A pod whose one container sleeps (and dies at once on SIGTERM). */
export function sleeperPod(name: string, opts: { labels?: Record<string, string>; image?: string; command?: string[] } = {}): string {
  const labels = Object.entries(opts.labels ?? { app: name })
    .map(([k, v]) => `    ${k}: ${v}`)
    .join('\n');
  const command = JSON.stringify(opts.command ?? ['sleep', '3600']);
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
${labels}
spec:
  containers:
  - name: app
    image: ${opts.image ?? 'busybox:1.36'}
    command: ${command}
`;
}

/** Polls until `check` passes (real processes take real time; small steps). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000, stepMs = 100): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await delay(stepMs);
  }
}
