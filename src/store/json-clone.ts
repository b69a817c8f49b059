/** Deeper than any Kubernetes object; past it (or at a cycle) the JSON round trip decides. */
const MAX_DEPTH = 64;
const NOT_PLAIN = Symbol('not plain JSON data');

/**
 * JSON.parse(JSON.stringify(value)), computed by walking the value when it is
 * plain data (objects with the standard prototype or none, arrays, strings,
 * numbers, booleans, null, undefined members) — several times cheaper than
 * the round trip, which was the store's main cost per write. Anything else
 * (a Date or another toJSON, a class instance, a function, a bigint, a
 * cycle) takes the round trip itself, so the result, or the error thrown, is
 * always exactly the round trip's.
 */
export function jsonClone<T>(value: T): T {
  if (value === undefined) return value;
  const copy = plainCopy(value, 0);
  return copy === NOT_PLAIN ? (JSON.parse(JSON.stringify(value)) as T) : (copy as T);
}

function plainCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // JSON has no NaN, Infinity or -0.
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return NOT_PLAIN;
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return NOT_PLAIN;
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const member: unknown = value[i];
      // A hole or an undefined element is written as null.
      const copy = member === undefined ? null : plainCopy(member, depth + 1);
      if (copy === NOT_PLAIN) return NOT_PLAIN;
      out.push(copy);
    }
    return out;
  }
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const member = source[key];
    if (member === undefined) continue;
    const copy = plainCopy(member, depth + 1);
    if (copy === NOT_PLAIN) return NOT_PLAIN;
    // JSON.parse makes "__proto__" an own member; an assignment would set the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out;
}
