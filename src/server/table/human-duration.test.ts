import { describe, expect, it } from 'vitest';
import { humanDuration, timestampSince } from './human-duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (contract §7 age formatting)', () => {
  it.each([
    [-2 * s, '<invalid>'],
    [-1 * s, '0s'],
    [-500, '0s'],
    [0, '0s'],
    [59 * s, '59s'],
    [119 * s, '119s'],
    [120 * s, '2m'],
    [125 * s, '2m5s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 5 * m, '3h5m'],
    [8 * h + 5 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 3 * h, '2d3h'],
    [8 * d + 3 * h, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [731 * d, '2y1d'],
    [365 * 8 * d, '8y'],
  ])('%d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  it('truncates API timestamps to whole seconds and reads missing ones as <unknown>', () => {
    const now = Date.parse('2026-01-01T00:01:00.900Z');
    expect(timestampSince('2026-01-01T00:00:00Z', now)).toBe('60s');
    expect(timestampSince('2026-01-01T00:00:00.800Z', now)).toBe('60s');
    expect(timestampSince(undefined, now)).toBe('<unknown>');
  });
});
