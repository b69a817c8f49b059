/**
 * Readers for loosely typed JSON. The loader hands us whatever the user wrote, typed as
 * `Pod` but never checked, so every field is read through these: a wrong type becomes a
 * FieldError (the API server would have refused to decode the object at all) and the
 * caller gets WRONG_TYPE so that it can skip the checks that depend on the value.
 * Absent and `null` read as Go's zero value, as the JSON decoder leaves them.
 */
import { invalid, type FieldError } from '../field-error.js';

export type JsonObject = Record<string, unknown>;
export type Errors = FieldError[];

export const WRONG_TYPE: unique symbol = Symbol('wrong type');
export type Read<T> = T | typeof WRONG_TYPE;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isAbsent(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

export function readString(errs: Errors, v: unknown, path: string): Read<string> {
  if (isAbsent(v)) return '';
  if (typeof v === 'string') return v;
  errs.push(invalid(path, v, 'must be a string'));
  return WRONG_TYPE;
}

/** A `*string` field: absent stays undefined, so "unset" and "" differ. */
export function readOptionalString(errs: Errors, v: unknown, path: string): Read<string | undefined> {
  if (isAbsent(v)) return undefined;
  return readString(errs, v, path);
}

export function readInt(errs: Errors, v: unknown, path: string, bits: 32 | 64 = 64): Read<number> {
  if (isAbsent(v)) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    errs.push(invalid(path, v, 'must be an integer'));
    return WRONG_TYPE;
  }
  if (bits === 32 && (v < INT32_MIN || v > INT32_MAX)) {
    errs.push(invalid(path, v, 'must fit in a 32-bit signed integer'));
    return WRONG_TYPE;
  }
  return v;
}

/** A `*int32`/`*int64` field. */
export function readOptionalInt(errs: Errors, v: unknown, path: string, bits: 32 | 64 = 64): Read<number | undefined> {
  if (isAbsent(v)) return undefined;
  return readInt(errs, v, path, bits);
}

export function readBool(errs: Errors, v: unknown, path: string): Read<boolean> {
  if (isAbsent(v)) return false;
  if (typeof v === 'boolean') return v;
  errs.push(invalid(path, v, 'must be a boolean'));
  return WRONG_TYPE;
}

export function readList(errs: Errors, v: unknown, path: string): Read<unknown[]> {
  if (isAbsent(v)) return [];
  if (Array.isArray(v)) return v;
  errs.push(invalid(path, v, 'must be a list'));
  return WRONG_TYPE;
}

/** A pointer-to-struct field: absent is undefined (Go nil). */
export function readObject(errs: Errors, v: unknown, path: string): Read<JsonObject | undefined> {
  if (isAbsent(v)) return undefined;
  if (isObject(v)) return v;
  errs.push(invalid(path, v, 'must be an object'));
  return WRONG_TYPE;
}

/** A `map[string]string`; entries with a non-string value are reported and dropped. */
export function readStringMap(errs: Errors, v: unknown, path: string): Read<Array<[string, string]>> {
  if (isAbsent(v)) return [];
  if (!isObject(v)) {
    errs.push(invalid(path, v, 'must be an object'));
    return WRONG_TYPE;
  }
  const out: Array<[string, string]> = [];
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out.push([k, val]);
    else if (isAbsent(val)) out.push([k, '']);
    else errs.push(invalid(`${path}[${k}]`, val, 'must be a string'));
  }
  return out;
}

/** intstr.IntOrString; absent is the zero value, the integer 0. */
export function readIntOrString(errs: Errors, v: unknown, path: string): Read<number | string> {
  if (isAbsent(v)) return 0;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX) return v;
  errs.push(invalid(path, v, 'must be an integer or a string'));
  return WRONG_TYPE;
}

/** A list of strings (command, args); each bad item is reported at its index. */
export function readStringList(errs: Errors, v: unknown, path: string): Read<string[]> {
  const list = readList(errs, v, path);
  if (list === WRONG_TYPE) return WRONG_TYPE;
  const out: string[] = [];
  list.forEach((item, i) => {
    const s = readString(errs, item, `${path}[${i}]`);
    if (s !== WRONG_TYPE) out.push(s);
  });
  return out;
}

/**
 * The path of the first value nested deeper than `maxDepth`, found without recursion.
 * The API server's decoder refuses such documents; here it keeps later recursive steps
 * (the update diff, error rendering) within the stack.
 */
export function findTooDeep(root: unknown, maxDepth: number, rootPath: string): string | undefined {
  // First a cheap depth scan; paths are only built in the rare case that the limit is hit.
  const scan: Array<[unknown, number]> = [[root, 0]];
  let tooDeep = false;
  while (scan.length > 0 && !tooDeep) {
    const [v, depth] = scan.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) tooDeep = true;
    else for (const x of Array.isArray(v) ? v : Object.values(v)) if (typeof x === 'object' && x !== null) scan.push([x, depth + 1]);
  }
  if (!tooDeep) return undefined;
  const stack: Array<[unknown, string, number]> = [[root, rootPath, 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return path;
    if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, `${path}[${i}]`, depth + 1]));
    else for (const [k, x] of Object.entries(v)) stack.push([x, path ? `${path}.${k}` : k, depth + 1]);
  }
  return undefined;
}
