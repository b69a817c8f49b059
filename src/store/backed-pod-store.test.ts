import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CoreEvent, Pod, PodStatus } from '../api/types.js';
import { FakeClock } from '../clock/fake-clock.js';
import { BackedPodStore, type StoreOptions } from './backed-pod-store.js';
import type { CurrentPods } from './current-pods.js';
import { MemoryBackend } from './memory-backend.js';
import type { WatchEvent } from './pod-store.js';
import { SqliteBackend } from './sqlite-backend.js';
import type { StoreBackend } from './store-backend.js';
import { aPod, anEvent } from './store-conformance.case.js';

const dir = mkdtempSync(join(tmpdir(), 'hooklet-backed-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;

const backends: [string, () => StoreBackend, StoreOptions][] = [
  ['memory, pods kept parsed', () => new MemoryBackend(), {}],
  ['memory, pods kept as text', () => new MemoryBackend(), { keepPodsParsed: false }],
  ['sqlite, pods kept parsed', () => new SqliteBackend(join(dir, `store-${seq++}.db`)), {}],
  ['sqlite, pods kept as text', () => new SqliteBackend(join(dir, `store-${seq++}.db`)), { keepPodsParsed: false }],
];

/** What a hostile caller or watcher writes into everything it is given. */
const EVIL = 'mutated-by-a-caller';

function vandalise(pod: Pod): void {
  pod.metadata.labels = { ...pod.metadata.labels, evil: EVIL };
  pod.spec.containers[0]!.image = EVIL;
  pod.status = { phase: 'Failed', message: EVIL };
}

/** Same members in the same order with the same values: what JSON.parse of the stored text gives. */
function expectStoredForm(object: unknown, json: string): void {
  expect(object).toStrictEqual(JSON.parse(json));
  expect(JSON.stringify(object)).toBe(json);
}

function aStatus(n: number): PodStatus {
  return {
    phase: n % 3 === 0 ? 'Pending' : 'Running',
    conditions: [{ type: 'Ready', status: n % 2 === 0 ? 'True' : 'False', lastTransitionTime: '2026-11-29T00:34:36Z' }],
    podIP: '127.0.0.1',
    containerStatuses: [
      { name: 'app', ready: n % 2 === 0, restartCount: n, image: 'busybox:1.36', imageID: '', state: { running: { startedAt: '2026-11-29T00:34:36Z' } } },
    ],
    // Absent members must not survive into the stored form.
    message: undefined,
  };
}

type Op =
  | { op: 'create'; pod: number }
  | { op: 'status'; pod: number; n: number }
  | { op: 'label'; pod: number; n: number }
  | { op: 'delete'; pod: number; grace: number }
  | { op: 'remove'; pod: number }
  | { op: 'event'; pod: number; n: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), pod: fc.nat(3) }),
  fc.record({ op: fc.constant('status' as const), pod: fc.nat(3), n: fc.nat(4) }),
  fc.record({ op: fc.constant('label' as const), pod: fc.nat(3), n: fc.nat(2) }),
  fc.record({ op: fc.constant('delete' as const), pod: fc.nat(3), grace: fc.constantFrom(0, 1, 5, 30) }),
  fc.record({ op: fc.constant('remove' as const), pod: fc.nat(3) }),
  fc.record({ op: fc.constant('event' as const), pod: fc.nat(3), n: fc.nat(2) }),
);

describe.each(backends)('BackedPodStore on %s: one serialisation, shared watch objects', (_name, backendOf, options) => {
  it('every object handed out is the stored form, a caller or watcher changing it corrupts nothing, and the kept current version matches the stored text', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        const backend = backendOf();
        const clock = new FakeClock(Date.UTC(2026, 10, 29));
        const store = new BackedPodStore(backend, clock, options);
        const current = (store as unknown as { current: CurrentPods }).current;
        const live = new Map<number, WatchEvent<Pod>>();
        const returned = new Map<number, Pod>();
        store.watchPods(undefined, (e) => live.set(e.resourceVersion, e));
        store.watchPods(undefined, (e) => {
          // The second watcher of each change gets the first one's object, and spoils it.
          expect(e.object).toBe(live.get(e.resourceVersion)!.object);
          vandalise(e.object);
        });
        const keep = (pod: Pod | undefined): void => {
          if (pod) returned.set(Number(pod.metadata.resourceVersion), JSON.parse(JSON.stringify(pod)) as Pod);
          if (pod) vandalise(pod);
        };
        try {
          for (const o of ops) {
            const name = `pod-${o.pod}`;
            const uid = (): string => backend.getObject('Pod', 'default', name)?.match(/"uid":"([^"]+)"/)?.[1] ?? 'none';
            try {
              switch (o.op) {
                case 'create':
                  keep(store.createPod(aPod(name)));
                  break;
                case 'status':
                  keep(store.updatePodStatus('default', name, uid(), aStatus(o.n)));
                  break;
                case 'label': {
                  const pod = store.getPod('default', name);
                  if (!pod) break;
                  keep(store.updatePod({ ...pod, metadata: { ...pod.metadata, labels: { n: String(o.n) } } }));
                  vandalise(pod);
                  break;
                }
                case 'delete':
                  keep(store.deletePod('default', name, o.grace).pod);
                  break;
                case 'remove':
                  keep(store.removePod('default', name, uid()));
                  break;
                case 'event': {
                  const ev: CoreEvent = anEvent('Started', `started ${o.n}`, { name, uid: uid() });
                  const recorded = store.recordEvent(ev);
                  recorded.message = EVIL;
                  break;
                }
              }
            } catch (err) {
              if (!(err instanceof Error && err.name === 'StoreError')) throw err;
            }
            clock.advance(1000);
            for (const json of backend.listObjects('Pod')) {
              expect(json).not.toContain(EVIL);
              const { namespace, name: podName } = (JSON.parse(json) as Pod).metadata;
              const kept = current.get(namespace!, podName!);
              if (kept) expectStoredForm(kept, json);
              expectStoredForm(store.getPod(namespace!, podName!), json);
            }
            for (const json of backend.listObjects('Event')) expect(json).not.toContain(EVIL);
          }
          // The replay (parsed from the stored text) is what live watchers and callers were given.
          const replay = new Map<number, string>();
          store.watchPods(0, (e) => replay.set(e.resourceVersion, JSON.stringify(e.object)));
          expect([...replay.keys()]).toEqual([...live.keys()]);
          for (const [rv, json] of replay) {
            expect(json).not.toContain(EVIL);
            expect(live.get(rv)!.type).toBeDefined();
            const given = returned.get(rv);
            if (given) expectStoredForm(given, json);
          }
        } finally {
          store.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('live watchers of a change share one object, distinct from what the writer gets back', () => {
    const store = new BackedPodStore(backendOf(), new FakeClock(Date.UTC(2026, 10, 29)), options);
    try {
      const seen: Pod[][] = [[], []];
      store.watchPods(undefined, (e) => seen[0]!.push(e.object));
      store.watchPods(undefined, (e) => seen[1]!.push(e.object));
      const created = store.createPod(aPod('web'));
      const updated = store.updatePodStatus('default', 'web', created.metadata.uid!, { phase: 'Succeeded' })!;
      expect(seen[0]).toHaveLength(2);
      expect(seen[0]![0]).toBe(seen[1]![0]);
      expect(seen[0]![1]).toBe(seen[1]![1]);
      expect(seen[0]![0]).not.toBe(created);
      expect(seen[0]![1]).not.toBe(updated);
      expect(seen[0]![1]).toEqual(updated);
      expect(store.getPod('default', 'web')).not.toBe(store.getPod('default', 'web'));
    } finally {
      store.close();
    }
  });

  it('a watcher that writes back sees the change it was told about (the kept version is updated before delivery)', () => {
    const store = new BackedPodStore(backendOf(), new FakeClock(Date.UTC(2026, 10, 29)), options);
    try {
      const phases: string[] = [];
      store.watchPods(undefined, (e) => {
        if (e.type !== 'MODIFIED' || e.object.status?.phase !== 'Running') return;
        phases.push(store.getPod('default', 'web')!.status!.phase!);
        store.updatePodStatus('default', 'web', e.object.metadata.uid!, { ...e.object.status, podIP: '127.0.0.1' });
      });
      const created = store.createPod(aPod('web', { phase: 'Pending' }));
      store.updatePodStatus('default', 'web', created.metadata.uid!, { phase: 'Running' });
      expect(phases).toEqual(['Running', 'Running']);
      expect(store.getPod('default', 'web')!.status).toEqual({ phase: 'Running', podIP: '127.0.0.1' });
      expect(store.getPod('default', 'web')!.metadata.resourceVersion).toBe('3');
    } finally {
      store.close();
    }
  });

  it('a write that fails inside its transaction leaves the kept version as it was', () => {
    const backend = backendOf();
    const store = new BackedPodStore(backend, new FakeClock(Date.UTC(2026, 10, 29)), options);
    try {
      const created = store.createPod(aPod('web'));
      const recordChange = backend.recordChange.bind(backend);
      backend.recordChange = () => {
        throw new Error('disk full');
      };
      expect(() => store.updatePodStatus('default', 'web', created.metadata.uid!, { phase: 'Failed' })).toThrow('disk full');
      backend.recordChange = recordChange;
      expect(store.getPod('default', 'web')).toEqual(created);
      const next = store.updatePodStatus('default', 'web', created.metadata.uid!, { phase: 'Succeeded' })!;
      expect(next.metadata.resourceVersion).toBe('2');
      expect(next.spec).toEqual(created.spec);
    } finally {
      store.close();
    }
  });
});
