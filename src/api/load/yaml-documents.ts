import {
  Composer,
  Lexer,
  LineCounter,
  Parser,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Node as YamlNode,
  type ParsedNode,
  type CST,
  type Tags,
} from 'yaml';
import { LoadFailure } from './load-error.js';
import { tooDeep, tooManyDocuments, tooManyTokens, tooManyValues } from './load-limits.js';
import type { SourceMap, SourceNode, SourcePair } from './source-node.js';

export interface YamlBudget {
  maxDepth: number;
  maxNodes: number;
  maxDocuments: number;
  maxYamlTokens: number;
}

/** One `---` document: its tree, or why it could not be read. */
export type YamlDocument =
  | { index: number; node: SourceNode | undefined; failure?: undefined }
  | { index: number; node?: undefined; failure: LoadFailure };

/**
 * Parses a YAML stream the way kubectl reads a manifest: YAML 1.1 scalars
 * (go-yaml v2: `yes`/`on` are booleans, `0755` is octal; timestamps stay
 * strings), `<<` merge keys, aliases expanded. Each document fails on its own.
 *
 * The token budget and the nesting limit are checked while lexing, so a huge
 * or deep text stops early rather than after (or during) a full parse.
 */
export function parseYamlDocuments(text: string, budget: YamlBudget): { docs: YamlDocument[]; lines: LineCounter } {
  const lines = new LineCounter();
  const composer = new Composer({
    version: '1.1',
    merge: true,
    uniqueKeys: false, // duplicates are reported by strict decoding; the yaml check is also O(n²)
    customTags: goYamlV2Tags,
  });
  const nodes = { count: 0 };
  const docs: YamlDocument[] = [];
  for (const doc of composer.compose(guardedTokens(text, lines, budget))) {
    if (docs.length >= budget.maxDocuments) {
      throw new LoadFailure('limit', tooManyDocuments(budget.maxDocuments), doc.range[0]);
    }
    docs.push(convertDocument(doc, docs.length, text, budget, nodes));
  }
  return { docs, lines };
}

/** go-yaml v2 resolves neither sexagesimal numbers (`1:30`) nor timestamps: they stay strings. */
function goYamlV2Tags(tags: Tags): Tags {
  return tags.filter((t) => {
    if (typeof t === 'string') return true;
    return t.tag !== 'tag:yaml.org,2002:timestamp' && !('format' in t && t.format === 'TIME');
  });
}

/**
 * Lexes and parses with two guards checked after every token. The lexer and
 * the CST parser are iterative (an explicit stack), but the composer that
 * builds nodes from the CST recurses once per nesting level: around a
 * thousand levels it overflows the call stack, and V8 can then abort the
 * whole process on a later parse (seen: "RegExpCompiler Allocation failed").
 * So nesting is refused here, while the parser's stack is still shallow.
 */
function* guardedTokens(text: string, lines: LineCounter, budget: YamlBudget): Generator<CST.Token> {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0);
  // The parser's stack holds the document and every node still open: depth plus a token or two.
  const maxStack = budget.maxDepth + 3;
  let count = 0;
  let offset = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (++count > budget.maxYamlTokens) throw new LoadFailure('limit', tooManyTokens(budget.maxYamlTokens), offset);
    yield* parser.next(lexeme);
    if (parser.stack.length > maxStack) throw new LoadFailure('limit', tooDeep(budget.maxDepth), offset);
    offset += lexeme.length;
  }
  yield* parser.end();
}

interface Converted {
  node: SourceNode;
  size: number;
  height: number;
}

function convertDocument(doc: Document.Parsed, index: number, text: string, budget: YamlBudget, nodes: { count: number }): YamlDocument {
  const error = doc.errors[0];
  if (error) {
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { index, failure: new LoadFailure('parse', message, error.pos[0]) };
  }
  if (doc.contents === null) return { index, node: undefined };
  try {
    const converter = new Converter(text, budget, nodes);
    const { node } = converter.convert(doc.contents, 0);
    if (node.kind === 'scalar' && node.value === null) return { index, node: undefined };
    return { index, node };
  } catch (err) {
    if (err instanceof LoadFailure) return { index, failure: err };
    throw err;
  }
}

class Converter {
  /** Anchors seen so far, in document order: an alias refers to the last one defined before it. */
  private readonly anchors = new Map<string, Converted>();

  constructor(
    private readonly text: string,
    private readonly budget: YamlBudget,
    private readonly nodes: { count: number },
  ) {}

  convert(node: YamlNode | ParsedNode | null, depth: number): Converted {
    if (node === null) return this.scalar(null, 0, 1);
    const offset = node.range?.[0] ?? 0;
    if (isAlias(node)) return this.alias(node.source, offset, depth);
    let converted: Converted;
    if (isScalar(node)) {
      const source = node.range ? this.text.slice(node.range[0], node.range[1]) : '';
      let value = scalarValue(node.value, source);
      if (typeof value === 'number' && !Number.isFinite(value)) {
        // go-yaml v2 reads only .inf/.nan spellings as such (the yaml library also takes `.` as NaN).
        if (!/^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$/.test(source.trim())) value = source.trim();
        else throw new LoadFailure('parse', `json: unsupported value: ${jsonNonFinite(value)}`, offset);
      }
      converted = this.scalar(value, offset, 1);
    } else if (isMap(node) || isSeq(node)) {
      if (depth >= this.budget.maxDepth) {
        throw new LoadFailure('limit', tooDeep(this.budget.maxDepth), offset);
      }
      this.countNodes(1, offset);
      converted = isMap(node) ? this.map(node.items, offset, depth) : this.seq(node.items, offset, depth);
    } else {
      throw new LoadFailure('parse', 'unsupported YAML node', offset);
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, converted);
    return converted;
  }

  private scalar(value: string | number | boolean | null, offset: number, size: number): Converted {
    this.countNodes(size, offset);
    const node: SourceNode = { kind: 'scalar', offset, value };
    if (typeof value === 'number') node.numberText = String(value);
    return { node, size, height: 0 };
  }

  private alias(name: string, offset: number, depth: number): Converted {
    const target = this.anchors.get(name);
    if (!target) throw new LoadFailure('parse', `unknown anchor *${name}: it must be defined before it is used`, offset);
    // The converted tree is shared, but everything downstream walks it expanded: count it expanded.
    this.countNodes(target.size, offset, name);
    if (depth + target.height > this.budget.maxDepth) {
      throw new LoadFailure('limit', tooDeep(this.budget.maxDepth, name), offset);
    }
    return target;
  }

  private countNodes(n: number, offset: number, alias?: string): void {
    this.nodes.count += n;
    if (this.nodes.count > this.budget.maxNodes) {
      throw new LoadFailure('limit', tooManyValues(this.budget.maxNodes, alias), offset);
    }
  }

  private seq(items: unknown[], offset: number, depth: number): Converted {
    const out: SourceNode[] = [];
    let size = 1;
    let height = 0;
    for (const item of items) {
      const c = this.convert(item as YamlNode | null, depth + 1);
      out.push(c.node);
      size += c.size;
      height = Math.max(height, c.height);
    }
    return { node: { kind: 'seq', offset, items: out }, size, height: height + 1 };
  }

  private map(items: unknown[], offset: number, depth: number): Converted {
    const explicit: SourcePair[] = [];
    const merged: SourcePair[][] = [];
    let size = 1;
    let height = 0;
    for (const item of items) {
      const pair = item as { key: YamlNode | null; value: YamlNode | null };
      const keyOffset = pair.key?.range?.[0] ?? offset;
      if (isMergeKey(pair.key)) {
        const sources = this.mergeSources(pair.value, keyOffset, depth);
        for (const s of sources) {
          merged.push(s.node.pairs);
          size += s.size;
          height = Math.max(height, s.height - 1);
        }
        continue;
      }
      const key = this.key(pair.key, keyOffset, depth);
      const value = this.convert(pair.value, depth + 1);
      explicit.push({ key, keyOffset, value: value.node });
      size += value.size;
      height = Math.max(height, value.height);
    }
    const pairs = explicit;
    if (merged.length > 0) {
      // Explicit keys win; among merged maps the first one listed wins.
      const seen = new Set(explicit.map((p) => p.key));
      for (const source of merged) {
        for (const p of source) {
          if (seen.has(p.key)) continue;
          seen.add(p.key);
          pairs.push(p);
        }
      }
    }
    const node: SourceMap = { kind: 'map', offset, pairs };
    return { node, size, height: height + 1 };
  }

  private mergeSources(value: YamlNode | null, offset: number, depth: number): { node: SourceMap; size: number; height: number }[] {
    const asMap = (n: YamlNode | null) => {
      const c = this.convert(n, depth);
      if (c.node.kind !== 'map') throw new LoadFailure('parse', 'merge key << needs a mapping or a list of mappings', offset);
      return { node: c.node, size: c.size, height: c.height };
    };
    if (isSeq(value)) return value.items.map((n) => asMap(n as YamlNode | null));
    return [asMap(value)];
  }

  private key(key: YamlNode | null, offset: number, depth: number): string {
    const c = this.convert(key, depth + 1);
    if (c.node.kind !== 'scalar') throw new LoadFailure('parse', 'a mapping key must be a scalar, not a collection', offset);
    return c.node.value === null ? 'null' : String(c.node.value);
  }
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return typeof v === 'symbol' && v.description === '<<';
}

function scalarValue(v: unknown, source: string): string | number | boolean | null {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  // !!binary and other exotic tags: kubectl would send the text; keep the scalar's text.
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return source;
}

function jsonNonFinite(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? '+Inf' : '-Inf';
}
