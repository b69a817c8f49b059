import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from './json-equal.js';

/** The same value with every object's members in reverse order. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)]));
}

describe('jsonEqual', () => {
  it('agrees with util.isDeepStrictEqual on parsed JSON values', () => {
    const parsed = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    fc.assert(
      fc.property(parsed, parsed, (a, b) => {
        expect(jsonEqual(a, b)).toBe(isDeepStrictEqual(a, b));
        expect(jsonEqual(a, JSON.parse(JSON.stringify(a)))).toBe(true);
        expect(jsonEqual(a, reordered(a))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('tells apart what isDeepStrictEqual tells apart', () => {
    const pairs: [unknown, unknown][] = [
      [{}, []],
      [['a'], { 0: 'a' }],
      [{ a: 1 }, { a: 1, b: 2 }],
      [{ a: 1, b: 2 }, { a: 1, c: 2 }],
      [[1, 2], [2, 1]],
      [null, {}],
      [0, '0'],
      [{ a: { b: [1, { c: true }] } }, { a: { b: [1, { c: false }] } }],
    ];
    for (const [a, b] of pairs) {
      expect(isDeepStrictEqual(a, b)).toBe(false);
      expect(jsonEqual(a, b)).toBe(false);
      expect(jsonEqual(b, a)).toBe(false);
    }
    expect(jsonEqual({ a: [1, { b: null }], c: 'x' }, { c: 'x', a: [1, { b: null }] })).toBe(true);
  });
});
