import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, eventually, hasKubectl, kubectl, manifest, sleeperPod, startDaemon, type Daemon } from './daemon-harness.js';

describe.skipIf(!hasKubectl)('kubectl against hooklet serve: discovery, create/apply, get, describe, events', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startDaemon();
  });
  afterAll(async () => {
    await cleanup(d);
  });

  it('writes a kubeconfig and secrets readable by the owner only, and prints how to use it', () => {
    expect(d.output()).toContain(`kubeconfig: ${d.kubeconfig}`);
    expect(d.output()).toContain(`export KUBECONFIG=${d.kubeconfig}`);
    expect(statSync(d.dataDir).mode & 0o777).toBe(0o700);
    for (const f of ['kubeconfig', 'token', 'ca.key', 'server.key']) expect(statSync(join(d.dataDir, f)).mode & 0o777).toBe(0o600);
    const kubeconfig = JSON.parse(readFileSync(d.kubeconfig, 'utf8')) as { clusters: Array<{ cluster: Record<string, string> }> };
    expect(kubeconfig.clusters[0]!.cluster['certificate-authority-data']).toMatch(/^[A-Za-z0-9+/=]{100,}$/);
  });

  it('kubectl version reports the 1.32 server', async () => {
    const r = await kubectl(d, ['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Server Version: v1.32.0');
  });

  it('kubectl api-resources lists pods and events', async () => {
    const r = await kubectl(d, ['api-resources']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(r.stdout).toMatch(/^events\s+ev\s+v1\s+true\s+Event$/m);
  });

  it('kubectl create -f creates, and a second create is AlreadyExists', async () => {
    const file = manifest(d, 'web.yaml', sleeperPod('web', { labels: { app: 'web', tier: 'front' } }));
    const r = await kubectl(d, ['create', '-f', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('pod/web created');
    const again = await kubectl(d, ['create', '-f', file]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('Error from server (AlreadyExists): error when creating "web.yaml": pods "web" already exists');
  });

  it('kubectl create rejects an invalid pod with the 422 wording and an unknown field with the strict decoding error', async () => {
    const bad = manifest(d, 'bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  containers:\n  - name: c\n    command: [sleep, "1"]\n');
    const r = await kubectl(d, ['create', '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('The Pod "bad" is invalid: spec.containers[0].image: Required value');
    const unknown = manifest(d, 'bad-unknown.yaml', sleeperPod('bu').replace('spec:\n', 'spec:\n  foo: 1\n'));
    const u = await kubectl(d, ['create', '-f', unknown]);
    expect(u.code).toBe(1);
    expect(u.stderr.trim()).toBe(
      'Error from server (BadRequest): error when creating "bad-unknown.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"',
    );
  });

  it('kubectl apply -f creates, reports unchanged, and configures an update (last-applied kept)', async () => {
    const file = manifest(d, 'app1.yaml', sleeperPod('app1', { labels: { app: 'app1', b: 'x' } }));
    expect((await kubectl(d, ['apply', '-f', file])).stdout.trim()).toBe('pod/app1 created');
    const same = await kubectl(d, ['apply', '-f', file]);
    expect(same.stdout.trim()).toBe('pod/app1 unchanged');
    expect(same.stderr).toBe('');
    manifest(d, 'app1.yaml', sleeperPod('app1', { labels: { app: 'app1' }, image: 'busybox:1.37' }));
    const changed = await kubectl(d, ['apply', '-f', file]);
    expect(changed.stdout.trim()).toBe('pod/app1 configured');
    const pod = JSON.parse((await kubectl(d, ['get', 'pod', 'app1', '-o', 'json'])).stdout);
    expect(pod.metadata.labels).toEqual({ app: 'app1' });
    expect(pod.spec.containers[0].image).toBe('busybox:1.37');
    expect(JSON.parse(pod.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).spec.containers[0].image).toBe('busybox:1.37');
  });

  it('kubectl get pods prints the server Table; -o wide adds IP and node', async () => {
    await eventually(async () => (await kubectl(d, ['get', 'pod', 'web', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running');
    const r = await kubectl(d, ['get', 'pods']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(r.stdout).toMatch(/^web\s+1\/1\s+Running\s+0\s+\d+s$/m);
    const wide = await kubectl(d, ['get', 'pods', '-o', 'wide']);
    expect(wide.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    expect(wide.stdout).toMatch(/^web\s+1\/1\s+Running\s+0\s+\S+\s+127\.0\.0\.1\s+\S+\s+<none>\s+<none>$/m);
  });

  it('kubectl get pods -o yaml / -o json / -o name / -l / --field-selector', async () => {
    const yaml = await kubectl(d, ['get', 'pod', 'web', '-o', 'yaml']);
    expect(yaml.stdout).toMatch(/^kind: Pod$/m);
    expect(yaml.stdout).toMatch(/^ {2}name: web$/m);
    const json = JSON.parse((await kubectl(d, ['get', 'pods', '-o', 'json'])).stdout);
    expect(json.kind).toBe('List');
    expect(json.items.map((p: { metadata: { name: string } }) => p.metadata.name).sort()).toEqual(['app1', 'web']);
    expect((await kubectl(d, ['get', 'pods', '-o', 'name'])).stdout.split('\n').filter(Boolean).sort()).toEqual(['pod/app1', 'pod/web']);
    const byLabel = await kubectl(d, ['get', 'pods', '-l', 'tier=front', '-o', 'name']);
    expect(byLabel.stdout.trim()).toBe('pod/web');
    const notIn = await kubectl(d, ['get', 'pods', '-l', 'app notin (web)', '-o', 'name']);
    expect(notIn.stdout.trim()).toBe('pod/app1');
    const byField = await kubectl(d, ['get', 'pods', '--field-selector', 'metadata.name=app1', '-o', 'name']);
    expect(byField.stdout.trim()).toBe('pod/app1');
    const all = await kubectl(d, ['get', 'pods', '-A', '--show-labels']);
    expect(all.stdout).toMatch(/^default\s+web\s+.*app=web,tier=front$/m);
    const sorted = await kubectl(d, ['get', 'pods', '--sort-by=.metadata.name', '-o', 'name']);
    expect(sorted.stdout.trim().split('\n')).toEqual(['pod/app1', 'pod/web']);
  });

  it('kubectl get for a missing pod and an empty namespace', async () => {
    const missing = await kubectl(d, ['get', 'pod', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
    const empty = await kubectl(d, ['get', 'pods', '-n', 'foo']);
    expect(empty.code).toBe(0);
    expect(empty.stderr.trim()).toBe('No resources found in foo namespace.');
  });

  it('kubectl describe pod shows status, conditions and the kubelet events', async () => {
    const r = await kubectl(d, ['describe', 'pod', 'web']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Status:\s+Running$/m);
    expect(r.stdout).toMatch(/^Node:\s+\S+\/127\.0\.0\.1$/m);
    expect(r.stdout).toMatch(/^\s+Ready\s+True\s*$/m);
    expect(r.stdout).toMatch(/^\s+Normal\s+Started\s+\S+\s+kubelet\s+Started container app$/m);
    // The events come only from this pod (describe relies on the server's field selector).
    expect(r.stdout).not.toContain('app1');
  });

  it('kubectl get events prints the Event Table and kubectl events the client-side list', async () => {
    const table = await kubectl(d, ['get', 'events']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(table.stdout).toMatch(/Normal\s+Started\s+pod\/web\s+Started container app/);
    const filtered = await kubectl(d, ['get', 'events', '--field-selector', 'involvedObject.name=app1']);
    expect(filtered.stdout).not.toContain('pod/web');
    const events = await kubectl(d, ['events']);
    expect(events.code).toBe(0);
    expect(events.stdout.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(events.stdout).toMatch(/Normal\s+Started\s+Pod\/web\s+Started container app/);
  });

  it('refuses kubectl with a wrong token and a raw request without one (401 Status)', async () => {
    const kc = readFileSync(d.kubeconfig, 'utf8').replace(/"token": ".*"/, '"token": "wrong"');
    manifest(d, 'wrong-kubeconfig', kc);
    const r = await kubectl(d, ['get', 'pods', '--kubeconfig', join(d.dir, 'wrong-kubeconfig')], { timeoutMs: 30_000 });
    expect(r.code).toBe(1);
    // The 401 carries the API server's Status (message "Unauthorized"), which kubectl quotes as real clusters show it.
    expect(r.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
    const ca = Buffer.from(/"certificate-authority-data": "([^"]+)"/.exec(kc)![1]!, 'base64').toString();
    const raw = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: d.port, path: '/api/v1/namespaces/default/pods', ca }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(raw.status).toBe(401);
    expect(JSON.parse(raw.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });
});
