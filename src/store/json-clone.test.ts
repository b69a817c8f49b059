import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonClone } from './json-clone.js';

const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** Same members, same order, same values, down to undefined members (toStrictEqual alone ignores order). */
function expectSameAsRoundTrip(value: unknown): void {
  const copy = jsonClone(value);
  expect(copy).toStrictEqual(roundTrip(value));
  expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
}

describe('jsonClone', () => {
  it('is JSON.parse(JSON.stringify(v)) for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => expectSameAsRoundTrip(v)), { numRuns: 500 });
  });

  it('is the round trip for anything the round trip accepts (undefined members, NaN, -0, Dates, holes, class instances)', () => {
    const anything = fc.anything({
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withObjectString: true,
      withNullPrototype: true,
      withSparseArray: true,
      withTypedArray: true,
    });
    fc.assert(fc.property(anything, (v) => expectSameAsRoundTrip({ v })), { numRuns: 1000 });
  });

  it('drops undefined members, writes undefined elements and holes as null, and normalises numbers', () => {
    // eslint-disable-next-line no-sparse-arrays
    const value = { a: undefined, b: [undefined, , 1], n: NaN, i: -Infinity, z: -0, d: new Date(0) };
    const copy = jsonClone(value) as Record<string, unknown>;
    expect(copy).toStrictEqual({ b: [null, null, 1], n: null, i: null, z: 0, d: '1970-01-01T00:00:00.000Z' });
    expect(Object.is(copy['z'], 0)).toBe(true);
  });

  it('keeps a "__proto__" member as an own member, as JSON.parse does', () => {
    const value = JSON.parse('{"__proto__":{"x":1},"y":2}') as Record<string, unknown>;
    const copy = jsonClone(value);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'y']);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"x":1},"y":2}');
  });

  it('honours toJSON, own or inherited, as the round trip does', () => {
    class Stamp {
      toJSON(): string {
        return 'stamp';
      }
    }
    expectSameAsRoundTrip({ s: new Stamp(), own: { toJSON: () => ({ replaced: true }) } });
  });

  it('throws what the round trip throws: a cycle, a bigint', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(() => jsonClone(cyclic)).toThrow(TypeError);
    expect(() => jsonClone(cyclic)).toThrow(/circular/);
    expect(() => jsonClone({ n: 1n })).toThrow(TypeError);
  });

  it('returns a deep copy: nothing is shared with the input, frozen or not', () => {
    const input = Object.freeze({ a: Object.freeze({ b: [1, { c: 2 }] }) });
    const copy = jsonClone(input) as { a: { b: [number, { c: number }] } };
    expect(Object.isFrozen(copy)).toBe(false);
    copy.a.b[1].c = 3;
    expect(input.a.b[1]).toEqual({ c: 2 });
    expect(jsonClone(undefined)).toBeUndefined();
  });

  it('deeper than any object it is built for, it still gives the round trip', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200; i++) deep = { d: deep };
    expectSameAsRoundTrip(deep);
  });
});
