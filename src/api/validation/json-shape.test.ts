import { describe, expect, it } from 'vitest';
import { formatFieldError, type FieldError } from '../field-error.js';
import {
  readBool,
  readInt,
  readIntOrString,
  readList,
  readObject,
  readOptionalInt,
  readOptionalString,
  readString,
  readStringList,
  readStringMap,
  WRONG_TYPE,
} from './json-shape.js';

function read<T>(fn: (errs: FieldError[], v: unknown, path: string) => T, v: unknown): [T, string[]] {
  const errs: FieldError[] = [];
  const value = fn(errs, v, 'x');
  return [value, errs.map(formatFieldError)];
}

describe('JSON readers', () => {
  it('absent and null read as Go zero values, without errors', () => {
    expect(read(readString, undefined)).toEqual(['', []]);
    expect(read(readString, null)).toEqual(['', []]);
    expect(read(readInt, null)).toEqual([0, []]);
    expect(read(readBool, undefined)).toEqual([false, []]);
    expect(read(readList, null)).toEqual([[], []]);
    expect(read(readObject, null)).toEqual([undefined, []]);
    expect(read(readOptionalString, null)).toEqual([undefined, []]);
    expect(read(readOptionalInt, undefined)).toEqual([undefined, []]);
    expect(read(readIntOrString, undefined)).toEqual([0, []]);
  });

  it('wrong types give one field error and WRONG_TYPE', () => {
    expect(read(readString, 1)).toEqual([WRONG_TYPE, ['x: Invalid value: 1: must be a string']]);
    expect(read(readInt, 1.5)).toEqual([WRONG_TYPE, ['x: Invalid value: 1.5: must be an integer']]);
    expect(read(readInt, '3')).toEqual([WRONG_TYPE, ['x: Invalid value: "3": must be an integer']]);
    expect(read(readBool, 'true')).toEqual([WRONG_TYPE, ['x: Invalid value: "true": must be a boolean']]);
    expect(read(readList, {})).toEqual([WRONG_TYPE, ['x: Invalid value: {}: must be a list']]);
    expect(read(readObject, [])).toEqual([WRONG_TYPE, ['x: Invalid value: []: must be an object']]);
    expect(read(readIntOrString, true)).toEqual([WRONG_TYPE, ['x: Invalid value: true: must be an integer or a string']]);
  });

  it('int32 fields reject values outside the 32-bit range', () => {
    const errs: FieldError[] = [];
    expect(readInt(errs, 2 ** 31, 'x', 32)).toBe(WRONG_TYPE);
    expect(readInt(errs, 2 ** 31 - 1, 'x', 32)).toBe(2 ** 31 - 1);
    expect(readInt(errs, 2 ** 31, 'x', 64)).toBe(2 ** 31);
    expect(errs.map(formatFieldError)).toEqual(['x: Invalid value: 2147483648: must fit in a 32-bit signed integer']);
  });

  it('string lists and maps report bad entries by position or key', () => {
    expect(read(readStringList, ['a', 2])).toEqual([['a'], ['x[1]: Invalid value: 2: must be a string']]);
    expect(read(readStringMap, { a: 'b', c: 1, d: null })).toEqual([
      [
        ['a', 'b'],
        ['d', ''],
      ],
      ['x[c]: Invalid value: 1: must be a string'],
    ]);
  });
});
