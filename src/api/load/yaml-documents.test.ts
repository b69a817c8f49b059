import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Document, isMap, isSeq, parseAllDocuments, type Node } from 'yaml';
import { LoadFailure } from './load-error.js';
import { parseYamlDocuments } from './yaml-documents.js';

const budget = { maxDepth: 8, maxNodes: 10_000, maxDocuments: 10, maxYamlTokens: 10_000 };

function parse(text: string) {
  try {
    return { docs: parseYamlDocuments(text, budget).docs };
  } catch (err) {
    if (err instanceof LoadFailure) return { failure: err };
    throw err;
  }
}

/** Collection nesting as the yaml library itself builds it. */
function depthOf(node: unknown): number {
  if (isMap(node)) return 1 + Math.max(0, ...node.items.map((p) => Math.max(depthOf(p.key), depthOf(p.value))));
  if (isSeq(node)) return 1 + Math.max(0, ...node.items.map(depthOf));
  return 0;
}

const scalar = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null));

/** A tree exactly `depth` collections deep along one path, with scalar siblings along the way. */
function treeOfDepth(depth: number): fc.Arbitrary<unknown> {
  if (depth === 0) return scalar;
  return fc
    // Not `<<`: a YAML 1.1 merge key (as kubectl reads it) folds its map into the parent, one level less than the yaml library's count.
    .tuple(fc.boolean(), treeOfDepth(depth - 1), fc.array(scalar, { maxLength: 2 }), fc.string({ minLength: 1, maxLength: 3 }).filter((k) => k !== '<<'))
    .map(([asMap, child, extra, key]) => (asMap ? Object.fromEntries([[key, child], ...extra.map((e, i) => [`${key}${i}`, e])]) : [...extra, child]));
}
const tree = fc.integer({ min: 1, max: 14 }).chain(treeOfDepth);

describe('parseYamlDocuments', () => {
  it('refuses exactly the documents nested deeper than maxDepth, in any layout (property)', () => {
    let deep = 0;
    fc.assert(
      fc.property(tree, fc.boolean(), (value, flow) => {
        const doc = new Document(value);
        let n = 0;
        const style = (node: Node | null | undefined): void => {
          if (!isMap(node) && !isSeq(node)) return;
          node.flow = flow ? n++ % 2 === 0 : n++ % 3 === 0;
          for (const item of node.items) style((isMap(node) ? (item as { value: Node }).value : item) as Node);
        };
        style(doc.contents as Node);
        const text = doc.toString();
        const expected = Math.max(0, ...parseAllDocuments(text, { uniqueKeys: false }).map((d) => depthOf(d.contents)));
        const r = parse(text);
        // Strings the yaml library writes but go-yaml v2 reads differently (e.g. `.` as a key) are not this test's business.
        fc.pre(!r.docs?.some((d) => d.failure?.reason === 'parse'));
        const refused = r.failure?.message === 'document nested more than 8 levels deep' || r.docs?.some((d) => d.failure?.message === 'document nested more than 8 levels deep');
        expect(refused, text).toBe(expected > 8);
        if (expected > 8) deep++;
      }),
      { numRuns: 1500 },
    );
    expect(deep).toBeGreaterThan(10);
  });

  it('reads scalars as kubectl does (YAML 1.1 via go-yaml v2)', () => {
    const { docs } = parse('a: [yes, no, on, off, y, n, 0777, 0x1f, 1_000, ~, "1", 1:20, 2001-12-14, .]\n');
    const node = docs![0]!.node!;
    expect(node.kind).toBe('map');
    const items = node.kind === 'map' && node.pairs[0]!.value.kind === 'seq' ? node.pairs[0]!.value.items : [];
    expect(items.map((i) => (i.kind === 'scalar' ? i.value : undefined))).toEqual([
      true, false, true, false, true, false, 511, 31, 1000, null, '1', '1:20', '2001-12-14', '.',
    ]);
  });

  it('refuses .inf and NaN, which have no JSON form', () => {
    expect(parse('a: .inf\n').docs![0]!.failure!.message).toBe('json: unsupported value: +Inf');
  });

  it('refuses collection keys, which JSON cannot hold', () => {
    expect(parse('? [a, b]\n: c\n').docs![0]!.failure!.message).toBe('a mapping key must be a scalar, not a collection');
  });

  it('merges a list of maps: explicit keys first, then the earlier map wins', () => {
    const { docs } = parse('x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz:\n  <<: [*x, *y]\n  c: 3\n');
    const z = docs![0]!.node!.kind === 'map' ? docs![0]!.node!.pairs[2]!.value : undefined;
    expect(z?.kind === 'map' ? z.pairs.map((p) => [p.key, p.value.kind === 'scalar' ? p.value.value : '?']) : []).toEqual([
      ['c', 3],
      ['a', 1],
      ['b', 1],
    ]);
  });
});
