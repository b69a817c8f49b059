import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../store/pod-store.js';
import { makeHarness, podManifest } from '../server-harness.case.js';

function entry(uid: string, timeMs: number, what: string): TimelineEntry {
  return { kind: 'TimelineEntry', time: new Date(timeMs).toISOString(), timeMs, namespace: 'default', pod: 'web', podUid: uid, what };
}

const url = '/apis/hooklet.dev/v1/namespaces/default/pods/web/timeline';

describe('timeline extension endpoint', () => {
  it("returns the live pod's entries and the pod itself", async () => {
    const h = makeHarness();
    const pod = (await h.call('POST', '/api/v1/namespaces/default/pods', { body: podManifest('web') })).json;
    h.store.appendTimeline(entry('old-uid', 1, 'PodAdded'));
    h.store.appendTimeline(entry(pod.metadata.uid, 2, 'PodAdded'));
    const r = await h.call('GET', url);
    expect(r.json).toMatchObject({ kind: 'TimelineEntryList', apiVersion: 'hooklet.dev/v1' });
    expect(r.json.items.map((e: TimelineEntry) => e.podUid)).toEqual([pod.metadata.uid]);
    expect(r.json.pods[0].metadata.uid).toBe(pod.metadata.uid);
    const old = await h.call('GET', `${url}?uid=old-uid`);
    expect(old.json.items).toHaveLength(1);
    expect(old.json.pods).toEqual([]);
  });

  it('after the pod is gone, returns the latest incarnation; 404 when nothing was recorded', async () => {
    const h = makeHarness();
    h.store.appendTimeline(entry('a', 1, 'PodAdded'));
    h.store.appendTimeline(entry('b', 5, 'PodAdded'));
    const r = await h.call('GET', url);
    expect(r.json.items.map((e: TimelineEntry) => e.podUid)).toEqual(['b']);
    const none = await h.call('GET', '/apis/hooklet.dev/v1/namespaces/default/pods/nope/timeline');
    expect(none.status).toBe(404);
    expect(none.json.message).toBe('pods "nope" not found');
  });
});
