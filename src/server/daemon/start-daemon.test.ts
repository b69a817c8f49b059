import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type RunningDaemon } from './start-daemon.js';

interface Kubeconfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ user: { token: string } }>;
}

function readKubeconfig(path: string): Kubeconfig {
  return JSON.parse(readFileSync(path, 'utf8')) as Kubeconfig;
}

/** GET through the kubeconfig's own server, CA and token, as kubectl would. */
function get(kubeconfigPath: string, path: string, method = 'GET', body?: string): Promise<{ status: number; json: unknown }> {
  const kc = readKubeconfig(kubeconfigPath);
  const url = new URL(kc.clusters[0]!.cluster.server);
  const ca = Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method, ca, headers: { authorization: `Bearer ${kc.users[0]!.user.token}`, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('startDaemon', () => {
  const dirs: string[] = [];
  const daemons: RunningDaemon[] = [];
  afterEach(async () => {
    for (const d of daemons.splice(0)) await d.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function dataDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'hooklet-daemon-'));
    dirs.push(dir);
    return join(dir, 'data');
  }

  it('hands out a working kubeconfig (0600) once it listens, answers from the store, and starts the engine behind it', async () => {
    const dir = dataDir();
    const d = await startDaemon({ dataDir: dir, port: 0, address: '127.0.0.1' });
    daemons.push(d);
    expect(statSync(d.kubeconfigPath).mode & 0o777).toBe(0o600);
    expect(readKubeconfig(d.kubeconfigPath).clusters[0]!.cluster.server).toBe(d.server);
    // Asked at once: answered whether or not the engine has recovered yet.
    const list = await get(d.kubeconfigPath, '/api/v1/namespaces/default/pods');
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ kind: 'PodList', items: [] });
    await d.engineStarted;
    // Writes go through admission, loaded after the API: an invalid pod is refused as the API server does (no container starts).
    const invalid = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } };
    const refused = await get(d.kubeconfigPath, '/api/v1/namespaces/default/pods', 'POST', JSON.stringify(invalid));
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ kind: 'Status', reason: 'Invalid' });
  });

  it('refuses a second daemon over the same data directory before it touches the kubeconfig', async () => {
    const dir = dataDir();
    const first = await startDaemon({ dataDir: dir, port: 0, address: '127.0.0.1' });
    daemons.push(first);
    const before = readFileSync(first.kubeconfigPath, 'utf8');
    await expect(startDaemon({ dataDir: dir, port: 0, address: '127.0.0.1' })).rejects.toThrow(/in use by another process/);
    expect(readFileSync(first.kubeconfigPath, 'utf8')).toBe(before);
    expect((await get(first.kubeconfigPath, '/version')).status).toBe(200);
  });

  it('opens the store behind the kubeconfig: a damaged one fails requests with 503 and engineStarted, and stop() frees the directory', async () => {
    const dir = dataDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'hooklet.db'), 'not a database, but long enough to be read as one'.repeat(100));
    const d = await startDaemon({ dataDir: dir, port: 0, address: '127.0.0.1' });
    const unavailable = await get(d.kubeconfigPath, '/api/v1/namespaces/default/pods');
    expect(unavailable.status).toBe(503);
    await expect(d.engineStarted).rejects.toMatchObject({ name: 'StoreOpenError', reason: 'NotADatabase' });
    await d.stop();
    // Nothing of the damaged file was touched, and the directory can be served again once it is fixed.
    expect(readFileSync(join(dir, 'hooklet.db'), 'utf8')).toMatch(/^not a database/);
    rmSync(join(dir, 'hooklet.db'));
    const again = await startDaemon({ dataDir: dir, port: 0, address: '127.0.0.1' });
    daemons.push(again);
    await again.engineStarted;
    expect((await get(again.kubeconfigPath, '/api/v1/namespaces/default/pods')).status).toBe(200);
  });

  it('stops cleanly when told to while the engine is still starting', async () => {
    const d = await startDaemon({ dataDir: dataDir(), port: 0, address: '127.0.0.1' });
    await d.stop();
    await d.engineStarted;
    await expect(get(d.kubeconfigPath, '/version')).rejects.toThrow();
  });

  it('fails without writing a kubeconfig when the port is taken', async () => {
    const first = await startDaemon({ dataDir: dataDir(), port: 0, address: '127.0.0.1' });
    daemons.push(first);
    const dir = dataDir();
    await expect(startDaemon({ dataDir: dir, port: first.port, address: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
    expect(() => statSync(join(dir, 'kubeconfig'))).toThrow();
  });
});
