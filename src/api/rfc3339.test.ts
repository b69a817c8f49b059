import { describe, expect, it } from 'vitest';
import { parseRfc3339, rfc3339Micros, rfc3339Seconds } from './rfc3339.js';

describe('rfc3339', () => {
  const ms = Date.UTC(2026, 10, 29, 0, 34, 36, 123) + 0.4567;

  it('renders metav1.Time truncated to the second', () => {
    expect(rfc3339Seconds(ms)).toBe('2026-11-29T00:34:36Z');
    expect(rfc3339Seconds(Date.UTC(2026, 10, 29, 0, 34, 36, 999))).toBe('2026-11-29T00:34:36Z');
  });

  it('renders metav1.MicroTime with six digits', () => {
    expect(rfc3339Micros(ms)).toBe('2026-11-29T00:34:36.123456Z');
    expect(rfc3339Micros(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00.000000Z');
  });

  it('the per-second cache never leaks one second into another', () => {
    const t = Date.UTC(2026, 10, 29, 23, 59, 59, 999);
    expect(rfc3339Micros(t)).toBe('2026-11-29T23:59:59.999000Z');
    expect(rfc3339Seconds(t + 1)).toBe('2026-11-30T00:00:00Z');
    expect(rfc3339Micros(t)).toBe('2026-11-29T23:59:59.999000Z');
    expect(rfc3339Seconds(Date.UTC(1969, 11, 31, 23, 59, 59, 500))).toBe('1969-12-31T23:59:59Z');
  });

  it('parses, and answers undefined for absent or invalid input', () => {
    expect(parseRfc3339('2026-11-29T00:34:36Z')).toBe(Date.UTC(2026, 10, 29, 0, 34, 36));
    expect(parseRfc3339(undefined)).toBeUndefined();
    expect(parseRfc3339('yesterday-ish')).toBeUndefined();
  });
});
