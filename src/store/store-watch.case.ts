import { describe, expect, it } from 'vitest';
import type { CoreEvent, Pod } from '../api/types.js';
import { aPod, anEvent, collect, storeError, storeFixture, timelineEntry, UUID, type StoreHarness } from './store-conformance.case.js';

/** The PodStore contract, part 3: watch, events, timeline (see storeConformance). */
export function storeWatchConformance(name: string, harness: StoreHarness): void {
  describe(`${name}: PodStore conformance`, () => {
    const fx = storeFixture(harness);
    describe('watch', () => {
      it('fromRV undefined delivers only future changes', () => {
        fx.open();
        fx.store.createPod(aPod('before'));
        const w = collect<Pod>();
        fx.store.watchPods(undefined, w.push);
        fx.store.createPod(aPod('after'));
        expect(w.events.map((e) => [e.type, e.object.metadata.name, e.resourceVersion])).toEqual([
          ['ADDED', 'after', 2],
        ]);
      });

      it('replays every change after fromRV, then continues live, in RV order', () => {
        fx.open();
        const a = fx.store.createPod(aPod('a'));
        fx.store.createPod(aPod('b'));
        fx.store.updatePodStatus('default', 'a', a.metadata.uid!, { phase: 'Succeeded' });
        fx.store.recordEvent(anEvent('Pulled', 'not a pod'));
        fx.store.deletePod('default', 'b', 0);
        const w = collect<Pod>();
        fx.store.watchPods(1, w.push);
        // Replay has happened before watchPods returned.
        expect(w.events.map((e) => [e.type, e.object.metadata.name, e.resourceVersion])).toEqual([
          ['ADDED', 'b', 2],
          ['MODIFIED', 'a', 3],
          ['DELETED', 'b', 5],
        ]);
        fx.store.createPod(aPod('c'));
        expect(w.events.at(-1)).toMatchObject({ type: 'ADDED', resourceVersion: 6 });
        for (const e of w.events) expect(e.object.metadata.resourceVersion).toBe(String(e.resourceVersion));
        const fromZero = collect<Pod>();
        fx.store.watchPods(0, fromZero.push);
        expect(fromZero.events.map((e) => e.resourceVersion)).toEqual([1, 2, 3, 5, 6]);
        const fromNow = collect<Pod>();
        fx.store.watchPods(6, fromNow.push);
        expect(fromNow.events).toEqual([]);
      });

      it('writes made inside a callback reach every watcher after the current change, in order', () => {
        fx.open();
        const seen: Record<string, number[]> = { first: [], second: [] };
        fx.store.watchPods(undefined, (e) => {
          seen.first!.push(e.resourceVersion);
          if (e.object.metadata.name === 'a') fx.store.createPod(aPod('from-callback'));
        });
        fx.store.watchPods(undefined, (e) => seen.second!.push(e.resourceVersion));
        fx.store.createPod(aPod('a'));
        expect(seen).toEqual({ first: [1, 2], second: [1, 2] });
      });

      it('Gone (410) for a fromRV older than the replay window, with the API server message', () => {
        fx.open({ replayWindow: 3 });
        for (const n of ['a', 'b', 'c', 'd', 'e']) fx.store.createPod(aPod(n));
        const err = storeError(() => fx.store.watchPods(1, () => undefined));
        expect(err.reason).toBe('Gone');
        expect(err.message).toBe('too old resource version: 1 (2)');
        const w = collect<Pod>();
        fx.store.watchPods(2, w.push);
        expect(w.events.map((e) => e.resourceVersion)).toEqual([3, 4, 5]);
      });

      it('a throwing watcher neither breaks the write nor starves the other watchers', () => {
        const errors: unknown[] = [];
        fx.open({ onWatcherError: (err) => errors.push(err) });
        fx.store.watchPods(undefined, () => {
          throw new Error('boom');
        });
        const w = collect<Pod>();
        fx.store.watchPods(undefined, w.push);
        const created = fx.store.createPod(aPod('a'));
        fx.store.createPod(aPod('b'));
        expect(created.metadata.resourceVersion).toBe('1');
        expect(w.events.map((e) => e.object.metadata.name)).toEqual(['a', 'b']);
        expect(errors).toHaveLength(2);
        expect(fx.store.listPods().items).toHaveLength(2);
      });

      it('unsubscribing stops delivery', () => {
        fx.open();
        const w = collect<Pod>();
        const stop = fx.store.watchPods(undefined, w.push);
        fx.store.createPod(aPod('a'));
        stop();
        stop();
        fx.store.createPod(aPod('b'));
        expect(w.events).toHaveLength(1);
      });

      it('events have their own watch: ADDED, then MODIFIED on a duplicate, replayable from an RV', () => {
        fx.open();
        fx.store.createPod(aPod('web'));
        const w = collect<CoreEvent>();
        fx.store.watchEvents(undefined, w.push);
        const first = fx.store.recordEvent(anEvent('Killing', 'Stopping container app'));
        const again = fx.store.recordEvent(anEvent('Killing', 'Stopping container app'));
        expect(w.events.map((e) => [e.type, e.resourceVersion])).toEqual([
          ['ADDED', 2],
          ['MODIFIED', 3],
        ]);
        expect(w.events[1]!.object).toEqual(again);
        const replay = collect<CoreEvent>();
        fx.store.watchEvents(0, replay.push);
        expect(replay.events.map((e) => e.object.metadata.name)).toEqual([first.metadata.name, first.metadata.name]);
      });
    });

    describe('events', () => {
      it('fills name, namespace, uid, RV, timestamps; keeps eventTime as given', () => {
        fx.open();
        const ev = fx.store.recordEvent(anEvent('Started', 'Started container app'));
        expect(ev.metadata.name).toMatch(/^web\.[0-9a-f]{16}$/);
        expect(ev.metadata.namespace).toBe('default');
        expect(ev.metadata.uid).toMatch(UUID);
        expect(ev.metadata.resourceVersion).toBe('1');
        expect(ev.metadata.creationTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(ev.firstTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(ev.lastTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(ev.eventTime).toBe('2026-11-29T00:34:36.123456Z');
        expect(ev.count).toBe(1);
        expect(fx.store.listEvents()).toEqual({ items: [ev], resourceVersion: 1 });
        // Two events in the same instant still get distinct names.
        const other = fx.store.recordEvent(anEvent('Created', 'Created container: app'));
        expect(other.metadata.name).not.toBe(ev.metadata.name);
      });

      it('a duplicate increments count and moves lastTimestamp, keeping the name (client-go correlator)', async () => {
        fx.open();
        const first = fx.store.recordEvent(anEvent('BackOff', 'Back-off restarting failed container app'));
        await fx.clock.advance(12_000);
        const second = fx.store.recordEvent(anEvent('BackOff', 'Back-off restarting failed container app'));
        await fx.clock.advance(20_000);
        const third = fx.store.recordEvent(anEvent('BackOff', 'Back-off restarting failed container app'));
        expect(third.metadata.name).toBe(first.metadata.name);
        expect(third.metadata.uid).toBe(first.metadata.uid);
        expect(second.count).toBe(2);
        expect(third.count).toBe(3);
        expect(third.firstTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(third.lastTimestamp).toBe('2026-11-29T00:35:08Z');
        expect(third.metadata.resourceVersion).toBe('3');
        expect(fx.store.listEvents().items).toEqual([third]);
      });

      it('differing message, reason, type, fieldPath, uid or source make a new event', () => {
        fx.open();
        const base = anEvent('Killing', 'Stopping container app');
        fx.store.recordEvent(base);
        fx.store.recordEvent({ ...base, message: 'Stopping container other' });
        fx.store.recordEvent({ ...base, reason: 'Preempting' });
        fx.store.recordEvent({ ...base, type: 'Warning' });
        fx.store.recordEvent({ ...base, involvedObject: { ...base.involvedObject, fieldPath: 'spec.containers{b}' } });
        fx.store.recordEvent({ ...base, involvedObject: { ...base.involvedObject, uid: 'uid-web-2' } });
        fx.store.recordEvent({ ...base, source: { component: 'hooklet', host: 'hooklet' } });
        fx.store.recordEvent(base);
        const items = fx.store.listEvents().items;
        expect(items).toHaveLength(7);
        expect(items.map((e) => e.count).sort()).toEqual([1, 1, 1, 1, 1, 1, 2]);
      });

      it('lists by namespace', () => {
        fx.open();
        fx.store.recordEvent(anEvent('Pulled', 'a'));
        fx.store.recordEvent(anEvent('Pulled', 'b', { namespace: 'kube-system' }));
        expect(fx.store.listEvents('kube-system').items.map((e) => e.message)).toEqual(['b']);
        expect(fx.store.listEvents('kube-system').items[0]!.metadata.namespace).toBe('kube-system');
        expect(fx.store.listEvents().items).toHaveLength(2);
      });
    });

    describe('timeline', () => {
      it('lists one pod’s entries by time, then insertion, optionally for one uid', () => {
        fx.open();
        fx.store.appendTimeline(timelineEntry('b', 20));
        fx.store.appendTimeline(timelineEntry('a', 10));
        fx.store.appendTimeline(timelineEntry('c', 20));
        fx.store.appendTimeline(timelineEntry('fraction', 10.5));
        fx.store.appendTimeline({ ...timelineEntry('new-uid', 5), podUid: 'uid-2' });
        fx.store.appendTimeline({ ...timelineEntry('other-pod', 1), pod: 'db' });
        expect(fx.store.listTimeline('default', 'web').map((e) => e.what)).toEqual(['new-uid', 'a', 'fraction', 'b', 'c']);
        expect(fx.store.listTimeline('default', 'web', 'uid-1').map((e) => e.what)).toEqual(['a', 'fraction', 'b', 'c']);
        expect(fx.store.listTimeline('default', 'web', 'uid-1')[1]).toEqual(timelineEntry('fraction', 10.5));
        expect(fx.store.listTimeline('default', 'nope')).toEqual([]);
      });
    });
  });
}
