import { describe, expect, it } from 'vitest';
import { makeHarness, podManifest, tableAccept } from '../server-harness.case.js';

const ns = '/api/v1/namespaces/default/pods';

describe('pod create (contract §9, §5)', () => {
  it('stores a defaulted pod bound to the node, Pending, and answers 201', async () => {
    const h = makeHarness();
    const r = await h.call('POST', `${ns}?fieldManager=kubectl-create&fieldValidation=Strict`, { body: podManifest('web') });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'web', namespace: 'default' },
      spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 30 },
      status: { phase: 'Pending', qosClass: 'BestEffort' },
    });
    expect(r.json.metadata.uid).toBeTruthy();
    expect(r.json.metadata.resourceVersion).toBeTruthy();
    expect(h.store.getPod('default', 'web')).toBeDefined();
  });

  it('answers 409 AlreadyExists for an existing name', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('web') });
    const r = await h.call('POST', ns, { body: podManifest('web') });
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({ reason: 'AlreadyExists', message: 'pods "web" already exists', details: { name: 'web', kind: 'pods' } });
  });

  it('answers 422 Invalid with causes kubectl turns into `The Pod "bad" is invalid: …`', async () => {
    const h = makeHarness();
    const bad = podManifest('bad');
    bad.spec.containers = [{ name: 'a' }, { name: 'b' }];
    const r = await h.call('POST', ns, { body: bad });
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
      message: 'Pod "bad" is invalid: [spec.containers[0].image: Required value, spec.containers[1].image: Required value]',
      details: {
        name: 'bad',
        kind: 'Pod',
        causes: [
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' },
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[1].image' },
        ],
      },
    });
  });

  it('rejects unknown fields under fieldValidation=Strict with the strict decoding message', async () => {
    const h = makeHarness();
    const body = { ...podManifest('x'), spec: { ...podManifest('x').spec, foo: 1 } };
    const r = await h.call('POST', `${ns}?fieldValidation=Strict`, { body });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      reason: 'BadRequest',
      message: 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"',
    });
  });

  it('warns about unknown fields by default and drops them', async () => {
    const h = makeHarness();
    const body = { ...podManifest('x'), spec: { ...podManifest('x').spec, foo: 1 } };
    const r = await h.call('POST', ns, { body });
    expect(r.status).toBe(201);
    expect(r.headers['warning']).toBe('299 - "unknown field \\"spec.foo\\""');
    expect(r.json.spec.foo).toBeUndefined();
  });

  it('reports duplicate fields under Strict and a wrong value type whatever the field validation', async () => {
    const h = makeHarness();
    const dup = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x","name":"y"},"spec":{"containers":[{"name":"a","image":"b"}]}}';
    const r = await h.call('POST', `${ns}?fieldValidation=Strict`, { headers: { 'content-type': 'application/json' }, body: dup });
    expect(r.json.message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: duplicate field "metadata.name"');
    const typed = await h.call('POST', `${ns}?fieldValidation=Ignore`, {
      body: { ...podManifest('t'), spec: { ...podManifest('t').spec, terminationGracePeriodSeconds: '30' } },
    });
    expect(typed.status).toBe(400);
    expect(typed.json.message).toMatch(/^Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec\.spec\.terminationGracePeriodSeconds of type int64$/);
    const bad = await h.call('POST', ns, { headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/^couldn't get version\/kind; json parse error: /);
  });

  it('refuses a body namespace that differs from the URL, and generates names', async () => {
    const h = makeHarness();
    const other = podManifest('x');
    other.metadata.namespace = 'other';
    expect((await h.call('POST', ns, { body: other })).json.message).toBe('the namespace of the provided object does not match the namespace sent on the request');
    const gen = podManifest('');
    gen.metadata = { generateName: 'job-' };
    const r = await h.call('POST', ns, { body: gen });
    expect(r.json.metadata.name).toMatch(/^job-[a-z0-9]{5}$/);
  });
});

describe('pod get and list (contract §6, §7)', () => {
  it('gets a pod, 404s a missing one with the kubectl message', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('web') });
    expect((await h.call('GET', `${ns}/web`)).json.metadata.name).toBe('web');
    const missing = await h.call('GET', `${ns}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', message: 'pods "nope" not found', details: { name: 'nope', kind: 'pods' }, code: 404 });
  });

  it('lists as PodList with kind, apiVersion and resourceVersion', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('a') });
    const r = await h.call('GET', `${ns}?limit=500`, { headers: { accept: 'application/json' } });
    expect(r.json).toMatchObject({ kind: 'PodList', apiVersion: 'v1', items: [{ metadata: { name: 'a' } }] });
    expect(r.json.metadata.resourceVersion).toMatch(/^\d+$/);
  });

  it('serves a Table with all nine cells and a PartialObjectMetadata per row', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('a', {}, { app: 'x' }) });
    await h.clock.advance(61_000);
    const r = await h.call('GET', `${ns}?limit=500`, { headers: { accept: tableAccept } });
    expect(r.json.kind).toBe('Table');
    expect(r.json.apiVersion).toBe('meta.k8s.io/v1');
    expect(r.json.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    expect(r.json.rows[0].cells).toEqual(['a', '0/1', 'Pending', '0', '61s', '<none>', 'node-1', '<none>', '<none>']);
    expect(r.json.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'a', labels: { app: 'x' } } });
    const full = await h.call('GET', `${ns}?includeObject=Object`, { headers: { accept: tableAccept } });
    expect(full.json.rows[0].object).toMatchObject({ kind: 'Pod', spec: { nodeName: 'node-1' } });
    const none = await h.call('GET', `${ns}?includeObject=None`, { headers: { accept: tableAccept } });
    expect(none.json.rows[0].object).toBeUndefined();
    const one = await h.call('GET', `${ns}/a`, { headers: { accept: tableAccept } });
    expect(one.json.rows).toHaveLength(1);
  });

  it('filters by label selector (=, !=, in, notin, exists) and field selector', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('a', {}, { app: 'web', tier: 'front' }) });
    await h.call('POST', ns, { body: podManifest('b', {}, { app: 'db' }) });
    await h.call('POST', '/api/v1/namespaces/other/pods', { body: podManifest('c', {}, { app: 'web' }) });
    const names = async (url: string) => (await h.call('GET', url)).json.items.map((p: { metadata: { name: string } }) => p.metadata.name);
    expect(await names(`${ns}?labelSelector=app%3Dweb`)).toEqual(['a']);
    expect(await names(`${ns}?labelSelector=app!%3Dweb`)).toEqual(['b']);
    expect(await names(`${ns}?labelSelector=app%20in%20(web,db)`)).toEqual(['a', 'b']);
    expect(await names(`${ns}?labelSelector=app%20notin%20(web)`)).toEqual(['b']);
    expect(await names(`${ns}?labelSelector=tier`)).toEqual(['a']);
    expect(await names(`${ns}?labelSelector=!tier`)).toEqual(['b']);
    expect(await names(`${ns}?fieldSelector=metadata.name%3Db`)).toEqual(['b']);
    expect(await names(`${ns}?fieldSelector=status.phase%3DPending,spec.nodeName%3Dnode-1`)).toEqual(['a', 'b']);
    expect(await names('/api/v1/pods?labelSelector=app%3Dweb')).toEqual(['a', 'c']);
    expect(await names('/api/v1/pods?fieldSelector=metadata.namespace%3Dother')).toEqual(['c']);
    const bad = await h.call('GET', `${ns}?fieldSelector=spec.foo%3D1`);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe('field label not supported: spec.foo');
  });
});

describe('pod update and patch (contract §10)', () => {
  it('applies a strategic merge patch, keeps the last-applied annotation and bumps resourceVersion', async () => {
    const h = makeHarness();
    const created = (await h.call('POST', ns, { body: podManifest('app1', {}, { a: '1', b: '2' }) })).json;
    const r = await h.call('PATCH', `${ns}/app1?fieldManager=kubectl-client-side-apply&fieldValidation=Strict`, {
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: JSON.stringify({
        metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"x":1}\n' }, labels: { b: null } },
        spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] },
      }),
    });
    expect(r.status).toBe(200);
    expect(r.json.metadata.labels).toEqual({ a: '1' });
    expect(r.json.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe('{"x":1}\n');
    expect(r.json.spec.containers[0]).toMatchObject({ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] });
    expect(r.json.metadata.uid).toBe(created.metadata.uid);
    expect(Number(r.json.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(r.json.status.phase).toBe('Pending');
  });

  it('rejects a forbidden update with 422 and an unknown patched field with 400', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('p') });
    const forbidden = await h.call('PATCH', `${ns}/p`, {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { containers: [{ name: 'app', image: 'x', command: ['other'] }] } }),
    });
    expect(forbidden.status).toBe(422);
    expect(forbidden.json.details.causes[0].field).toBe('spec');
    const unknown = await h.call('PATCH', `${ns}/p?fieldValidation=Strict`, {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { foo: 1 } }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toBe('strict decoding error: unknown field "spec.foo"');
    const unsupported = await h.call('PATCH', `${ns}/p`, { headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(unsupported.status).toBe(415);
  });

  it('PUT with a stale resourceVersion is a 409 Conflict', async () => {
    const h = makeHarness();
    const created = (await h.call('POST', ns, { body: podManifest('p') })).json;
    await h.call('PATCH', `${ns}/p`, { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { labels: { x: '1' } } }) });
    const r = await h.call('PUT', `${ns}/p`, { body: created });
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({ reason: 'Conflict', message: 'Operation cannot be fulfilled on pods "p": the object has been modified; please apply your changes to the latest version and try again' });
  });

  it('server-side apply creates a missing pod', async () => {
    const h = makeHarness();
    const r = await h.call('PATCH', `${ns}/ssa?fieldManager=kubectl&force=false`, {
      headers: { 'content-type': 'application/apply-patch+yaml' },
      body: JSON.stringify(podManifest('ssa')),
    });
    expect(r.status).toBe(201);
    expect(h.store.getPod('default', 'ssa')).toBeDefined();
  });
});

describe('status subresource', () => {
  it('replaces and patches only status', async () => {
    const h = makeHarness();
    const pod = (await h.call('POST', ns, { body: podManifest('s') })).json;
    const put = await h.call('PUT', `${ns}/s/status`, { body: { ...pod, spec: { containers: [] }, status: { phase: 'Running' } } });
    expect(put.status).toBe(200);
    expect(put.json.status.phase).toBe('Running');
    expect(put.json.spec.containers).toHaveLength(1);
    const patched = await h.call('PATCH', `${ns}/s/status`, {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ status: { podIP: '127.0.0.1' } }),
    });
    expect(patched.json.status).toMatchObject({ phase: 'Running', podIP: '127.0.0.1' });
    expect((await h.call('GET', `${ns}/s/status`)).json.status.podIP).toBe('127.0.0.1');
  });
});

describe('pod delete (contract §11, R4.1)', () => {
  it('R4.1: a graceful delete answers 200 with the terminating pod, which stays until removed', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('d') });
    const r = await h.call('DELETE', `${ns}/d`, { body: { propagationPolicy: 'Background' } });
    expect(r.status).toBe(200);
    expect(r.json.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(r.json.metadata.deletionTimestamp).toBe('2026-01-01T00:00:30Z');
    const table = await h.call('GET', `${ns}/d`, { headers: { accept: tableAccept } });
    expect(table.json.rows[0].cells[2]).toBe('Terminating');
  });

  it('R4.1: --grace-period, --now (1) and a second, shorter delete shorten the grace', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('d') });
    expect((await h.call('DELETE', `${ns}/d`, { body: { gracePeriodSeconds: 5 } })).json.metadata.deletionGracePeriodSeconds).toBe(5);
    expect((await h.call('DELETE', `${ns}/d`, { body: { gracePeriodSeconds: 10 } })).json.metadata.deletionGracePeriodSeconds).toBe(5);
    expect((await h.call('DELETE', `${ns}/d`, { body: { gracePeriodSeconds: 1 } })).json.metadata.deletionGracePeriodSeconds).toBe(1);
  });

  it('R4.1: --force --grace-period=0 removes at once; the query form works too', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('f') });
    const r = await h.call('DELETE', `${ns}/f`, { body: { gracePeriodSeconds: 0, propagationPolicy: 'Background' } });
    expect(r.status).toBe(200);
    expect(r.json.metadata.name).toBe('f');
    expect(h.store.getPod('default', 'f')).toBeUndefined();
    await h.call('POST', ns, { body: podManifest('q') });
    await h.call('DELETE', `${ns}/q?gracePeriodSeconds=0`);
    expect(h.store.getPod('default', 'q')).toBeUndefined();
  });

  it('checks a uid precondition and 404s a missing pod', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('u') });
    const r = await h.call('DELETE', `${ns}/u`, { body: { preconditions: { uid: 'other' } } });
    expect(r.status).toBe(409);
    expect(r.json.message).toMatch(/Precondition failed: UID in precondition: other/);
    expect((await h.call('DELETE', `${ns}/nope`)).json.message).toBe('pods "nope" not found');
  });

  it('deletes a collection by label', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('a', {}, { x: '1' }) });
    await h.call('POST', ns, { body: podManifest('b') });
    const r = await h.call('DELETE', `${ns}?labelSelector=x%3D1`, { body: { gracePeriodSeconds: 0 } });
    expect(r.json.items).toHaveLength(1);
    expect(h.store.listPods().items.map((p) => p.metadata.name)).toEqual(['b']);
  });
});
