import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../clock/fake-clock.js';
import type { ExpireOutcome, PodStore } from '../../store/pod-store.js';
import { MemoryStore } from '../../store/memory-store.js';
import { startStoreJanitor } from './store-janitor.js';

describe('startStoreJanitor', () => {
  it('expires after the first delay, then on every interval, until stopped; a failing round does not end it', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 29));
    const store = new MemoryStore(clock, { eventTtlMs: 1000 });
    let rounds = 0;
    const errors: unknown[] = [];
    const expired: ExpireOutcome[] = [];
    const counting: PodStore = Object.assign(Object.create(store) as PodStore, {
      expire: () => {
        rounds++;
        if (rounds === 2) throw new Error('disk full');
        return store.expire();
      },
    });
    const stop = startStoreJanitor(counting, clock, { firstMs: 500, everyMs: 10_000, onExpired: (o) => expired.push(o), onError: (e) => errors.push(e) });
    store.recordEvent({
      metadata: { namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u' },
      reason: 'Started',
      message: 'Started container app',
      type: 'Normal',
    });
    await clock.advance(499);
    expect(rounds).toBe(0);
    await clock.advance(1); // first round: the event is 0.5 s old, ttl 1 s
    expect(rounds).toBe(1);
    expect(expired).toEqual([]);
    await clock.advance(10_000); // second round throws
    expect(rounds).toBe(2);
    expect(errors).toHaveLength(1);
    await clock.advance(10_000); // third round expires the event
    expect(rounds).toBe(3);
    expect(expired).toEqual([{ events: 1, podTimelines: 0 }]);
    stop();
    await clock.advance(100_000);
    expect(rounds).toBe(3);
    store.close();
  });
});
