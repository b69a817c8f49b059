import { describe, expect, it } from 'vitest';
import { parseJsonDocuments } from './json-documents.js';
import { LoadFailure } from './load-error.js';

const budget = { maxDepth: 100, maxNodes: 10_000, maxDocuments: 10 };

function failure(text: string): { message: string; offset?: number } {
  try {
    parseJsonDocuments(text, budget);
  } catch (err) {
    if (err instanceof LoadFailure) return { message: err.message, offset: err.offset };
    throw err;
  }
  throw new Error('expected a failure');
}

describe('parseJsonDocuments', () => {
  it('keeps duplicate keys, key offsets and number text', () => {
    const [doc] = parseJsonDocuments('{"a": 1, "a": 2.50e1}', budget);
    expect(doc).toEqual({
      kind: 'map',
      offset: 0,
      pairs: [
        { key: 'a', keyOffset: 1, value: { kind: 'scalar', offset: 6, value: 1, numberText: '1' } },
        { key: 'a', keyOffset: 9, value: { kind: 'scalar', offset: 14, value: 25, numberText: '2.50e1' } },
      ],
    });
  });

  it('reads a stream of values separated by whitespace', () => {
    expect(parseJsonDocuments(' {}\n[1, true, null] "x" ', budget).map((d) => d.kind)).toEqual(['map', 'seq', 'scalar']);
  });

  it('decodes string escapes', () => {
    const [doc] = parseJsonDocuments('"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"', budget);
    expect(doc).toMatchObject({ value: 'a"\\/\b\f\n\r\té😀' });
  });

  it.each([
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string", 7],
    ['{"a" 1}', "invalid character '1' after object key", 5],
    ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair", 7],
    ['[1 2]', "invalid character '2' after array element", 3],
    ['[1,]', "invalid character ']' looking for beginning of value", 3],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string", 1],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')", 8],
    ['{"a":01}', "invalid character '1' after object key:value pair", 6],
    ['{"a":-}', "invalid character '}' in numeric literal", 6],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal", 7],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal", 7],
    ['{"a":"\\x"}', "invalid character 'x' in string escape code", 7],
    ['{"a":"\\u12"}', "invalid character '\"' in \\u hexadecimal character escape", 10],
    ['{"a":"line\nbreak"}', "invalid character '\\n' in string literal", 10],
    ['{"a":1', 'unexpected end of JSON input', 6],
    ['{"a":"x', 'unexpected end of JSON input', 7],
    ['{} x', "invalid character 'x' looking for beginning of value", 3],
  ])('%s → %s (Go encoding/json wording)', (text, message, offset) => {
    expect(failure(text)).toEqual({ message, offset });
  });

  it('enforces depth, value and document limits', () => {
    expect(failure('['.repeat(101) + ']'.repeat(101)).message).toBe('document nested more than 100 levels deep');
    expect(failure(`[${'1,'.repeat(10_000)}1]`).message).toBe('manifest too large: more than 10000 values');
    expect(failure('{}'.repeat(11)).message).toBe('too many documents: more than 10 in one file');
  });
});
