import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { cleanup, eventually, startDaemon, type Daemon } from './daemon-harness.js';

describe('@kubernetes/client-node against hooklet serve', () => {
  let d: Daemon;
  let kc: k8s.KubeConfig;
  beforeAll(async () => {
    d = await startDaemon();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(d.kubeconfig);
  });
  afterAll(async () => {
    await cleanup(d);
  });

  it('creates a pod, watches it run and be deleted, and lists its events', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const seen: { type: string; phase?: string; deleting: boolean }[] = [];
    const watch = new k8s.Watch(kc);
    let watchErr: unknown;
    const abort = await watch.watch(
      '/api/v1/namespaces/default/pods',
      { fieldSelector: 'metadata.name=cn', allowWatchBookmarks: true },
      (type, obj: k8s.V1Pod) => seen.push({ type, phase: obj.status?.phase, deleting: !!obj.metadata?.deletionTimestamp }),
      (err) => (watchErr = err),
    );
    try {
      const created = await core.createNamespacedPod({
        namespace: 'default',
        body: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'cn', labels: { app: 'cn' } },
          spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
        },
      });
      expect(created.metadata?.uid).toBeTruthy();
      expect(created.spec?.nodeName).toBe(d.output().match(/\(node (\S+)\)/)![1]);
      await eventually(async () => seen.some((e) => e.type === 'MODIFIED' && e.phase === 'Running'));

      const read = await core.readNamespacedPod({ name: 'cn', namespace: 'default' });
      expect(read.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=cn' });
      expect(list.items.map((p) => p.metadata?.name)).toEqual(['cn']);

      const deleted = await core.deleteNamespacedPod({ name: 'cn', namespace: 'default', body: { gracePeriodSeconds: 5 } });
      expect(deleted.metadata?.deletionGracePeriodSeconds).toBe(5);
      await eventually(async () => seen.some((e) => e.type === 'DELETED'));
      expect(seen[0]!.type).toBe('ADDED');
      expect(seen.some((e) => e.type === 'MODIFIED' && e.deleting)).toBe(true);

      const events = await core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'involvedObject.name=cn' });
      expect(events.items.map((e) => e.reason)).toEqual(expect.arrayContaining(['Created', 'Started', 'Killing']));
      await expect(core.readNamespacedPod({ name: 'cn', namespace: 'default' })).rejects.toMatchObject({ code: 404 });
    } finally {
      abort.abort();
    }
    expect(watchErr === undefined || String(watchErr).includes('abort')).toBe(true);
  });
});
