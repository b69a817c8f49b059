import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import type { PodStore, WatchEvent } from './pod-store.js';
import type { CoreEvent } from '../api/types.js';
import { aPod, anEvent, timelineEntry, type StoreHarness } from './store-conformance.case.js';

const T0 = Date.UTC(2026, 10, 29, 0, 34, 36, 250);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Retention (PodStore.expire): every implementation runs it beside the conformance suite. */
export function storeRetention(name: string, harness: StoreHarness): void {
  describe(`${name}: retention (expire)`, () => {
    let clock: FakeClock;
    let store: PodStore;
    const open = (): PodStore => {
      clock = new FakeClock(T0);
      store = harness.open(clock);
      return store;
    };
    afterEach(() => store.close());

    it('deletes events an hour after their last occurrence, as the API server’s --event-ttl, and tells watchers', async () => {
      open();
      const old = store.recordEvent(anEvent('Started', 'Started container app'));
      await clock.advance(40 * MINUTE);
      const recent = store.recordEvent(anEvent('Killing', 'Stopping container app'));
      const repeated = store.recordEvent(anEvent('BackOff', 'Back-off restarting failed container'));
      await clock.advance(19 * MINUTE);
      store.recordEvent(anEvent('BackOff', 'Back-off restarting failed container')); // a new occurrence renews it
      const seen: WatchEvent<CoreEvent>[] = [];
      store.watchEvents(undefined, (e) => seen.push(e));

      await clock.advance(2 * MINUTE); // the first event is now 61 min old, the others 21 and 2 min
      expect(store.expire().events).toBe(1);
      expect(store.listEvents().items.map((e) => e.metadata.name).sort()).toEqual([recent.metadata.name, repeated.metadata.name].sort());
      expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([`DELETED ${old.metadata.name}`]);

      await clock.advance(40 * MINUTE); // Killing 61 min, BackOff's last occurrence 42 min
      expect(store.expire().events).toBe(1);
      expect(store.listEvents().items.map((e) => e.reason)).toEqual(['BackOff']);
    });

    it('drops a deleted pod’s whole timeline a day after its last entry, never a live pod’s', async () => {
      open();
      const live = store.createPod(aPod('web'));
      const liveUid = live.metadata.uid!;
      const entry = (uid: string, what: string) => ({ ...timelineEntry(what, clock.now() - T0), podUid: uid });
      store.appendTimeline(entry(liveUid, 'pod.added'));
      store.appendTimeline(entry('gone-uid', 'pod.added'));
      await clock.advance(23 * HOUR);
      store.appendTimeline(entry('gone-uid', 'pod.removed'));
      store.appendTimeline(entry('older-uid', 'pod.added')); // also gone, but its last entry is recent
      await clock.advance(2 * HOUR);

      // 'gone-uid' began 25 h ago but ended 2 h ago: kept whole.
      expect(store.expire().podTimelines).toBe(0);
      expect(store.listTimeline('default', 'web', 'gone-uid').map((e) => e.what)).toEqual(['pod.added', 'pod.removed']);

      await clock.advance(23 * HOUR);
      expect(store.expire().podTimelines).toBe(2);
      expect(store.listTimeline('default', 'web', 'gone-uid')).toEqual([]);
      expect(store.listTimeline('default', 'web', 'older-uid')).toEqual([]);
      // The live pod's timeline stays, however old.
      expect(store.listTimeline('default', 'web', liveUid).map((e) => e.what)).toEqual(['pod.added']);
      expect(store.expire()).toEqual({ events: 0, podTimelines: 0 });
    });
  });
}
