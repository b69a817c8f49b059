import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.js';
import { FakeClock } from '../clock/fake-clock.js';
import { MemoryStore } from '../store/memory-store.js';
import { Recorder } from './recorder.js';

const afterFlush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const pod: Pod = { metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'app', image: 'x' }] } };

describe('Recorder events', () => {
  it('are stored after the current turn, in the order they happened across guarded copies, stamped when they happened', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 29, 9, 0, 59, 900));
    const store = new MemoryStore(clock);
    const seen: string[] = [];
    const base = new Recorder(store, clock, 'node', undefined, (e) => seen.push(e.reason ?? ''));
    const worker = base.guarded(() => true);
    worker.event(pod, 'Normal', 'Created', 'Created container: app', 'app');
    base.event(pod, 'Normal', 'Scheduled', 'from the base recorder');
    worker.event(pod, 'Normal', 'Started', 'Started container app', 'app');
    expect(store.listEvents().items).toEqual([]); // not yet: the start request goes out first
    await clock.advance(200); // the second changes before the flush; the stamps must not
    await afterFlush();
    expect(seen).toEqual(['Created', 'Scheduled', 'Started']);
    const stored = store.listEvents().items;
    expect(stored.map((e) => e.lastTimestamp)).toEqual(['2026-11-29T09:00:59Z', '2026-11-29T09:00:59Z', '2026-11-29T09:00:59Z']);
    expect(stored.map((e) => e.firstTimestamp)).toEqual(stored.map((e) => e.lastTimestamp));
    store.close();
  });

  it('a guarded copy whose agent is gone records nothing, even if it was live a moment before the flush', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 29));
    const store = new MemoryStore(clock);
    let live = true;
    const worker = new Recorder(store, clock, 'node').guarded(() => live);
    worker.event(pod, 'Normal', 'Created', 'made while live');
    live = false;
    worker.event(pod, 'Normal', 'Started', 'made after detach');
    await afterFlush();
    expect(store.listEvents().items.map((e) => e.reason)).toEqual(['Created']);
    store.close();
  });
});
