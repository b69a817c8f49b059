import { LoadFailure } from './load-error.js';
import { tooDeep, tooManyDocuments, tooManyValues } from './load-limits.js';
import type { SourceMap, SourceNode, SourcePair, SourceSeq } from './source-node.js';

export interface JsonBudget {
  maxDepth: number;
  maxNodes: number;
  maxDocuments: number;
}

/**
 * Parses a stream of JSON values (kubectl accepts several concatenated
 * objects in one file) into source nodes, keeping duplicate keys and offsets.
 *
 * JSON.parse would be faster but loses both, and the `yaml` parser is far too
 * slow on large flow collections. Syntax errors use the wording of Go's
 * encoding/json, which is what kubectl prints for a bad JSON manifest.
 */
export function parseJsonDocuments(text: string, budget: JsonBudget): SourceNode[] {
  const p = new JsonParser(text, budget);
  const docs: SourceNode[] = [];
  p.skipSpace();
  while (p.pos < text.length) {
    if (docs.length >= budget.maxDocuments) {
      throw new LoadFailure('limit', tooManyDocuments(budget.maxDocuments), p.pos);
    }
    docs.push(p.value(0));
    p.skipSpace();
  }
  return docs;
}

const hex = /^[0-9a-fA-F]{4}$/;
const simpleEscapes: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class JsonParser {
  pos = 0;
  private nodes = 0;

  constructor(
    private readonly text: string,
    private readonly budget: JsonBudget,
  ) {}

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return;
      this.pos++;
    }
  }

  private fail(context: string): never {
    if (this.pos >= this.text.length) throw new LoadFailure('parse', 'unexpected end of JSON input', this.text.length);
    throw new LoadFailure('parse', `invalid character ${quoteChar(this.text[this.pos]!)} ${context}`, this.pos);
  }

  private count(offset: number): void {
    if (++this.nodes > this.budget.maxNodes) {
      throw new LoadFailure('limit', tooManyValues(this.budget.maxNodes), offset);
    }
  }

  value(depth: number): SourceNode {
    this.skipSpace();
    const start = this.pos;
    const c = this.text[this.pos];
    this.count(start);
    if (c === '{' || c === '[') {
      if (depth >= this.budget.maxDepth) {
        throw new LoadFailure('limit', tooDeep(this.budget.maxDepth), start);
      }
      return c === '{' ? this.object(depth) : this.array(depth);
    }
    if (c === '"') return { kind: 'scalar', offset: start, value: this.string() };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    if (c === 't') return { kind: 'scalar', offset: start, value: this.literal('true', true) };
    if (c === 'f') return { kind: 'scalar', offset: start, value: this.literal('false', false) };
    if (c === 'n') return { kind: 'scalar', offset: start, value: this.literal('null', null) };
    return this.fail('looking for beginning of value');
  }

  private literal<T>(word: string, value: T): T {
    for (let i = 1; i < word.length; i++) {
      this.pos++;
      if (this.text[this.pos] !== word[i]) this.fail(`in literal ${word} (expecting ${quoteChar(word[i]!)})`);
    }
    this.pos++;
    return value;
  }

  private object(depth: number): SourceMap {
    const node: SourceMap = { kind: 'map', offset: this.pos, pairs: [] };
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return node;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('looking for beginning of object key string');
      const keyOffset = this.pos;
      const key = this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail('after object key');
      this.pos++;
      const pair: SourcePair = { key, keyOffset, value: this.value(depth + 1) };
      node.pairs.push(pair);
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return node;
      }
      this.fail('after object key:value pair');
    }
  }

  private array(depth: number): SourceSeq {
    const node: SourceSeq = { kind: 'seq', offset: this.pos, items: [] };
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return node;
    }
    for (;;) {
      node.items.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return node;
      }
      this.fail('after array element');
    }
  }

  private string(): string {
    const t = this.text;
    this.pos++;
    let out = '';
    let chunk = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('in string literal');
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        out += t.slice(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('in string literal');
      if (c !== 92) {
        this.pos++;
        continue;
      }
      out += t.slice(chunk, this.pos);
      this.pos++;
      const e = t[this.pos];
      const simple = e === undefined ? undefined : simpleEscapes[e];
      if (simple !== undefined) {
        out += simple;
        this.pos++;
      } else if (e === 'u') {
        const digits = t.slice(this.pos + 1, this.pos + 5);
        if (!hex.test(digits)) {
          this.pos++;
          while (this.pos < t.length && /[0-9a-fA-F]/.test(t[this.pos]!)) this.pos++;
          this.fail('in \\u hexadecimal character escape');
        }
        out += String.fromCharCode(parseInt(digits, 16));
        this.pos += 5;
      } else {
        this.fail('in string escape code');
      }
      chunk = this.pos;
    }
  }

  private number(): SourceNode {
    const t = this.text;
    const start = this.pos;
    if (t[this.pos] === '-') this.pos++;
    const digits = () => {
      const from = this.pos;
      while (this.pos < t.length && t[this.pos]! >= '0' && t[this.pos]! <= '9') this.pos++;
      return this.pos - from;
    };
    if (t[this.pos] === '0') this.pos++;
    else if (digits() === 0) this.fail('in numeric literal');
    if (t[this.pos] === '.') {
      this.pos++;
      if (digits() === 0) this.fail('after decimal point in numeric literal');
    }
    if (t[this.pos] === 'e' || t[this.pos] === 'E') {
      this.pos++;
      if (t[this.pos] === '+' || t[this.pos] === '-') this.pos++;
      if (digits() === 0) this.fail('in exponent of numeric literal');
    }
    const numberText = t.slice(start, this.pos);
    return { kind: 'scalar', offset: start, value: Number(numberText), numberText };
  }
}

/** Go's quoteChar: `'x'`, with the single quote and non-printables escaped. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const s = JSON.stringify(c);
  return `'${s.slice(1, -1)}'`;
}
