import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent, Pod } from '../api/types.js';
import { FakeClock } from '../clock/fake-clock.js';
import type { StoreOptions } from './backed-pod-store.js';
import { StoreError, type PodStore, type TimelineEntry, type WatchEvent } from './pod-store.js';

/** How the suite gets a fresh, empty store of the implementation under test. */
export interface StoreHarness {
  open(clock: FakeClock, options?: StoreOptions): PodStore;
}

const T0 = Date.UTC(2026, 10, 29, 0, 34, 36, 250);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function aPod(name: string, patch: { namespace?: string; spec?: Partial<Pod['spec']>; phase?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: patch.namespace ?? 'default', labels: { app: name } },
    spec: {
      nodeName: 'hooklet',
      terminationGracePeriodSeconds: 30,
      containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }],
      ...patch.spec,
    },
    status: { phase: patch.phase ?? 'Running' },
  };
}

export function anEvent(reason: string, message: string, patch: Partial<CoreEvent['involvedObject']> = {}): CoreEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { namespace: patch.namespace ?? 'default' },
    involvedObject: {
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: 'default',
      name: 'web',
      uid: 'uid-web',
      fieldPath: 'spec.containers{app}',
      ...patch,
    },
    reason,
    message,
    type: 'Normal',
    eventTime: '2026-11-29T00:34:36.123456Z',
    source: { component: 'kubelet', host: 'hooklet' },
    reportingComponent: 'kubelet',
    reportingInstance: 'hooklet',
  };
}

function collect<T>(): { events: WatchEvent<T>[]; push: (e: WatchEvent<T>) => void } {
  const events: WatchEvent<T>[] = [];
  return { events, push: (e) => events.push(e) };
}

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err;
    throw err;
  }
  throw new Error('expected a StoreError');
}

/** The PodStore contract; every implementation runs it (STYLE.md 6). */
export function storeConformance(name: string, harness: StoreHarness): void {
  describe(`${name}: PodStore conformance`, () => {
    let clock: FakeClock;
    let store: PodStore;
    const open = (options?: StoreOptions): PodStore => {
      clock = new FakeClock(T0);
      store = harness.open(clock, options);
      return store;
    };
    afterEach(() => store.close());

    describe('create, get, list', () => {
      it('assigns uid, creationTimestamp (seconds), resourceVersion and generation 1', () => {
        open();
        const input = aPod('web');
        input.metadata = {
          ...input.metadata,
          uid: 'client-uid',
          resourceVersion: '77',
          deletionTimestamp: '2020-01-01T00:00:00Z',
          deletionGracePeriodSeconds: 3,
        };
        const created = store.createPod(input);
        expect(created.metadata.uid).toMatch(UUID);
        expect(created.metadata.creationTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(created.metadata.resourceVersion).toBe('1');
        expect(created.metadata.generation).toBe(1);
        expect(created.metadata.deletionTimestamp).toBeUndefined();
        expect(created.metadata.deletionGracePeriodSeconds).toBeUndefined();
        expect(created.status).toEqual({ phase: 'Running' });
        expect(store.getPod('default', 'web')).toEqual(created);
        expect(store.createPod(aPod('db')).metadata.uid).not.toBe(created.metadata.uid);
      });

      it('defaults the namespace and honours generateName', () => {
        open();
        const p = aPod('x');
        p.metadata = { generateName: 'job-' };
        const created = store.createPod(p);
        expect(created.metadata.namespace).toBe('default');
        expect(created.metadata.name).toMatch(/^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        p.metadata = {};
        expect(storeError(() => store.createPod(p)).reason).toBe('Invalid');
      });

      it('AlreadyExists on a name clash in the namespace, as the API server words it', () => {
        open();
        store.createPod(aPod('web'));
        const err = storeError(() => store.createPod(aPod('web')));
        expect(err.reason).toBe('AlreadyExists');
        expect(err.message).toBe('pods "web" already exists');
        expect(store.createPod(aPod('web', { namespace: 'other' })).metadata.namespace).toBe('other');
        expect(store.listPods().resourceVersion).toBe(2);
      });

      it('get of a missing pod is undefined; list is ordered by namespace then name, with the store RV', () => {
        open();
        expect(store.getPod('default', 'nope')).toBeUndefined();
        store.createPod(aPod('b'));
        store.createPod(aPod('a', { namespace: 'zz' }));
        store.createPod(aPod('a'));
        store.recordEvent(anEvent('Pulled', 'x'));
        const all = store.listPods();
        expect(all.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
          'default/a',
          'default/b',
          'zz/a',
        ]);
        // Events share the counter: the list RV is the store's, not the newest pod's.
        expect(all.resourceVersion).toBe(4);
        expect(store.listPods('zz').items.map((p) => p.metadata.name)).toEqual(['a']);
        expect(store.listPods('empty')).toEqual({ items: [], resourceVersion: 4 });
      });
    });

    describe('update', () => {
      it('replaces spec and metadata, keeps status and system fields, bumps RV; generation only on spec change', () => {
        open();
        const created = store.createPod(aPod('web'));
        store.updatePodStatus('default', 'web', created.metadata.uid!, { phase: 'Running', podIP: '127.0.0.1' });
        const labelled = store.updatePod({
          ...created,
          metadata: { ...created.metadata, labels: { tier: 'front' }, creationTimestamp: '1999-01-01T00:00:00Z' },
          status: { phase: 'Failed' },
        });
        expect(labelled.metadata.labels).toEqual({ tier: 'front' });
        expect(labelled.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
        expect(labelled.metadata.uid).toBe(created.metadata.uid);
        expect(labelled.metadata.generation).toBe(1);
        expect(labelled.metadata.resourceVersion).toBe('3');
        expect(labelled.status).toEqual({ phase: 'Running', podIP: '127.0.0.1' });

        const respec = store.updatePod({ ...labelled, spec: { ...labelled.spec, activeDeadlineSeconds: 60 } });
        expect(respec.metadata.generation).toBe(2);
        expect(respec.metadata.resourceVersion).toBe('4');
      });

      it('an update that changes nothing writes nothing (no RV bump, no watch event)', () => {
        open();
        const created = store.createPod(aPod('web'));
        const w = collect<Pod>();
        store.watchPods(undefined, w.push);
        const same = store.updatePod(JSON.parse(JSON.stringify(created)) as Pod);
        expect(same.metadata.resourceVersion).toBe('1');
        expect(store.updatePodStatus('default', 'web', created.metadata.uid!, { phase: 'Running' })).toEqual(created);
        expect(w.events).toEqual([]);
        expect(store.listPods().resourceVersion).toBe(1);
      });

      it('Conflict when expectedRV is stale, with the API server message', () => {
        open();
        const created = store.createPod(aPod('web'));
        store.updatePod({ ...created, metadata: { ...created.metadata, labels: { v: '2' } } }, '1');
        const err = storeError(() =>
          store.updatePod({ ...created, metadata: { ...created.metadata, labels: { v: '3' } } }, '1'),
        );
        expect(err.reason).toBe('Conflict');
        expect(err.message).toBe(
          'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
        );
        expect(store.getPod('default', 'web')!.metadata.labels).toEqual({ v: '2' });
      });

      it('NotFound for a missing pod; an update cannot change the uid', () => {
        open();
        const err = storeError(() => store.updatePod(aPod('ghost')));
        expect(err.reason).toBe('NotFound');
        expect(err.message).toBe('pods "ghost" not found');
        const created = store.createPod(aPod('web'));
        const bad = storeError(() => store.updatePod({ ...created, metadata: { ...created.metadata, uid: 'other' } }));
        expect(bad.reason).toBe('Invalid');
      });

      it('updatePodStatus replaces status only, and only for the same uid', () => {
        open();
        const created = store.createPod(aPod('web'));
        const uid = created.metadata.uid!;
        const updated = store.updatePodStatus('default', 'web', uid, { phase: 'Succeeded' });
        expect(updated?.status).toEqual({ phase: 'Succeeded' });
        expect(updated?.spec).toEqual(created.spec);
        expect(updated?.metadata.resourceVersion).toBe('2');
        expect(store.updatePodStatus('default', 'web', 'another-uid', { phase: 'Failed' })).toBeUndefined();
        expect(store.updatePodStatus('default', 'gone', uid, { phase: 'Failed' })).toBeUndefined();
        expect(store.getPod('default', 'web')?.status).toEqual({ phase: 'Succeeded' });
        expect(store.listPods().resourceVersion).toBe(2);
      });

      it('a write that cannot be applied leaves nothing behind (no RV bump)', () => {
        open();
        store.createPod(aPod('web'));
        expect(() => store.createPod(aPod('web'))).toThrow(StoreError);
        expect(() => store.deletePod('default', 'nope')).toThrow(StoreError);
        expect(store.createPod(aPod('db')).metadata.resourceVersion).toBe('2');
      });
    });

    describe('copies', () => {
      it('neither the input nor any returned object aliases stored state', () => {
        open();
        const input = aPod('web');
        const created = store.createPod(input);
        const w = collect<Pod>();
        store.watchPods(0, w.push);
        input.metadata.labels!.app = 'mutated-input';
        created.spec.containers[0]!.image = 'mutated-return';
        store.getPod('default', 'web')!.metadata.labels!.app = 'mutated-get';
        store.listPods().items[0]!.status!.phase = 'Failed';
        w.events[0]!.object.metadata.labels!.app = 'mutated-watch';
        const status = { phase: 'Running' as const, podIP: '10.0.0.1' };
        store.updatePodStatus('default', 'web', created.metadata.uid!, status);
        status.podIP = 'mutated-status';
        const stored = store.getPod('default', 'web')!;
        expect(stored.metadata.labels).toEqual({ app: 'web' });
        expect(stored.spec.containers[0]!.image).toBe('busybox:1.36');
        expect(stored.status).toEqual({ phase: 'Running', podIP: '10.0.0.1' });

        const ev = anEvent('Pulled', 'pulled');
        const recorded = store.recordEvent(ev);
        ev.message = 'mutated';
        recorded.reason = 'mutated';
        expect(store.listEvents().items[0]).toMatchObject({ reason: 'Pulled', message: 'pulled' });

        const entry = timelineEntry('started', 1);
        store.appendTimeline(entry);
        entry.what = 'mutated';
        store.listTimeline('default', 'web')[0]!.what = 'mutated-too';
        expect(store.listTimeline('default', 'web')[0]!.what).toBe('started');
      });
    });

    describe('R4.1 graceful delete', () => {
      it('R4.1: an explicit gracePeriodSeconds wins; deletionTimestamp = now + period, truncated to seconds; object stays', () => {
        open();
        const created = store.createPod(aPod('web'));
        const w = collect<Pod>();
        store.watchPods(undefined, w.push);
        const out = store.deletePod('default', 'web', 10);
        expect(out.removed).toBe(false);
        expect(out.pod.metadata.deletionTimestamp).toBe('2026-11-29T00:34:46Z');
        expect(out.pod.metadata.deletionGracePeriodSeconds).toBe(10);
        // rest.BeforeDelete bumps a set generation on the first graceful delete.
        expect(out.pod.metadata.generation).toBe(2);
        expect(out.pod.metadata.resourceVersion).toBe('2');
        expect(w.events.map((e) => e.type)).toEqual(['MODIFIED']);
        expect(store.getPod('default', 'web')).toEqual(out.pod);
        expect(out.pod.metadata.uid).toBe(created.metadata.uid);
      });

      it('R4.1: without gracePeriodSeconds the spec terminationGracePeriodSeconds applies; `now` may be given', () => {
        open();
        store.createPod(aPod('web', { spec: { terminationGracePeriodSeconds: 45 } }));
        const out = store.deletePod('default', 'web', undefined, new Date('2026-12-01T10:00:00.900Z'));
        expect(out.pod.metadata.deletionGracePeriodSeconds).toBe(45);
        expect(out.pod.metadata.deletionTimestamp).toBe('2026-12-01T10:00:45Z');
      });

      it('R4.1: no grace anywhere means 0: removed at once (DELETED)', () => {
        open();
        store.createPod(aPod('web', { spec: { terminationGracePeriodSeconds: undefined } }));
        const w = collect<Pod>();
        store.watchPods(undefined, w.push);
        const out = store.deletePod('default', 'web');
        expect(out.removed).toBe(true);
        expect(out.pod.metadata.deletionGracePeriodSeconds).toBe(0);
        expect(store.getPod('default', 'web')).toBeUndefined();
        expect(w.events.map((e) => e.type)).toEqual(['DELETED']);
      });

      it('R4.1: an unscheduled pod (empty spec.nodeName) is removed at once, whatever the grace', () => {
        open();
        store.createPod(aPod('web', { spec: { nodeName: '' } }));
        expect(store.deletePod('default', 'web', 30).removed).toBe(true);
        expect(store.getPod('default', 'web')).toBeUndefined();
      });

      it.each(['Succeeded', 'Failed'])('R4.1: a %s pod is removed at once, whatever the grace', (phase) => {
        open();
        store.createPod(aPod('web', { phase }));
        expect(store.deletePod('default', 'web', 30).removed).toBe(true);
        expect(store.getPod('default', 'web')).toBeUndefined();
      });

      it('R4.1 V10: a negative gracePeriodSeconds becomes 1', () => {
        open();
        store.createPod(aPod('web'));
        const out = store.deletePod('default', 'web', -5);
        expect(out.removed).toBe(false);
        expect(out.pod.metadata.deletionGracePeriodSeconds).toBe(1);
        expect(out.pod.metadata.deletionTimestamp).toBe('2026-11-29T00:34:37Z');
      });

      it('R4.1 V10: a negative spec terminationGracePeriodSeconds becomes 1', () => {
        open();
        store.createPod(aPod('web', { spec: { terminationGracePeriodSeconds: -3 } }));
        expect(store.deletePod('default', 'web').pod.metadata.deletionGracePeriodSeconds).toBe(1);
      });

      it('R4.1: grace 0 (force) removes now; the DELETED object carries its last state with a new RV', () => {
        open();
        const created = store.createPod(aPod('web'));
        const w = collect<Pod>();
        store.watchPods(undefined, w.push);
        const out = store.deletePod('default', 'web', 0);
        expect(out.removed).toBe(true);
        expect(out.pod.metadata.uid).toBe(created.metadata.uid);
        expect(out.pod.metadata.deletionTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(out.pod.metadata.deletionGracePeriodSeconds).toBe(0);
        expect(out.pod.metadata.resourceVersion).toBe('2');
        expect(w.events).toEqual([{ type: 'DELETED', object: out.pod, resourceVersion: 2 }]);
        expect(store.listPods()).toEqual({ items: [], resourceVersion: 2 });
        expect(storeError(() => store.deletePod('default', 'web')).message).toBe('pods "web" not found');
      });

      it('R4.1 timeline (d): a strictly shorter second delete sets grace 5 and deletionTimestamp = t0 + 5, even in the past', () => {
        open();
        store.createPod(aPod('web'));
        const first = store.deletePod('default', 'web', 30);
        expect(first.pod.metadata.deletionTimestamp).toBe('2026-11-29T00:35:06Z');
        const second = store.deletePod('default', 'web', 5, new Date(T0 + 10_000));
        expect(second.removed).toBe(false);
        expect(second.pod.metadata.deletionGracePeriodSeconds).toBe(5);
        // oldTimestamp − oldGrace + new = t0 (truncated) + 5, already before "now".
        expect(second.pod.metadata.deletionTimestamp).toBe('2026-11-29T00:34:41Z');
        expect(second.pod.metadata.generation).toBe(2);
        expect(second.pod.metadata.resourceVersion).toBe('3');
      });

      it('R4.1: a second delete with an equal, longer or no grace is ignored: no write, no RV bump', () => {
        open();
        store.createPod(aPod('web'));
        const first = store.deletePod('default', 'web', 20).pod;
        const w = collect<Pod>();
        store.watchPods(undefined, w.push);
        for (const grace of [20, 60, undefined]) {
          const out = store.deletePod('default', 'web', grace);
          expect(out).toEqual({ pod: first, removed: false });
        }
        expect(w.events).toEqual([]);
        expect(store.listPods().resourceVersion).toBe(2);
      });

      it('R4.1: a second delete with grace 0 while terminating removes the object now', () => {
        open();
        store.createPod(aPod('web'));
        store.deletePod('default', 'web', 30);
        const out = store.deletePod('default', 'web', 0);
        expect(out.removed).toBe(true);
        expect(out.pod.metadata.deletionGracePeriodSeconds).toBe(0);
        expect(out.pod.metadata.deletionTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(store.getPod('default', 'web')).toBeUndefined();
      });

      it('R4.1: deletePod of a missing pod is NotFound', () => {
        open();
        const err = storeError(() => store.deletePod('default', 'ghost', 30));
        expect([err.reason, err.message]).toEqual(['NotFound', 'pods "ghost" not found']);
      });

      it('R4.1: the terminating pod stays, whatever the clock says, until removePod (the kubelet is done)', async () => {
        open();
        const created = store.createPod(aPod('web'));
        store.deletePod('default', 'web', 1);
        await clock.advance(120_000);
        expect(store.getPod('default', 'web')?.metadata.deletionTimestamp).toBeDefined();
        const w = collect<Pod>();
        store.watchPods(undefined, w.push);
        expect(store.removePod('default', 'web', 'other-uid')).toBeUndefined();
        expect(w.events).toEqual([]);
        const removed = store.removePod('default', 'web', created.metadata.uid!);
        expect(removed?.metadata.resourceVersion).toBe('3');
        expect(removed?.metadata.deletionGracePeriodSeconds).toBe(1);
        expect(w.events).toEqual([{ type: 'DELETED', object: removed, resourceVersion: 3 }]);
        expect(store.getPod('default', 'web')).toBeUndefined();
        expect(store.removePod('default', 'web', created.metadata.uid!)).toBeUndefined();
        expect(store.listPods().resourceVersion).toBe(3);
      });
    });

    describe('watch', () => {
      it('fromRV undefined delivers only future changes', () => {
        open();
        store.createPod(aPod('before'));
        const w = collect<Pod>();
        store.watchPods(undefined, w.push);
        store.createPod(aPod('after'));
        expect(w.events.map((e) => [e.type, e.object.metadata.name, e.resourceVersion])).toEqual([
          ['ADDED', 'after', 2],
        ]);
      });

      it('replays every change after fromRV, then continues live, in RV order', () => {
        open();
        const a = store.createPod(aPod('a'));
        store.createPod(aPod('b'));
        store.updatePodStatus('default', 'a', a.metadata.uid!, { phase: 'Succeeded' });
        store.recordEvent(anEvent('Pulled', 'not a pod'));
        store.deletePod('default', 'b', 0);
        const w = collect<Pod>();
        store.watchPods(1, w.push);
        // Replay has happened before watchPods returned.
        expect(w.events.map((e) => [e.type, e.object.metadata.name, e.resourceVersion])).toEqual([
          ['ADDED', 'b', 2],
          ['MODIFIED', 'a', 3],
          ['DELETED', 'b', 5],
        ]);
        store.createPod(aPod('c'));
        expect(w.events.at(-1)).toMatchObject({ type: 'ADDED', resourceVersion: 6 });
        for (const e of w.events) expect(e.object.metadata.resourceVersion).toBe(String(e.resourceVersion));
        const fromZero = collect<Pod>();
        store.watchPods(0, fromZero.push);
        expect(fromZero.events.map((e) => e.resourceVersion)).toEqual([1, 2, 3, 5, 6]);
        const fromNow = collect<Pod>();
        store.watchPods(6, fromNow.push);
        expect(fromNow.events).toEqual([]);
      });

      it('writes made inside a callback reach every watcher after the current change, in order', () => {
        open();
        const seen: Record<string, number[]> = { first: [], second: [] };
        store.watchPods(undefined, (e) => {
          seen.first!.push(e.resourceVersion);
          if (e.object.metadata.name === 'a') store.createPod(aPod('from-callback'));
        });
        store.watchPods(undefined, (e) => seen.second!.push(e.resourceVersion));
        store.createPod(aPod('a'));
        expect(seen).toEqual({ first: [1, 2], second: [1, 2] });
      });

      it('Gone (410) for a fromRV older than the replay window, with the API server message', () => {
        open({ replayWindow: 3 });
        for (const n of ['a', 'b', 'c', 'd', 'e']) store.createPod(aPod(n));
        const err = storeError(() => store.watchPods(1, () => undefined));
        expect(err.reason).toBe('Gone');
        expect(err.message).toBe('too old resource version: 1 (2)');
        const w = collect<Pod>();
        store.watchPods(2, w.push);
        expect(w.events.map((e) => e.resourceVersion)).toEqual([3, 4, 5]);
      });

      it('a throwing watcher neither breaks the write nor starves the other watchers', () => {
        const errors: unknown[] = [];
        open({ onWatcherError: (err) => errors.push(err) });
        store.watchPods(undefined, () => {
          throw new Error('boom');
        });
        const w = collect<Pod>();
        store.watchPods(undefined, w.push);
        const created = store.createPod(aPod('a'));
        store.createPod(aPod('b'));
        expect(created.metadata.resourceVersion).toBe('1');
        expect(w.events.map((e) => e.object.metadata.name)).toEqual(['a', 'b']);
        expect(errors).toHaveLength(2);
        expect(store.listPods().items).toHaveLength(2);
      });

      it('unsubscribing stops delivery', () => {
        open();
        const w = collect<Pod>();
        const stop = store.watchPods(undefined, w.push);
        store.createPod(aPod('a'));
        stop();
        stop();
        store.createPod(aPod('b'));
        expect(w.events).toHaveLength(1);
      });

      it('events have their own watch: ADDED, then MODIFIED on a duplicate, replayable from an RV', () => {
        open();
        store.createPod(aPod('web'));
        const w = collect<CoreEvent>();
        store.watchEvents(undefined, w.push);
        const first = store.recordEvent(anEvent('Killing', 'Stopping container app'));
        const again = store.recordEvent(anEvent('Killing', 'Stopping container app'));
        expect(w.events.map((e) => [e.type, e.resourceVersion])).toEqual([
          ['ADDED', 2],
          ['MODIFIED', 3],
        ]);
        expect(w.events[1]!.object).toEqual(again);
        const replay = collect<CoreEvent>();
        store.watchEvents(0, replay.push);
        expect(replay.events.map((e) => e.object.metadata.name)).toEqual([first.metadata.name, first.metadata.name]);
      });
    });

    describe('events', () => {
      it('fills name, namespace, uid, RV, timestamps; keeps eventTime as given', () => {
        open();
        const ev = store.recordEvent(anEvent('Started', 'Started container app'));
        expect(ev.metadata.name).toMatch(/^web\.[0-9a-f]{16}$/);
        expect(ev.metadata.namespace).toBe('default');
        expect(ev.metadata.uid).toMatch(UUID);
        expect(ev.metadata.resourceVersion).toBe('1');
        expect(ev.metadata.creationTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(ev.firstTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(ev.lastTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(ev.eventTime).toBe('2026-11-29T00:34:36.123456Z');
        expect(ev.count).toBe(1);
        expect(store.listEvents()).toEqual({ items: [ev], resourceVersion: 1 });
        // Two events in the same instant still get distinct names.
        const other = store.recordEvent(anEvent('Created', 'Created container: app'));
        expect(other.metadata.name).not.toBe(ev.metadata.name);
      });

      it('a duplicate increments count and moves lastTimestamp, keeping the name (client-go correlator)', async () => {
        open();
        const first = store.recordEvent(anEvent('BackOff', 'Back-off restarting failed container app'));
        await clock.advance(12_000);
        const second = store.recordEvent(anEvent('BackOff', 'Back-off restarting failed container app'));
        await clock.advance(20_000);
        const third = store.recordEvent(anEvent('BackOff', 'Back-off restarting failed container app'));
        expect(third.metadata.name).toBe(first.metadata.name);
        expect(third.metadata.uid).toBe(first.metadata.uid);
        expect(second.count).toBe(2);
        expect(third.count).toBe(3);
        expect(third.firstTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(third.lastTimestamp).toBe('2026-11-29T00:35:08Z');
        expect(third.metadata.resourceVersion).toBe('3');
        expect(store.listEvents().items).toEqual([third]);
      });

      it('differing message, reason, type, fieldPath, uid or source make a new event', () => {
        open();
        const base = anEvent('Killing', 'Stopping container app');
        store.recordEvent(base);
        store.recordEvent({ ...base, message: 'Stopping container other' });
        store.recordEvent({ ...base, reason: 'Preempting' });
        store.recordEvent({ ...base, type: 'Warning' });
        store.recordEvent({ ...base, involvedObject: { ...base.involvedObject, fieldPath: 'spec.containers{b}' } });
        store.recordEvent({ ...base, involvedObject: { ...base.involvedObject, uid: 'uid-web-2' } });
        store.recordEvent({ ...base, source: { component: 'hooklet', host: 'hooklet' } });
        store.recordEvent(base);
        const items = store.listEvents().items;
        expect(items).toHaveLength(7);
        expect(items.map((e) => e.count).sort()).toEqual([1, 1, 1, 1, 1, 1, 2]);
      });

      it('lists by namespace', () => {
        open();
        store.recordEvent(anEvent('Pulled', 'a'));
        store.recordEvent(anEvent('Pulled', 'b', { namespace: 'kube-system' }));
        expect(store.listEvents('kube-system').items.map((e) => e.message)).toEqual(['b']);
        expect(store.listEvents('kube-system').items[0]!.metadata.namespace).toBe('kube-system');
        expect(store.listEvents().items).toHaveLength(2);
      });
    });

    describe('timeline', () => {
      it('lists one pod’s entries by time, then insertion, optionally for one uid', () => {
        open();
        store.appendTimeline(timelineEntry('b', 20));
        store.appendTimeline(timelineEntry('a', 10));
        store.appendTimeline(timelineEntry('c', 20));
        store.appendTimeline(timelineEntry('fraction', 10.5));
        store.appendTimeline({ ...timelineEntry('new-uid', 5), podUid: 'uid-2' });
        store.appendTimeline({ ...timelineEntry('other-pod', 1), pod: 'db' });
        expect(store.listTimeline('default', 'web').map((e) => e.what)).toEqual(['new-uid', 'a', 'fraction', 'b', 'c']);
        expect(store.listTimeline('default', 'web', 'uid-1').map((e) => e.what)).toEqual(['a', 'fraction', 'b', 'c']);
        expect(store.listTimeline('default', 'web', 'uid-1')[1]).toEqual(timelineEntry('fraction', 10.5));
        expect(store.listTimeline('default', 'nope')).toEqual([]);
      });
    });
  });
}

export function timelineEntry(what: string, offsetMs: number): TimelineEntry {
  const timeMs = T0 + offsetMs;
  return {
    kind: 'TimelineEntry',
    time: new Date(timeMs).toISOString(),
    timeMs,
    namespace: 'default',
    pod: 'web',
    podUid: 'uid-1',
    container: 'app',
    what,
  };
}
