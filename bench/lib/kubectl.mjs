// kubectl against the bench's private daemon: always with the daemon's
// kubeconfig and a cache dir of the run's own (never ~/.kube).
import { spawn } from 'node:child_process';
import { msBetween, nowNs } from './clock.mjs';

/** Runs kubectl; resolves { ms, stdout } and rejects on a non-zero exit. */
export function kubectl(k, args, { input } = {}) {
  const t0 = nowNs();
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', k.kubeconfig, '--cache-dir', k.cacheDir, '--request-timeout', '120s', ...args], {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = msBetween(t0, nowNs());
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`kubectl ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

export function kubectlVersion() {
  return new Promise((resolve) => {
    const child = spawn('kubectl', ['version', '--client', '-o', 'json'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    child.on('error', () => resolve(undefined));
    child.on('close', () => {
      try {
        resolve(JSON.parse(out).clientVersion.gitVersion);
      } catch {
        resolve(undefined);
      }
    });
  });
}
