import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderKubeconfig } from '../../server/kubeconfig/kubeconfig.js';
import { getJson, KubeRequestError, loadKubeconfig } from './kube-client.js';

describe('kube-client', () => {
  it('reads back the kubeconfig the daemon writes: server, CA, token, namespace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hooklet-kc-'));
    try {
      const path = join(dir, 'kubeconfig');
      writeFileSync(path, renderKubeconfig({ server: 'https://127.0.0.1:6443', caCert: '-----BEGIN CERTIFICATE-----\nx\n', token: 't0k' }));
      expect(loadKubeconfig(path)).toEqual({
        server: 'https://127.0.0.1:6443',
        ca: '-----BEGIN CERTIFICATE-----\nx\n',
        token: 't0k',
        insecure: false,
        namespace: 'default',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a connection failure on a closed port', async () => {
    // Port 1 on loopback is closed on test machines.
    await expect(getJson({ server: 'https://127.0.0.1:1', insecure: true, namespace: 'default' }, '/version')).rejects.toThrow(/^Unable to connect to the server: /);
    expect(new KubeRequestError(404, 'NotFound', 'x').reason).toBe('NotFound');
  });
});
