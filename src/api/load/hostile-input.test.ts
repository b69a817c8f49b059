import { beforeAll, describe, expect, it } from 'vitest';
import { loadManifests, type LoadResult } from './load-manifests.js';

/** Loads and times; every hostile case must be refused with a clear message, fast. */
function refuse(text: string, limits = {}): { result: LoadResult; ms: number } {
  const t0 = performance.now();
  const result = loadManifests(text, 'hostile.yaml', limits);
  return { result, ms: performance.now() - t0 };
}

const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: i\n';

// One entry per attack: the input, and the message that refuses it.
const cases: [string, () => string, RegExp][] = [
  [
    'an alias bomb ("billion laughs")',
    () => {
      let s = 'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
      for (let i = 1; i < 12; i++) s += `    a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
      return s;
    },
    /^manifest too large: more than 100000 values \(expanding alias \*a\d+: an alias bomb\?\)$/,
  ],
  ['flow nesting 100 000 deep', () => '['.repeat(100_000) + ']'.repeat(100_000), /^document nested more than 100 levels deep$/],
  ['flow maps 50 000 deep', () => 'x: ' + '{a: '.repeat(50_000) + '1' + '}'.repeat(50_000), /^document nested more than 100 levels deep$/],
  [
    'block indentation 2 000 deep',
    () => Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n',
    /^document nested more than 100 levels deep$/,
  ],
  ['compact sequences 100 000 deep ("- - - …")', () => '- '.repeat(100_000) + 'x\n', /^document nested more than 100 levels deep$/],
  ['explicit keys 100 000 deep ("? ? ? …")', () => '? '.repeat(100_000) + 'x\n', /^document nested more than 100 levels deep$/],
  ['JSON nested 1 000 000 deep', () => '{"a":'.repeat(1_000_000) + '1' + '}'.repeat(1_000_000), /^file too large: /],
  ['JSON nested 200 000 deep', () => '['.repeat(200_000) + ']'.repeat(200_000), /^document nested more than 100 levels deep$/],
  ['a 4 MiB file', () => 'a: ' + 'x'.repeat(4 * 1024 * 1024), /^file too large: 4\.0 MiB \(4194307 bytes\); the limit is 3\.0 MiB/],
  ['100 000 documents', () => '---\na: 1\n'.repeat(100_000), /^too many documents: more than 1000 in one file$/],
  ['200 000 empty documents', () => '---\n'.repeat(200_000), /^too many documents: more than 1000 in one file$/],
  ['100 000 concatenated JSON objects', () => '{}'.repeat(100_000), /^too many documents: more than 1000 in one file$/],
  [
    'a JSON pod with 150 000 labels',
    () => `{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{${Array.from({ length: 150_000 }, (_, i) => `"k${i}":"v"`).join(',')}}}}`,
    /^manifest too large: more than 100000 values$/,
  ],
];

describe('hostile input is refused quickly, with a clear error, never a hang or a crash', () => {
  // The first parse in a process pays for JIT compilation of the YAML parser; keep that out of the timings.
  beforeAll(() => {
    loadManifests(pod, 'warm-up.yaml');
    loadManifests('{"a": [1, "x", true, null]}', 'warm-up.json');
  });

  for (const [name, make, message] of cases) {
    it(`refuses ${name}`, () => {
      const text = make();
      const { result, ms } = refuse(text);
      expect(result.pods).toEqual([]);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]!.reason).toBe('limit');
      expect(result.errors[0]!.message).toMatch(message);
      expect(ms).toBeLessThan(500);
    });
  }

  it('refuses a self-referencing alias as a parse error', () => {
    const { result } = refuse('a: &x [1, *x]\n');
    expect(result.errors.map((e) => [e.reason, e.message])).toEqual([['parse', 'unknown anchor *x: it must be defined before it is used']]);
  });

  it('refuses a YAML text that needs more lexical tokens than allowed, before parsing all of it', () => {
    const text = Array.from({ length: 400 }, (_, i) => pod.replace('name: p', `name: p${i}`)).join('---\n');
    const { result, ms } = refuse(text, { maxYamlTokens: 2000 });
    expect(result.errors.map((e) => e.message)).toEqual(['manifest too large: more than 2000 YAML tokens']);
    expect(ms).toBeLessThan(500);
  });

  it('points at the place where the input went over the limit', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    a: ' + '['.repeat(200) + ']'.repeat(200) + '\n';
    const error = refuse(text).result.errors[0]!;
    expect(error).toMatchObject({ reason: 'limit', line: 5, message: 'document nested more than 100 levels deep' });
    // Inside the run of brackets, past the hundredth (the parser's stack also holds the maps above).
    expect(error.col).toBeGreaterThan(7 + 100);
    expect(error.col).toBeLessThan(7 + 120);
  });

  it('refuses the pods beyond maxPods in a List, keeping the first ones', () => {
    const items = Array.from({ length: 5 }, (_, i) => `- {apiVersion: v1, kind: Pod, metadata: {name: p${i}}}`).join('\n');
    const { result } = refuse(`apiVersion: v1\nkind: List\nitems:\n${items}\n`, { maxPods: 3 });
    expect(result.pods).toHaveLength(3);
    expect(result.errors.map((e) => e.message)).toEqual(['too many pods: more than 3 in one file']);
  });

  it('still parses normally after every attack (the parser was never pushed into a stack overflow)', () => {
    for (const [, make] of cases) refuse(make());
    const { result } = refuse(pod);
    expect(result.errors).toEqual([]);
    expect(result.pods).toHaveLength(1);
  });

  it('accepts real nesting well inside the limit', () => {
    const deep = 'apiVersion: v1\nkind: Pod\nmetadata:\n  managedFields:\n  - fieldsV1: ' + '{"f:a": '.repeat(60) + '{}' + '}'.repeat(60) + '\n';
    const { result } = refuse(deep);
    expect(result.errors).toEqual([]);
  });
});
