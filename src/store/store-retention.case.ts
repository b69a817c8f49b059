import { describe, expect, it } from 'vitest';
import type { WatchEvent } from './pod-store.js';
import type { CoreEvent } from '../api/types.js';
import { aPod, anEvent, storeFixture, T0, timelineEntry, type StoreHarness } from './store-conformance.case.js';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Retention (PodStore.expire): every implementation runs it beside the conformance suite. */
export function storeRetention(name: string, harness: StoreHarness): void {
  describe(`${name}: retention (expire)`, () => {
    const fx = storeFixture(harness);

    it('deletes events an hour after their last occurrence, as the API server’s --event-ttl, and tells watchers', async () => {
      fx.open();
      const old = fx.store.recordEvent(anEvent('Started', 'Started container app'));
      await fx.clock.advance(40 * MINUTE);
      const recent = fx.store.recordEvent(anEvent('Killing', 'Stopping container app'));
      const repeated = fx.store.recordEvent(anEvent('BackOff', 'Back-off restarting failed container'));
      await fx.clock.advance(19 * MINUTE);
      fx.store.recordEvent(anEvent('BackOff', 'Back-off restarting failed container')); // a new occurrence renews it
      const seen: WatchEvent<CoreEvent>[] = [];
      fx.store.watchEvents(undefined, (e) => seen.push(e));

      await fx.clock.advance(2 * MINUTE); // the first event is now 61 min old, the others 21 and 2 min
      expect(fx.store.expire().events).toBe(1);
      expect(fx.store.listEvents().items.map((e) => e.metadata.name).sort()).toEqual([recent.metadata.name, repeated.metadata.name].sort());
      expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([`DELETED ${old.metadata.name}`]);

      await fx.clock.advance(40 * MINUTE); // Killing 61 min, BackOff's last occurrence 42 min
      expect(fx.store.expire().events).toBe(1);
      expect(fx.store.listEvents().items.map((e) => e.reason)).toEqual(['BackOff']);
    });

    it('drops a deleted pod’s whole timeline a day after its last entry, never a live pod’s', async () => {
      fx.open();
      const live = fx.store.createPod(aPod('web'));
      const liveUid = live.metadata.uid!;
      const entry = (uid: string, what: string) => ({ ...timelineEntry(what, fx.clock.now() - T0), podUid: uid });
      fx.store.appendTimeline(entry(liveUid, 'pod.added'));
      fx.store.appendTimeline(entry('gone-uid', 'pod.added'));
      await fx.clock.advance(23 * HOUR);
      fx.store.appendTimeline(entry('gone-uid', 'pod.removed'));
      fx.store.appendTimeline(entry('older-uid', 'pod.added')); // also gone, but its last entry is recent
      await fx.clock.advance(2 * HOUR);

      // 'gone-uid' began 25 h ago but ended 2 h ago: kept whole.
      expect(fx.store.expire().podTimelines).toBe(0);
      expect(fx.store.listTimeline('default', 'web', 'gone-uid').map((e) => e.what)).toEqual(['pod.added', 'pod.removed']);

      await fx.clock.advance(23 * HOUR);
      expect(fx.store.expire().podTimelines).toBe(2);
      expect(fx.store.listTimeline('default', 'web', 'gone-uid')).toEqual([]);
      expect(fx.store.listTimeline('default', 'web', 'older-uid')).toEqual([]);
      // The live pod's timeline stays, however old.
      expect(fx.store.listTimeline('default', 'web', liveUid).map((e) => e.what)).toEqual(['pod.added']);
      expect(fx.store.expire()).toEqual({ events: 0, podTimelines: 0 });
    });
  });
}
