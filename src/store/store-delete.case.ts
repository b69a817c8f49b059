import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.js';
import { aPod, collect, storeError, storeFixture, T0, type StoreHarness } from './store-conformance.case.js';

/** The PodStore contract, part 2: R4.1 graceful delete (see storeConformance). */
export function storeDeleteConformance(name: string, harness: StoreHarness): void {
  describe(`${name}: PodStore conformance`, () => {
    const fx = storeFixture(harness);
    describe('R4.1 graceful delete', () => {
      it('R4.1: an explicit gracePeriodSeconds wins; deletionTimestamp = now + period, truncated to seconds; object stays', () => {
        fx.open();
        const created = fx.store.createPod(aPod('web'));
        const w = collect<Pod>();
        fx.store.watchPods(undefined, w.push);
        const out = fx.store.deletePod('default', 'web', 10);
        expect(out.removed).toBe(false);
        expect(out.pod.metadata.deletionTimestamp).toBe('2026-11-29T00:34:46Z');
        expect(out.pod.metadata.deletionGracePeriodSeconds).toBe(10);
        // rest.BeforeDelete bumps a set generation on the first graceful delete.
        expect(out.pod.metadata.generation).toBe(2);
        expect(out.pod.metadata.resourceVersion).toBe('2');
        expect(w.events.map((e) => e.type)).toEqual(['MODIFIED']);
        expect(fx.store.getPod('default', 'web')).toEqual(out.pod);
        expect(out.pod.metadata.uid).toBe(created.metadata.uid);
      });

      it('R4.1: without gracePeriodSeconds the spec terminationGracePeriodSeconds applies; `now` may be given', () => {
        fx.open();
        fx.store.createPod(aPod('web', { spec: { terminationGracePeriodSeconds: 45 } }));
        const out = fx.store.deletePod('default', 'web', undefined, new Date('2026-12-01T10:00:00.900Z'));
        expect(out.pod.metadata.deletionGracePeriodSeconds).toBe(45);
        expect(out.pod.metadata.deletionTimestamp).toBe('2026-12-01T10:00:45Z');
      });

      it('R4.1: no grace anywhere means 0: removed at once (DELETED)', () => {
        fx.open();
        fx.store.createPod(aPod('web', { spec: { terminationGracePeriodSeconds: undefined } }));
        const w = collect<Pod>();
        fx.store.watchPods(undefined, w.push);
        const out = fx.store.deletePod('default', 'web');
        expect(out.removed).toBe(true);
        expect(out.pod.metadata.deletionGracePeriodSeconds).toBe(0);
        expect(fx.store.getPod('default', 'web')).toBeUndefined();
        expect(w.events.map((e) => e.type)).toEqual(['DELETED']);
      });

      it('R4.1: an unscheduled pod (empty spec.nodeName) is removed at once, whatever the grace', () => {
        fx.open();
        fx.store.createPod(aPod('web', { spec: { nodeName: '' } }));
        expect(fx.store.deletePod('default', 'web', 30).removed).toBe(true);
        expect(fx.store.getPod('default', 'web')).toBeUndefined();
      });

      it.each(['Succeeded', 'Failed'])('R4.1: a %s pod is removed at once, whatever the grace', (phase) => {
        fx.open();
        fx.store.createPod(aPod('web', { phase }));
        expect(fx.store.deletePod('default', 'web', 30).removed).toBe(true);
        expect(fx.store.getPod('default', 'web')).toBeUndefined();
      });

      it('R4.1 V10: a negative gracePeriodSeconds becomes 1', () => {
        fx.open();
        fx.store.createPod(aPod('web'));
        const out = fx.store.deletePod('default', 'web', -5);
        expect(out.removed).toBe(false);
        expect(out.pod.metadata.deletionGracePeriodSeconds).toBe(1);
        expect(out.pod.metadata.deletionTimestamp).toBe('2026-11-29T00:34:37Z');
      });

      it('R4.1 V10: a negative spec terminationGracePeriodSeconds becomes 1', () => {
        fx.open();
        fx.store.createPod(aPod('web', { spec: { terminationGracePeriodSeconds: -3 } }));
        expect(fx.store.deletePod('default', 'web').pod.metadata.deletionGracePeriodSeconds).toBe(1);
      });

      it('R4.1: grace 0 (force) removes now; the DELETED object carries its last state with a new RV', () => {
        fx.open();
        const created = fx.store.createPod(aPod('web'));
        const w = collect<Pod>();
        fx.store.watchPods(undefined, w.push);
        const out = fx.store.deletePod('default', 'web', 0);
        expect(out.removed).toBe(true);
        expect(out.pod.metadata.uid).toBe(created.metadata.uid);
        expect(out.pod.metadata.deletionTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(out.pod.metadata.deletionGracePeriodSeconds).toBe(0);
        expect(out.pod.metadata.resourceVersion).toBe('2');
        expect(w.events).toEqual([{ type: 'DELETED', object: out.pod, resourceVersion: 2 }]);
        expect(fx.store.listPods()).toEqual({ items: [], resourceVersion: 2 });
        expect(storeError(() => fx.store.deletePod('default', 'web')).message).toBe('pods "web" not found');
      });

      it('R4.1 timeline (d): a strictly shorter second delete sets grace 5 and deletionTimestamp = t0 + 5, even in the past', () => {
        fx.open();
        fx.store.createPod(aPod('web'));
        const first = fx.store.deletePod('default', 'web', 30);
        expect(first.pod.metadata.deletionTimestamp).toBe('2026-11-29T00:35:06Z');
        const second = fx.store.deletePod('default', 'web', 5, new Date(T0 + 10_000));
        expect(second.removed).toBe(false);
        expect(second.pod.metadata.deletionGracePeriodSeconds).toBe(5);
        // oldTimestamp − oldGrace + new = t0 (truncated) + 5, already before "now".
        expect(second.pod.metadata.deletionTimestamp).toBe('2026-11-29T00:34:41Z');
        expect(second.pod.metadata.generation).toBe(2);
        expect(second.pod.metadata.resourceVersion).toBe('3');
      });

      it('R4.1: a second delete with an equal, longer or no grace is ignored: no write, no RV bump', () => {
        fx.open();
        fx.store.createPod(aPod('web'));
        const first = fx.store.deletePod('default', 'web', 20).pod;
        const w = collect<Pod>();
        fx.store.watchPods(undefined, w.push);
        for (const grace of [20, 60, undefined]) {
          const out = fx.store.deletePod('default', 'web', grace);
          expect(out).toEqual({ pod: first, removed: false });
        }
        expect(w.events).toEqual([]);
        expect(fx.store.listPods().resourceVersion).toBe(2);
      });

      it('R4.1: a second delete with grace 0 while terminating removes the object now', () => {
        fx.open();
        fx.store.createPod(aPod('web'));
        fx.store.deletePod('default', 'web', 30);
        const out = fx.store.deletePod('default', 'web', 0);
        expect(out.removed).toBe(true);
        expect(out.pod.metadata.deletionGracePeriodSeconds).toBe(0);
        expect(out.pod.metadata.deletionTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(fx.store.getPod('default', 'web')).toBeUndefined();
      });

      it('R4.1: deletePod of a missing pod is NotFound', () => {
        fx.open();
        const err = storeError(() => fx.store.deletePod('default', 'ghost', 30));
        expect([err.reason, err.message]).toEqual(['NotFound', 'pods "ghost" not found']);
      });

      it('R4.1: the terminating pod stays, whatever the clock says, until removePod (the kubelet is done)', async () => {
        fx.open();
        const created = fx.store.createPod(aPod('web'));
        fx.store.deletePod('default', 'web', 1);
        await fx.clock.advance(120_000);
        expect(fx.store.getPod('default', 'web')?.metadata.deletionTimestamp).toBeDefined();
        const w = collect<Pod>();
        fx.store.watchPods(undefined, w.push);
        expect(fx.store.removePod('default', 'web', 'other-uid')).toBeUndefined();
        expect(w.events).toEqual([]);
        const removed = fx.store.removePod('default', 'web', created.metadata.uid!);
        expect(removed?.metadata.resourceVersion).toBe('3');
        expect(removed?.metadata.deletionGracePeriodSeconds).toBe(1);
        expect(w.events).toEqual([{ type: 'DELETED', object: removed, resourceVersion: 3 }]);
        expect(fx.store.getPod('default', 'web')).toBeUndefined();
        expect(fx.store.removePod('default', 'web', created.metadata.uid!)).toBeUndefined();
        expect(fx.store.listPods().resourceVersion).toBe(3);
      });
    });

  });
}
