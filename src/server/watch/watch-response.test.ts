import { describe, expect, it } from 'vitest';
import { makeHarness, podManifest, tableAccept } from '../server-harness.case.js';

const ns = '/api/v1/namespaces/default/pods';

describe('pod watch (contract §8)', () => {
  it('resourceVersion=0 starts with a synthetic ADDED per matching pod, then live events', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('a') });
    await h.call('POST', ns, { body: podManifest('b') });
    const w = await h.stream(`${ns}?fieldSelector=metadata.name%3Da&resourceVersion=0&watch=true`);
    expect(w.status).toBe(200);
    expect(w.headers['content-type']).toBe('application/json');
    expect(w.events().map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'a']]);
    await h.call('PATCH', `${ns}/a`, { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { labels: { x: '1' } } }) });
    await h.call('PATCH', `${ns}/b`, { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { labels: { x: '1' } } }) });
    await h.call('DELETE', `${ns}/a`, { body: { gracePeriodSeconds: 0 } });
    expect(w.events().map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'a'],
      ['MODIFIED', 'a'],
      ['DELETED', 'a'],
    ]);
    for (const e of w.events()) expect(e.object.metadata.resourceVersion).toMatch(/^\d+$/);
    w.abort();
    await w.done;
  });

  it('resourceVersion=N replays only what came after N (the informer path of wait and delete)', async () => {
    const h = makeHarness();
    const list = await h.call('POST', ns, { body: podManifest('a') });
    const rv = list.json.metadata.resourceVersion;
    await h.store.deletePod('default', 'a', 0);
    const w = await h.stream(`${ns}?allowWatchBookmarks=true&fieldSelector=metadata.name%3Da&resourceVersion=${rv}&timeoutSeconds=300&watch=true`);
    expect(w.events().map((e) => e.type)).toEqual(['DELETED']);
    w.abort();
    await w.done;
  });

  it('an RV too old to replay gets an ERROR event with a 410 Expired Status, so informers relist', async () => {
    const h = makeHarness();
    for (let i = 0; i < 60; i++) await h.call('POST', ns, { body: podManifest(`p${i}`) });
    const w = await h.stream(`${ns}?resourceVersion=1&watch=true`);
    await w.done;
    expect(w.events()).toEqual([
      { type: 'ERROR', object: expect.objectContaining({ kind: 'Status', reason: 'Expired', code: 410, message: expect.stringMatching(/^too old resource version: 1/) }) },
    ]);
  });

  it('ends after timeoutSeconds and sends bookmarks when allowed', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('a') });
    const w = await h.stream(`${ns}?allowWatchBookmarks=true&resourceVersion=0&timeoutSeconds=90&watch=true`);
    await h.clock.advance(60_000);
    expect(w.events().map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(w.events()[1].object).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
    await h.clock.advance(30_000);
    await w.done;
  });

  it('sends one-row Tables when kubectl get -w asks for Tables', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('a') });
    const w = await h.stream(`${ns}?fieldSelector=metadata.name%3Da&resourceVersion=0&watch=true`, { accept: tableAccept });
    expect(w.headers['content-type']).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    await h.call('DELETE', `${ns}/a`);
    const events = w.events();
    expect(events[0].object.kind).toBe('Table');
    expect(events[0].object.rows).toHaveLength(1);
    expect(events[0].object.columnDefinitions).toHaveLength(9);
    expect(events[1].object.columnDefinitions).toEqual([]);
    expect(events[1].object.rows[0].cells[2]).toBe('Terminating');
    w.abort();
    await w.done;
  });

  it('a pod leaving a label selection is seen as DELETED', async () => {
    const h = makeHarness();
    await h.call('POST', ns, { body: podManifest('a', {}, { app: 'x' }) });
    const w = await h.stream(`${ns}?labelSelector=app%3Dx&watch=true`);
    await h.call('PATCH', `${ns}/a`, { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { labels: { app: 'y' } } }) });
    expect(w.events().map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    w.abort();
    await w.done;
  });

  it('rejects a malformed resourceVersion with a BadRequest Status', async () => {
    const r = await makeHarness().call('GET', `${ns}?watch=true&resourceVersion=abc`);
    expect(r.status).toBe(400);
  });
});
