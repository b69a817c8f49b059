import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cleanup, eventually, hasKubectl, hookletEntry, kubectl, manifest, sleeperPod, startDaemon, type Daemon } from './daemon-harness.js';

function hooklet(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [hookletEntry(), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!hasKubectl)('hooklet serve restart and hooklet timeline', () => {
  let d: Daemon | undefined;
  afterAll(async () => {
    await cleanup(d);
  });

  it('lists the same pods and events after a stop and start over the same data directory', async () => {
    d = await startDaemon();
    expect((await kubectl(d, ['apply', '-f', manifest(d, 'keep.yaml', sleeperPod('keep'))])).code).toBe(0);
    await kubectl(d, ['wait', '--for=condition=Ready', 'pod/keep', '--timeout=20s']);
    const before = JSON.parse((await kubectl(d, ['get', 'pod', 'keep', '-o', 'json'])).stdout);
    const eventsBefore = (await kubectl(d, ['get', 'events', '-o', 'name'])).stdout.trim().split('\n').sort();
    expect(eventsBefore.length).toBeGreaterThan(0);

    expect(await d.stop()).toBe(0);
    expect(d.output()).toContain('hooklet: stopped');
    const first = d;
    d = await startDaemon(first.dir);
    expect(d.kubeconfig).toBe(first.kubeconfig);

    const after = JSON.parse((await kubectl(d, ['get', 'pod', 'keep', '-o', 'json'])).stdout);
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.creationTimestamp).toBe(before.metadata.creationTimestamp);
    const eventsAfter = (await kubectl(d, ['get', 'events', '-o', 'name'])).stdout.trim().split('\n').sort();
    expect(eventsAfter).toEqual(expect.arrayContaining(eventsBefore));
    expect((await kubectl(d, ['get', 'pods', '--no-headers'])).stdout).toMatch(/^keep\s+/m);
  });

  it('hooklet timeline POD prints the chart from the daemon, and names a missing pod', async () => {
    const daemon = d!;
    await eventually(async () => {
      const r = await hooklet(['timeline', 'keep', '--data-dir', daemon.dataDir], { HOME: daemon.home });
      return r.code === 0 && r.stdout.includes('Verdicts:') ? r : undefined;
    });
    const viaEnv = await hooklet(['timeline', 'keep', '-o', 'json'], { HOME: daemon.home, KUBECONFIG: daemon.kubeconfig });
    expect(viaEnv.code).toBe(0);
    const entries = JSON.parse(viaEnv.stdout);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries[0]).toMatchObject({ kind: 'TimelineEntry', namespace: 'default', pod: 'keep' });
    const missing = await hooklet(['timeline', 'nope', '--data-dir', daemon.dataDir], { HOME: daemon.home });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
  });
});
