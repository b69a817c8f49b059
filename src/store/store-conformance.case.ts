import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent, Pod } from '../api/types.js';
import { FakeClock } from '../clock/fake-clock.js';
import type { StoreOptions } from './backed-pod-store.js';
import { StoreError, type PodStore, type TimelineEntry, type WatchEvent } from './pod-store.js';

/** How the suite gets a fresh, empty store of the implementation under test. */
export interface StoreHarness {
  open(clock: FakeClock, options?: StoreOptions): PodStore;
}

export const T0 = Date.UTC(2026, 10, 29, 0, 34, 36, 250);
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

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

export function collect<T>(): { events: WatchEvent<T>[]; push: (e: WatchEvent<T>) => void } {
  const events: WatchEvent<T>[] = [];
  return { events, push: (e) => events.push(e) };
}

export function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err;
    throw err;
  }
  throw new Error('expected a StoreError');
}

/** A fresh store per test, closed after it: `fx.open()` makes it, `fx.store` and `fx.clock` are the current ones. */
export function storeFixture(harness: StoreHarness): { open(options?: StoreOptions): PodStore; readonly store: PodStore; readonly clock: FakeClock } {
  let clock: FakeClock | undefined;
  let store: PodStore | undefined;
  afterEach(() => {
    store?.close();
    store = undefined;
  });
  return {
    open(options?: StoreOptions): PodStore {
      clock = new FakeClock(T0);
      store = harness.open(clock, options);
      return store;
    },
    get store(): PodStore {
      if (!store) throw new Error('open() the store first');
      return store;
    },
    get clock(): FakeClock {
      if (!clock) throw new Error('open() the store first');
      return clock;
    },
  };
}

/**
 * The PodStore contract, part 1: create, get, list, update, copies; every
 * implementation runs it with parts 2 and 3 (store-delete.case.ts,
 * store-watch.case.ts) and the retention suite (STYLE.md 6).
 */
export function storeConformance(name: string, harness: StoreHarness): void {
  describe(`${name}: PodStore conformance`, () => {
    const fx = storeFixture(harness);

    describe('create, get, list', () => {
      it('assigns uid, creationTimestamp (seconds), resourceVersion and generation 1', () => {
        fx.open();
        const input = aPod('web');
        input.metadata = {
          ...input.metadata,
          uid: 'client-uid',
          resourceVersion: '77',
          deletionTimestamp: '2020-01-01T00:00:00Z',
          deletionGracePeriodSeconds: 3,
        };
        const created = fx.store.createPod(input);
        expect(created.metadata.uid).toMatch(UUID);
        expect(created.metadata.creationTimestamp).toBe('2026-11-29T00:34:36Z');
        expect(created.metadata.resourceVersion).toBe('1');
        expect(created.metadata.generation).toBe(1);
        expect(created.metadata.deletionTimestamp).toBeUndefined();
        expect(created.metadata.deletionGracePeriodSeconds).toBeUndefined();
        expect(created.status).toEqual({ phase: 'Running' });
        expect(fx.store.getPod('default', 'web')).toEqual(created);
        expect(fx.store.createPod(aPod('db')).metadata.uid).not.toBe(created.metadata.uid);
      });

      it('defaults the namespace and honours generateName', () => {
        fx.open();
        const p = aPod('x');
        p.metadata = { generateName: 'job-' };
        const created = fx.store.createPod(p);
        expect(created.metadata.namespace).toBe('default');
        expect(created.metadata.name).toMatch(/^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        p.metadata = {};
        expect(storeError(() => fx.store.createPod(p)).reason).toBe('Invalid');
      });

      it('AlreadyExists on a name clash in the namespace, as the API server words it', () => {
        fx.open();
        fx.store.createPod(aPod('web'));
        const err = storeError(() => fx.store.createPod(aPod('web')));
        expect(err.reason).toBe('AlreadyExists');
        expect(err.message).toBe('pods "web" already exists');
        expect(fx.store.createPod(aPod('web', { namespace: 'other' })).metadata.namespace).toBe('other');
        expect(fx.store.listPods().resourceVersion).toBe(2);
      });

      it('get of a missing pod is undefined; list is ordered by namespace then name, with the store RV', () => {
        fx.open();
        expect(fx.store.getPod('default', 'nope')).toBeUndefined();
        fx.store.createPod(aPod('b'));
        fx.store.createPod(aPod('a', { namespace: 'zz' }));
        fx.store.createPod(aPod('a'));
        fx.store.recordEvent(anEvent('Pulled', 'x'));
        const all = fx.store.listPods();
        expect(all.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
          'default/a',
          'default/b',
          'zz/a',
        ]);
        // Events share the counter: the list RV is the store's, not the newest pod's.
        expect(all.resourceVersion).toBe(4);
        expect(fx.store.listPods('zz').items.map((p) => p.metadata.name)).toEqual(['a']);
        expect(fx.store.listPods('empty')).toEqual({ items: [], resourceVersion: 4 });
      });
    });

    describe('update', () => {
      it('replaces spec and metadata, keeps status and system fields, bumps RV; generation only on spec change', () => {
        fx.open();
        const created = fx.store.createPod(aPod('web'));
        fx.store.updatePodStatus('default', 'web', created.metadata.uid!, { phase: 'Running', podIP: '127.0.0.1' });
        const labelled = fx.store.updatePod({
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

        const respec = fx.store.updatePod({ ...labelled, spec: { ...labelled.spec, activeDeadlineSeconds: 60 } });
        expect(respec.metadata.generation).toBe(2);
        expect(respec.metadata.resourceVersion).toBe('4');
      });

      it('an update that changes nothing writes nothing (no RV bump, no watch event)', () => {
        fx.open();
        const created = fx.store.createPod(aPod('web'));
        const w = collect<Pod>();
        fx.store.watchPods(undefined, w.push);
        const same = fx.store.updatePod(JSON.parse(JSON.stringify(created)) as Pod);
        expect(same.metadata.resourceVersion).toBe('1');
        expect(fx.store.updatePodStatus('default', 'web', created.metadata.uid!, { phase: 'Running' })).toEqual(created);
        expect(w.events).toEqual([]);
        expect(fx.store.listPods().resourceVersion).toBe(1);
      });

      it('Conflict when expectedRV is stale, with the API server message', () => {
        fx.open();
        const created = fx.store.createPod(aPod('web'));
        fx.store.updatePod({ ...created, metadata: { ...created.metadata, labels: { v: '2' } } }, '1');
        const err = storeError(() =>
          fx.store.updatePod({ ...created, metadata: { ...created.metadata, labels: { v: '3' } } }, '1'),
        );
        expect(err.reason).toBe('Conflict');
        expect(err.message).toBe(
          'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
        );
        expect(fx.store.getPod('default', 'web')!.metadata.labels).toEqual({ v: '2' });
      });

      it('NotFound for a missing pod; an update cannot change the uid', () => {
        fx.open();
        const err = storeError(() => fx.store.updatePod(aPod('ghost')));
        expect(err.reason).toBe('NotFound');
        expect(err.message).toBe('pods "ghost" not found');
        const created = fx.store.createPod(aPod('web'));
        const bad = storeError(() => fx.store.updatePod({ ...created, metadata: { ...created.metadata, uid: 'other' } }));
        expect(bad.reason).toBe('Invalid');
      });

      it('updatePodStatus replaces status only, and only for the same uid', () => {
        fx.open();
        const created = fx.store.createPod(aPod('web'));
        const uid = created.metadata.uid!;
        const updated = fx.store.updatePodStatus('default', 'web', uid, { phase: 'Succeeded' });
        expect(updated?.status).toEqual({ phase: 'Succeeded' });
        expect(updated?.spec).toEqual(created.spec);
        expect(updated?.metadata.resourceVersion).toBe('2');
        expect(fx.store.updatePodStatus('default', 'web', 'another-uid', { phase: 'Failed' })).toBeUndefined();
        expect(fx.store.updatePodStatus('default', 'gone', uid, { phase: 'Failed' })).toBeUndefined();
        expect(fx.store.getPod('default', 'web')?.status).toEqual({ phase: 'Succeeded' });
        expect(fx.store.listPods().resourceVersion).toBe(2);
      });

      it('a write that cannot be applied leaves nothing behind (no RV bump)', () => {
        fx.open();
        fx.store.createPod(aPod('web'));
        expect(() => fx.store.createPod(aPod('web'))).toThrow(StoreError);
        expect(() => fx.store.deletePod('default', 'nope')).toThrow(StoreError);
        expect(fx.store.createPod(aPod('db')).metadata.resourceVersion).toBe('2');
      });
    });

    describe('copies', () => {
      it('neither the input nor any returned object aliases stored state', () => {
        fx.open();
        const input = aPod('web');
        const created = fx.store.createPod(input);
        const w = collect<Pod>();
        fx.store.watchPods(0, w.push);
        input.metadata.labels!.app = 'mutated-input';
        created.spec.containers[0]!.image = 'mutated-return';
        fx.store.getPod('default', 'web')!.metadata.labels!.app = 'mutated-get';
        fx.store.listPods().items[0]!.status!.phase = 'Failed';
        w.events[0]!.object.metadata.labels!.app = 'mutated-watch';
        const status = { phase: 'Running' as const, podIP: '10.0.0.1' };
        fx.store.updatePodStatus('default', 'web', created.metadata.uid!, status);
        status.podIP = 'mutated-status';
        const stored = fx.store.getPod('default', 'web')!;
        expect(stored.metadata.labels).toEqual({ app: 'web' });
        expect(stored.spec.containers[0]!.image).toBe('busybox:1.36');
        expect(stored.status).toEqual({ phase: 'Running', podIP: '10.0.0.1' });

        const ev = anEvent('Pulled', 'pulled');
        const recorded = fx.store.recordEvent(ev);
        ev.message = 'mutated';
        recorded.reason = 'mutated';
        expect(fx.store.listEvents().items[0]).toMatchObject({ reason: 'Pulled', message: 'pulled' });

        const entry = timelineEntry('started', 1);
        fx.store.appendTimeline(entry);
        entry.what = 'mutated';
        fx.store.listTimeline('default', 'web')[0]!.what = 'mutated-too';
        expect(fx.store.listTimeline('default', 'web')[0]!.what).toBe('started');
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
