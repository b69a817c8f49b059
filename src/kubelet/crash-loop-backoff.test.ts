import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { CrashLoopBackoff, goDuration } from './crash-loop-backoff.js';

describe('CrashLoopBackoff (R6.2, R6.3)', () => {
  it('R6.3: delays run 0, 10, 20, 40, 80, 160, 300, 300 s', async () => {
    const clock = new FakeClock();
    const b = new CrashLoopBackoff(clock);
    const seen: number[] = [];
    let finishedAt = clock.now();
    // First exit: no entry, so not in back-off: restart at once.
    expect(b.isInBackOffSince('k', finishedAt)).toBe(false);
    b.next('k', finishedAt);
    seen.push(0);
    for (let i = 0; i < 7; i++) {
      await clock.advance(1000); // runs 1 s, exits
      finishedAt = clock.now();
      expect(b.isInBackOffSince('k', finishedAt)).toBe(true);
      const wait = b.get('k');
      await clock.advance(wait - 1);
      expect(b.isInBackOffSince('k', finishedAt)).toBe(true);
      await clock.advance(1);
      expect(b.isInBackOffSince('k', finishedAt)).toBe(false);
      seen.push(wait / 1000);
      b.next('k', finishedAt);
    }
    expect(seen).toEqual([0, 10, 20, 40, 80, 160, 300, 300]);
  });

  it('R6.2: resets once the entry is untouched for more than 10 minutes', async () => {
    const clock = new FakeClock();
    const b = new CrashLoopBackoff(clock);
    b.next('k', clock.now());
    b.next('k', clock.now());
    expect(b.get('k')).toBe(20_000);
    await clock.advance(600_001);
    expect(b.isInBackOffSince('k', clock.now())).toBe(false);
    b.next('k', clock.now());
    expect(b.get('k')).toBe(10_000);
  });

  it('R6.4: Go duration strings', () => {
    expect([10_000, 20_000, 40_000, 80_000, 160_000, 300_000].map(goDuration)).toEqual(['10s', '20s', '40s', '1m20s', '2m40s', '5m0s']);
  });
});
