import { describe, expect, it } from 'vitest';
import { parseJsonDocuments } from './json-documents.js';
import { lineIndexOf, offsetOfPath, parseFieldPath } from './source-map.js';

describe('parseFieldPath', () => {
  it('splits fields, list indices and map keys (dots inside brackets belong to the key)', () => {
    expect(parseFieldPath('spec.containers[0].lifecycle.preStop')).toEqual([
      { field: 'spec' },
      { field: 'containers' },
      { subscript: '0' },
      { field: 'lifecycle' },
      { field: 'preStop' },
    ]);
    expect(parseFieldPath('metadata.labels[app.kubernetes.io/name]')).toEqual([
      { field: 'metadata' },
      { field: 'labels' },
      { subscript: 'app.kubernetes.io/name' },
    ]);
    expect(parseFieldPath('')).toEqual([]);
  });
});

describe('offsetOfPath', () => {
  const text = '{"metadata": {"labels": {"a.b/c": "x"}},\n "spec": {"containers": [{"name": "a"}, {"name": "b", "name": "c"}]}}';
  const [root] = parseJsonDocuments(text, { maxDepth: 10, maxNodes: 100, maxDocuments: 1 });
  const at = (path: string) => text.slice(offsetOfPath(root!, path)).slice(0, 12);

  it('points at the key of a field, the start of a list item, a map key in brackets', () => {
    expect(at('spec')).toBe('"spec": {"co');
    expect(at('spec.containers[1]')).toBe('{"name": "b"');
    expect(at('metadata.labels[a.b/c]')).toBe('"a.b/c": "x"');
  });

  it('uses the last of repeated keys, the one that takes effect', () => {
    expect(at('spec.containers[1].name')).toBe('"name": "c"}');
  });

  it('stops at the deepest existing ancestor', () => {
    expect(at('spec.containers[5].name')).toBe('"containers"');
    expect(at('spec.containers[0].name.x')).toBe('"name": "a"}');
    expect(at('nope')).toBe('{"metadata":');
  });
});

describe('lineIndexOf', () => {
  it('gives 1-based lines and columns', () => {
    const lines = lineIndexOf('ab\ncd\n\nef');
    expect(lines.linePos(0)).toEqual({ line: 1, col: 1 });
    expect(lines.linePos(4)).toEqual({ line: 2, col: 2 });
    expect(lines.linePos(7)).toEqual({ line: 4, col: 1 });
  });
});
