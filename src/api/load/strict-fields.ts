import { podSchema } from './pod-schema.js';
import { jsonKind, type SourceMap, type SourceNode } from './source-node.js';

/** One unknown or duplicate field, as the API server's strict decoder words it. */
export interface StrictFieldError {
  kind: 'unknown' | 'duplicate';
  /** Kubernetes field path, e.g. `spec.containers[0].bar`. */
  path: string;
  /** Offset of the offending key. */
  offset: number;
}

/** A value of the wrong JSON type; decoding stops at the first one. */
export interface DecodeTypeError {
  /** Go's error text, e.g. `json: cannot unmarshal string into Go struct field …`. */
  message: string;
  /** Kubernetes field path of the value (with list indices). */
  path: string;
  offset: number;
}

export interface StrictDecodeResult {
  /** The decoded object: the document as JSON, with Go's null handling. */
  value: unknown;
  strictErrors: StrictFieldError[];
  typeError?: DecodeTypeError;
}

/** `strict decoding error: unknown field "spec.foo", duplicate field "spec.bar"` */
export function formatStrictErrors(errors: StrictFieldError[]): string {
  return `strict decoding error: ${errors.map((e) => `${e.kind} field ${JSON.stringify(e.path)}`).join(', ')}`;
}

/**
 * Decodes a document into `rootType` (a struct of the generated Pod schema)
 * the way the API server does with `fieldValidation=Strict`
 * (sigs.k8s.io/json): every unknown field and every repeated key is collected,
 * in document order; an unknown field repeated is reported once, as unknown.
 * A value of the wrong type is a decode error that wins over strict errors.
 *
 * Nulls follow Go: a null field is dropped (zero value), a null list element
 * becomes its element type's zero value.
 */
export function decodeStrict(root: SourceNode, rootType: string): StrictDecodeResult {
  const d = new Decoder();
  let value: unknown;
  try {
    value = d.decode(root, rootType, { path: '', goPath: [], struct: '' });
  } catch (err) {
    if (!(err instanceof FatalDecodeError)) throw err;
    return { value: undefined, strictErrors: d.strictErrors, typeError: err.typeError };
  }
  return { value, strictErrors: d.strictErrors, typeError: d.savedTypeError };
}

/** Where the decoder is: the Kubernetes path, and what Go's error context holds. */
interface Context {
  path: string;
  /** Struct field names from the root, without list indices or map keys (Go's FieldStack). */
  goPath: string[];
  /** Name of the innermost struct whose field is being decoded. */
  struct: string;
}

/** Errors returned by custom UnmarshalJSON methods abort decoding at once. */
class FatalDecodeError extends Error {
  constructor(readonly typeError: DecodeTypeError) {
    super(typeError.message);
  }
}

const int32Range = [-(2 ** 31), 2 ** 31 - 1] as const;
const int64Range = [-(2 ** 63), 2 ** 63] as const; // upper bound exclusive: 2^63 is the first float beyond int64
const quantityPattern = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const quantitySuffix = /^(|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][-+]?[0-9]+)$/;
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

class Decoder {
  readonly strictErrors: StrictFieldError[] = [];
  savedTypeError: DecodeTypeError | undefined;

  decode(node: SourceNode, type: string, ctx: Context): unknown {
    if (node.kind === 'scalar' && node.value === null) return null;
    if (type.startsWith('[]')) return this.list(node, type.slice(2), type, ctx);
    if (type.startsWith('map[string]')) return this.map(node, type.slice('map[string]'.length), type, ctx);
    switch (type) {
      case 'string':
        return node.kind === 'scalar' && typeof node.value === 'string' ? node.value : this.mismatch(node, type, ctx);
      case 'bool':
        return node.kind === 'scalar' && typeof node.value === 'boolean' ? node.value : this.mismatch(node, type, ctx);
      case 'int32':
      case 'int64':
      case 'float64':
        return this.number(node, type, ctx);
      case 'quantity':
        return this.quantity(node, ctx);
      case 'intOrString':
        return this.intOrString(node, ctx);
      case 'time':
        return this.time(node, ctx);
      case 'any':
        return plainValue(node);
      default:
        return this.struct(node, type, ctx);
    }
  }

  private struct(node: SourceNode, name: string, ctx: Context): unknown {
    const fields = podSchema[name];
    if (!fields) throw new Error(`pod schema has no struct ${name}`);
    if (node.kind !== 'map') return this.mismatch(node, name, ctx);
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    const reportedUnknown = new Set<string>();
    for (const pair of node.pairs) {
      const path = ctx.path ? `${ctx.path}.${pair.key}` : pair.key;
      const fieldType = Object.hasOwn(fields, pair.key) ? fields[pair.key] : undefined;
      if (fieldType === undefined) {
        if (!reportedUnknown.has(pair.key)) {
          reportedUnknown.add(pair.key);
          this.strictErrors.push({ kind: 'unknown', path, offset: pair.keyOffset });
        }
        continue;
      }
      if (seen.has(pair.key)) this.strictErrors.push({ kind: 'duplicate', path, offset: pair.keyOffset });
      seen.add(pair.key);
      const value = this.decode(pair.value, fieldType, { path, goPath: [...ctx.goPath, pair.key], struct: name });
      if (value === null || value === undefined) delete out[pair.key];
      else out[pair.key] = value;
    }
    return out;
  }

  private list(node: SourceNode, elem: string, type: string, ctx: Context): unknown {
    if (node.kind !== 'seq') return this.mismatch(node, type, ctx);
    return node.items.map((item, i) => {
      const v = this.decode(item, elem, { ...ctx, path: `${ctx.path}[${i}]` });
      return v === null || v === undefined ? zeroValue(elem) : v;
    });
  }

  private map(node: SourceNode, elem: string, type: string, ctx: Context): unknown {
    if (node.kind !== 'map') return this.mismatch(node, type, ctx);
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (const pair of node.pairs) {
      const path = `${ctx.path}.${pair.key}`;
      if (seen.has(pair.key)) this.strictErrors.push({ kind: 'duplicate', path, offset: pair.keyOffset });
      seen.add(pair.key);
      // Go keeps map keys out of its error context: a bad value reports the map's own path.
      const v = this.decode(pair.value, elem, { ...ctx, path: `${ctx.path}[${pair.key}]` });
      Object.defineProperty(out, pair.key, {
        value: v === null || v === undefined ? zeroValue(elem) : v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  private number(node: SourceNode, type: 'int32' | 'int64' | 'float64', ctx: Context): unknown {
    if (node.kind !== 'scalar' || typeof node.value !== 'number') return this.mismatch(node, type, ctx);
    const v = node.value;
    if (type === 'float64') return v;
    const [lo, hi] = type === 'int32' ? int32Range : int64Range;
    const fits = Number.isInteger(v) && v >= lo && (type === 'int32' ? v <= hi : v < hi);
    if (!fits) return this.mismatch(node, type, ctx, `number ${node.numberText ?? String(v)}`);
    return v;
  }

  private quantity(node: SourceNode, ctx: Context): unknown {
    if (node.kind === 'scalar' && typeof node.value === 'number') return node.numberText ?? String(node.value);
    const text = node.kind === 'scalar' && typeof node.value === 'string' ? node.value.trim() : undefined;
    const m = text === undefined ? null : quantityPattern.exec(text);
    if (!m) {
      this.fatal(node, ctx, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }
    if (!quantitySuffix.test(m[2]!)) this.fatal(node, ctx, "unable to parse quantity's suffix");
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1]!)) this.fatal(node, ctx, 'unable to parse numeric part of quantity');
    return (node as { value: string }).value;
  }

  private intOrString(node: SourceNode, ctx: Context): unknown {
    if (node.kind === 'scalar' && typeof node.value === 'string') return node.value;
    if (node.kind === 'scalar' && typeof node.value === 'number') {
      const v = node.value;
      if (Number.isInteger(v) && v >= int32Range[0] && v <= int32Range[1]) return v;
      this.fatal(node, ctx, this.typeMessage(`number ${node.numberText ?? String(v)}`, 'int32', ctx));
    }
    return this.fatal(node, ctx, this.typeMessage(jsonKind(node), 'int32', ctx));
  }

  private time(node: SourceNode, ctx: Context): unknown {
    if (node.kind !== 'scalar' || typeof node.value !== 'string') {
      return this.fatal(node, ctx, this.typeMessage(jsonKind(node), 'string', ctx));
    }
    if (!rfc3339.test(node.value)) {
      this.fatal(node, ctx, `parsing time ${JSON.stringify(node.value)}: not an RFC 3339 time (2006-01-02T15:04:05Z07:00)`);
    }
    return node.value;
  }

  /** A type mismatch: Go saves the first one and goes on decoding the rest. */
  private mismatch(node: SourceNode, type: string, ctx: Context, what?: string): undefined {
    this.savedTypeError ??= { message: this.typeMessage(what ?? jsonKind(node), goTypeName(type), ctx), path: ctx.path, offset: node.offset };
    return undefined;
  }

  private fatal(node: SourceNode, ctx: Context, message: string): never {
    throw new FatalDecodeError({ message, path: ctx.path, offset: node.offset });
  }

  private typeMessage(what: string, goType: string, ctx: Context): string {
    if (!ctx.struct) return `json: cannot unmarshal ${what} into Go value of type ${goType}`;
    return `json: cannot unmarshal ${what} into Go struct field ${ctx.struct}.${ctx.goPath.join('.')} of type ${goType}`;
  }
}

/** Go's name for a schema type code, as `reflect.Type.String()` prints it. */
export function goTypeName(type: string): string {
  if (type.startsWith('[]')) return `[]${goTypeName(type.slice(2))}`;
  if (type === 'map[string]quantity') return 'v1.ResourceList';
  if (type.startsWith('map[string]')) return `map[string]${goTypeName(type.slice('map[string]'.length))}`;
  switch (type) {
    case 'string':
    case 'bool':
    case 'int32':
    case 'int64':
    case 'float64':
      return type;
    case 'quantity':
      return 'resource.Quantity';
    case 'intOrString':
      return 'intstr.IntOrString';
    case 'time':
      return 'v1.Time';
    case 'any':
      return 'interface {}';
    default:
      return `v1.${type}`;
  }
}

function zeroValue(type: string): unknown {
  if (type.startsWith('[]')) return [];
  if (type.startsWith('map[string]')) return {};
  switch (type) {
    case 'string':
    case 'time':
      return '';
    case 'bool':
      return false;
    case 'int32':
    case 'int64':
    case 'float64':
    case 'intOrString':
      return 0;
    case 'quantity':
      return '0';
    case 'any':
      return null;
    default:
      return {};
  }
}

/** A free-form value (FieldsV1) as plain JSON; later duplicate keys win. */
function plainValue(node: SourceNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plainValue);
  const out: Record<string, unknown> = {};
  for (const p of (node as SourceMap).pairs) {
    Object.defineProperty(out, p.key, { value: plainValue(p.value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
