/**
 * apiequality.Semantic.DeepEqual for JSON pod specs, and a readable diff for the
 * "pod updates may not change fields" error. Go's equality treats a nil and an empty slice
 * or map as equal; JSON null equals absent. The diff is hooklet's own (path: old -> new
 * lines): Go prints a cmp.Diff of internal Go structs that cannot be reproduced here.
 */
import { formatValue } from '../field-error.js';
import { isAbsent, isObject } from './json-shape.js';

/** Map-typed keys under a PodSpec, where {} equals absent. */
const MAP_KEYS = new Set(['nodeSelector', 'limits', 'requests', 'overhead']);

export function normalizeForCompare(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => normalizeForCompare(x));
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (isAbsent(val)) continue;
    if (Array.isArray(val) && val.length === 0) continue;
    if (MAP_KEYS.has(k) && isObject(val) && Object.keys(val).length === 0) continue;
    out[k] = normalizeForCompare(val);
  }
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return Number.isNaN(a) && Number.isNaN(b);
}

/** Leaf-level differences between two normalized values, as `-`/`+` lines. */
export function describeDiff(oldV: unknown, newV: unknown, path: string): string[] {
  if (deepEqual(oldV, newV)) return [];
  if (isObject(oldV) && isObject(newV)) {
    const keys = [...new Set([...Object.keys(oldV), ...Object.keys(newV)])];
    return keys.flatMap((k) => describeDiff(oldV[k], newV[k], `${path}.${k}`));
  }
  if (Array.isArray(oldV) && Array.isArray(newV) && oldV.length === newV.length) {
    return oldV.flatMap((x, i) => describeDiff(x, newV[i], `${path}[${i}]`));
  }
  const lines: string[] = [];
  if (oldV !== undefined) lines.push(`- ${path}: ${formatValue(oldV)}`);
  if (newV !== undefined) lines.push(`+ ${path}: ${formatValue(newV)}`);
  return lines;
}
