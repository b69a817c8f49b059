import { describe, expect, it } from 'vitest';
import { deepEqual, describeDiff, normalizeForCompare } from './spec-diff.js';

describe('semantic equality of pod specs', () => {
  it('null equals absent, and empty lists and maps equal unset ones, as in apiequality.Semantic', () => {
    const a = normalizeForCompare({ containers: [{ name: 'a', env: [], command: null }], nodeSelector: {}, volumes: [] });
    const b = normalizeForCompare({ containers: [{ name: 'a' }] });
    expect(deepEqual(a, b)).toBe(true);
  });

  it('an empty struct is not the same as an unset pointer', () => {
    expect(deepEqual(normalizeForCompare({ securityContext: {} }), normalizeForCompare({}))).toBe(false);
  });

  it('values of different types differ (8080 vs "8080")', () => {
    expect(deepEqual({ port: 8080 }, { port: '8080' })).toBe(false);
    expect(deepEqual([1, 2], [1, 2])).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
  });
});

describe('describeDiff', () => {
  it('lists changed leaves with their spec paths', () => {
    expect(describeDiff({ a: { b: 1, c: [1] } }, { a: { b: 2, c: [1], d: 'x' } }, 'spec')).toEqual([
      '- spec.a.b: 1',
      '+ spec.a.b: 2',
      '+ spec.a.d: "x"',
    ]);
    expect(describeDiff({ l: [1] }, { l: [1, 2] }, 'spec')).toEqual(['- spec.l: [1]', '+ spec.l: [1,2]']);
    expect(describeDiff({ x: 1 }, { x: 1 }, 'spec')).toEqual([]);
  });
});
