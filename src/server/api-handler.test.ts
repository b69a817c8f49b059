import { describe, expect, it } from 'vitest';
import { createApiHandler } from './api-handler.js';
import { apiRequest } from './http/api-request.js';
import { makeHarness, podManifest } from './server-harness.case.js';

const aggregatedAccept =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('authentication', () => {
  it('refuses a request without the bearer token with a 401 Unauthorized Status', async () => {
    const h = makeHarness({ token: 'secret' });
    const r = await h.call('GET', '/api/v1/namespaces/default/pods');
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    const wrong = await h.call('GET', '/version', { headers: { authorization: 'Bearer nope!!' } });
    expect(wrong.status).toBe(401);
  });

  it('accepts the right token, and health checks need none', async () => {
    const h = makeHarness({ token: 'secret' });
    expect((await h.call('GET', '/version', { headers: { authorization: 'Bearer secret' } })).status).toBe(200);
    expect((await h.call('GET', '/healthz')).text).toBe('ok');
  });
});

describe('discovery (contract §0, §3, §4)', () => {
  it('/version says 1.32 so the kubectl dispatcher runs its 1.32 build', async () => {
    const r = await makeHarness().call('GET', '/version?timeout=5s');
    expect(r.json).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0' });
  });

  it('/api answers the aggregated form with its exact media type when asked', async () => {
    const r = await makeHarness().call('GET', '/api?timeout=32s', { headers: { accept: aggregatedAccept } });
    expect(r.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const resources = r.json.items[0].versions[0].resources;
    const pods = resources.find((x: { resource: string }) => x.resource === 'pods');
    expect(pods).toMatchObject({ scope: 'Namespaced', shortNames: ['po'], responseKind: { kind: 'Pod', version: 'v1', group: '' } });
    expect(pods.verbs).toContain('watch');
    expect(resources.find((x: { resource: string }) => x.resource === 'events').shortNames).toEqual(['ev']);
    expect(resources.find((x: { resource: string }) => x.resource === 'namespaces')).toMatchObject({ scope: 'Cluster', shortNames: ['ns'], verbs: ['get', 'list'] });
  });

  it('/apis exists (aggregated, empty) and the old forms are served as plain JSON', async () => {
    const h = makeHarness();
    const apis = await h.call('GET', '/apis', { headers: { accept: aggregatedAccept } });
    expect(apis.status).toBe(200);
    expect(apis.json).toMatchObject({ kind: 'APIGroupDiscoveryList', items: [] });
    const legacy = await h.call('GET', '/api', { headers: { accept: 'application/json, */*' } });
    expect(legacy.headers['content-type']).toBe('application/json');
    expect(legacy.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect((await h.call('GET', '/apis')).json).toMatchObject({ kind: 'APIGroupList', groups: [] });
    const v1 = await h.call('GET', '/api/v1');
    expect(v1.json.resources.map((r: { name: string }) => r.name)).toEqual(['events', 'namespaces', 'pods', 'pods/exec', 'pods/log', 'pods/status']);
  });

  it('/openapi/v3 points at a document with a Pod PATCH taking fieldValidation', async () => {
    const h = makeHarness();
    const index = await h.call('GET', '/openapi/v3?timeout=32s');
    const url: string = index.json.paths['api/v1'].serverRelativeURL;
    const doc = await h.call('GET', url);
    const ops = Object.values(doc.json.paths as Record<string, { patch?: { 'x-kubernetes-group-version-kind': { kind: string }; parameters: { name: string }[] } }>)
      .map((p) => p.patch)
      .filter((p) => p?.['x-kubernetes-group-version-kind'].kind === 'Pod');
    expect(ops[0]!.parameters.map((p) => p.name)).toContain('fieldValidation');
    expect((await h.call('GET', '/openapi/v2')).status).toBe(404);
  });

  it('unknown paths are a NotFound Status', async () => {
    const r = await makeHarness().call('GET', '/api/v1/namespaces/default/secrets');
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource' });
  });
});

describe('namespaces (implicit)', () => {
  it('lists default and every namespace in use, and gets one', async () => {
    const h = makeHarness();
    await h.call('POST', '/api/v1/namespaces/team-a/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } } });
    const list = await h.call('GET', '/api/v1/namespaces');
    expect(list.json.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual(['default', 'team-a']);
    expect((await h.call('GET', '/api/v1/namespaces/team-a')).json.status.phase).toBe('Active');
    expect((await h.call('GET', '/api/v1/namespaces/nope')).json.message).toBe('namespaces "nope" not found');
    expect((await h.call('POST', '/api/v1/namespaces', { body: {} })).status).toBe(405);
  });
});

describe('admission loaded after the API (ServerContext.admissionReady)', () => {
  it('answers reads at once and holds writes until admission is ready', async () => {
    const h = makeHarness();
    let release!: () => void;
    const handler = createApiHandler({ ...h.ctx, admissionReady: new Promise<void>((r) => (release = r)) });
    const list = await handler(apiRequest('GET', '/api/v1/namespaces/default/pods'));
    expect(list.status).toBe(200);
    let created: number | undefined;
    const create = handler(apiRequest('POST', '/api/v1/namespaces/default/pods', { body: podManifest('web') })).then((r) => (created = r.status));
    await new Promise((r) => setImmediate(r));
    expect(created).toBeUndefined();
    release();
    await create;
    expect(created).toBe(201);
  });

  it('fails a write with a 500 Status when admission could not be loaded', async () => {
    const h = makeHarness();
    const failed = Promise.reject(new Error('no validation'));
    failed.catch(() => {});
    const r = await createApiHandler({ ...h.ctx, admissionReady: failed })(apiRequest('POST', '/api/v1/namespaces/default/pods', { body: podManifest('web') }));
    expect(r.status).toBe(500);
  });
});
