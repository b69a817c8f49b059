import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../api/types.js';
import { makeHarness, tableAccept } from '../server-harness.case.js';

function event(pod: string, uid: string, reason: string, extra: Partial<CoreEvent> = {}): CoreEvent {
  return {
    metadata: { namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: pod, uid, fieldPath: 'spec.containers{app}' },
    reason,
    message: `${reason} happened`,
    type: 'Normal',
    source: { component: 'kubelet', host: 'node-1' },
    ...extra,
  };
}

const base = '/api/v1/namespaces/default/events';

describe('events (contract §12, §13)', () => {
  it('honours the involvedObject field selectors kubectl describe sends', async () => {
    const h = makeHarness();
    h.store.recordEvent(event('web', 'u1', 'Started'));
    h.store.recordEvent(event('web', 'u0', 'Killing'));
    h.store.recordEvent(event('db', 'u2', 'Started'));
    const r = await h.call('GET', `${base}?fieldSelector=involvedObject.name%3Dweb,involvedObject.namespace%3Ddefault,involvedObject.uid%3Du1&limit=500`, {
      headers: { accept: 'application/vnd.kubernetes.protobuf,application/json' },
    });
    expect(r.json.kind).toBe('EventList');
    expect(r.json.apiVersion).toBe('v1');
    expect(r.json.items.map((e: CoreEvent) => e.reason)).toEqual(['Started']);
    const byKind = await h.call('GET', `${base}?fieldSelector=involvedObject.kind%3DPod,reason%3DStarted`);
    expect(byKind.json.items).toHaveLength(2);
  });

  it('serves the Event Table for kubectl get events', async () => {
    const h = makeHarness();
    h.store.recordEvent(event('web', 'u1', 'BackOff', { type: 'Warning' }));
    await h.clock.advance(30_000);
    const r = await h.call('GET', `${base}?limit=500`, { headers: { accept: tableAccept } });
    expect(r.json.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name',
    ]);
    const cells = r.json.rows[0].cells;
    expect(cells.slice(0, 9)).toEqual(['30s', 'Warning', 'BackOff', 'pod/web', 'spec.containers{app}', 'kubelet, node-1', 'BackOff happened', '30s', 1]);
    expect(cells[9]).toMatch(/^web\./);
  });

  it('gets one event, 404s a missing one, lists all namespaces, and creates one', async () => {
    const h = makeHarness();
    const e = h.store.recordEvent(event('web', 'u1', 'Started'));
    expect((await h.call('GET', `${base}/${e.metadata.name}`)).json.reason).toBe('Started');
    expect((await h.call('GET', `${base}/nope`)).json.message).toBe('events "nope" not found');
    expect((await h.call('GET', '/api/v1/events')).json.items).toHaveLength(1);
    const created = await h.call('POST', base, { body: event('x', 'u9', 'Custom') });
    expect(created.status).toBe(201);
    expect(created.json.metadata.name).toBeTruthy();
  });

  it('watches events from resourceVersion 0', async () => {
    const h = makeHarness();
    h.store.recordEvent(event('web', 'u1', 'Started'));
    const w = await h.stream(`${base}?watch=true&resourceVersion=0&fieldSelector=involvedObject.name%3Dweb`);
    h.store.recordEvent(event('web', 'u1', 'Killing'));
    h.store.recordEvent(event('other', 'u3', 'Killing'));
    expect(w.events().map((x) => [x.type, x.object.reason])).toEqual([
      ['ADDED', 'Started'],
      ['ADDED', 'Killing'],
    ]);
    w.abort();
    await w.done;
  });
});
