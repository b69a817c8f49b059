/**
 * `hooklet serve` runs from dist/serve-bundle/ (scripts/bundle-serve.mjs,
 * part of `npm run build`): fewer, larger files for the daemon's cold start
 * (bench figure 5). Every other command, and serve without a current bundle,
 * runs from dist/.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearTimeout as cancelTimer, setTimeout as startTimer } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { killContainers } from '../kubectl/daemon-harness.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin/hooklet.js');
const bundleEntry = join(root, 'dist/serve-bundle/serve.mjs');
const recordLoads = fileURLToPath(new URL('./record-loads.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hooklet-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { token: string } }[];
}

function getJson(kubeconfigPath: string, path: string): Promise<{ status: number; body: unknown }> {
  const kc = JSON.parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
  const url = new URL(path, kc.clusters[0]!.cluster.server);
  const ca = Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString();
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { authorization: `Bearer ${kc.users[0]!.user.token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the serve bundle', () => {
  it('is built by npm run build, no older than dist/', () => {
    expect(existsSync(bundleEntry), 'dist/serve-bundle/serve.mjs: run `npm run build`').toBe(true);
    expect(statSync(bundleEntry).mtimeMs).toBeGreaterThanOrEqual(statSync(join(root, 'dist/cli/main.js')).mtimeMs);
  });

  it('runs `hooklet serve` started through bin/hooklet.js: no daemon module comes from dist/, and it answers /version', async () => {
    const dataDir = join(dir, 'data');
    const loads = join(dir, 'loads.txt');
    const child = spawn(process.execPath, ['--import', recordLoads, bin, 'serve', '--data-dir', dataDir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOOKLET_TEST_LOADS: loads },
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    try {
      const kubeconfig = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const m = /^kubeconfig: (.+)$/m.exec(out);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`hooklet serve exited with ${code}: ${out}`)));
      });
      const version = await getJson(kubeconfig, '/version');
      expect(version.status).toBe(200);
      expect(version.body).toMatchObject({ gitVersion: expect.stringMatching(/^v\d+\.\d+\.\d+/) });
      const pods = await getJson(kubeconfig, '/api/v1/namespaces/default/pods');
      expect(pods.body).toMatchObject({ kind: 'PodList', items: [] });
    } finally {
      child.kill('SIGTERM');
      const timer = startTimer(() => child.kill('SIGKILL'), 10_000);
      expect(await exited, out).toBe(0);
      cancelTimer(timer);
      await killContainers(dataDir);
    }
    const loaded = readFileSync(loads, 'utf8').trim().split('\n').map((u) => fileURLToPath(u).slice(root.length));
    expect(loaded).toEqual(expect.arrayContaining(['dist/serve-bundle/serve.mjs', 'dist/serve-bundle/run-serve.mjs']));
    expect(loaded.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/serve-bundle/'))).toEqual([]);
  });

  it('is what bin/hooklet.js picks for serve only, and only while it is at least as new as dist/', () => {
    // A copy of bin/ over stand-in entry points that say which one ran.
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'bin'), { recursive: true });
    mkdirSync(join(tree, 'dist/cli'), { recursive: true });
    mkdirSync(join(tree, 'dist/serve-bundle'), { recursive: true });
    copyFileSync(bin, join(tree, 'bin/hooklet.js'));
    writeFileSync(join(tree, 'package.json'), '{ "type": "module" }\n');
    const entry = (name: string): string => `export async function main(argv) { process.stdout.write('${name} ' + argv.slice(2).join(' ')); return 3; }\n`;
    writeFileSync(join(tree, 'dist/cli/main.js'), entry('dist'));
    const treeBundle = join(tree, 'dist/serve-bundle/serve.mjs');
    writeFileSync(treeBundle, entry('bundle'));
    const run = (...args: string[]): { out: string; code: number | null } => {
      const r = spawnSync(process.execPath, [join(tree, 'bin/hooklet.js'), ...args], { encoding: 'utf8' });
      return { out: r.stdout + r.stderr, code: r.status };
    };

    expect(run('serve', '--port', '0')).toEqual({ out: 'bundle serve --port 0', code: 3 });
    expect(run('serve', '--help').out).toBe('bundle serve --help');
    expect(run('run', 'pod.yaml').out).toBe('dist run pod.yaml');
    expect(run('--version').out).toBe('dist --version');
    expect(run('timeline', 'serve').out).toBe('dist timeline serve');
    const past = new Date(statSync(join(tree, 'dist/cli/main.js')).mtimeMs - 60_000);
    utimesSync(treeBundle, past, past); // dist/ rebuilt by tsc alone: the bundle is stale
    expect(run('serve').out).toBe('dist serve');
    rmSync(treeBundle);
    expect(run('serve').out).toBe('dist serve');
  });
});
