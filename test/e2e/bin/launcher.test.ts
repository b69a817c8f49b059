/**
 * bin/hooklet, the sh launcher npm links as `hooklet`: follows npm's symlink,
 * passes arguments through untouched, and spares `serve` and `run` Node's
 * parsing of $NODE_EXTRA_CA_CERTS at boot (85 ms of the daemon's cold start
 * on this machine, bench figure 5). Node announces a file it could not load
 * on stderr, which is how the tests see whether it was read.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repo } from '../run/run-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'hooklet-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
// npm's layout: node_modules/.bin/hooklet -> ../hooklet/bin/hooklet
const linked = join(dir, 'hooklet');
symlinkSync(join(repo, 'bin', 'hooklet'), linked);
const MISSING_CA = join(dir, 'no-such-ca.pem');
const NODE_READ_IT = /Ignoring extra certs from/;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the linked launcher; `until` ends it early (SIGTERM by PID) once stdout matches. */
function launch(args: string[], until?: RegExp): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(linked, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_EXTRA_CA_CERTS: MISSING_CA } });
    let stdout = '';
    let stderr = '';
    let told = false;
    const overrun = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!told && until?.test(stdout) && child.pid && child.exitCode === null) {
        told = true; // once: a second SIGTERM would cut the daemon's stop short
        process.kill(child.pid, 'SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(overrun);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bin/hooklet (the launcher npm links)', () => {
  it('finds hooklet through the symlink and passes arguments through untouched, spaces and all', async () => {
    const odd = join(dir, 'a pod  with "spaces".yaml');
    copyFileSync(join(repo, 'examples', 'lint', 'bad-hooks.yaml'), odd);
    const r = await launch(['lint', odd, '-o', 'json']);
    expect(r.stdout).toContain(JSON.stringify(odd).slice(1, -1));
    // `lint` keeps the variable: Node read (and here could not load) the file.
    expect(r.stderr).toMatch(NODE_READ_IT);
  });

  it('starts `run` without Node reading NODE_EXTRA_CA_CERTS', async () => {
    const pod = join(dir, 'true.yaml');
    writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  restartPolicy: Never\n  containers: [{name: c, image: busybox, command: [sh, -c, "true"]}]\n');
    const r = await launch(['run', pod]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(NODE_READ_IT);
  });

  it('starts `serve` without Node reading NODE_EXTRA_CA_CERTS', async () => {
    const r = await launch(['serve', '--data-dir', join(dir, 'data'), '--port', '0'], /^kubeconfig: /m);
    expect(r.stdout).toMatch(/^kubeconfig: /m);
    expect(r.stdout, r.stderr).toContain('hooklet: stopped');
    expect(r.stderr).not.toMatch(NODE_READ_IT);
  });
});
