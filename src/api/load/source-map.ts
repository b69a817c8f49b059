import { LineCounter } from 'yaml';
import type { LineIndex, SourceNode } from './source-node.js';

/** A 1-based position in the manifest text. */
export interface SourcePosition {
  line: number;
  col: number;
}

/** One step of a Kubernetes field path: a field name, or a `[...]` subscript (list index or map key). */
export type PathSegment = { field: string } | { subscript: string };

/**
 * Splits `spec.containers[0].env[1].name` or `metadata.labels[app.kubernetes.io/name]`.
 * Dots inside brackets belong to the key.
 */
export function parseFieldPath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      const close = path.indexOf(']', i + 1);
      const end = close < 0 ? path.length : close;
      out.push({ subscript: path.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
    out.push({ field: path.slice(i, j) });
    i = j;
  }
  return out;
}

/**
 * Finds the character offset of a field path inside a document: the key for a
 * map entry, the item for a list element. When the path does not exist (a
 * Required value, say) it stops at the deepest ancestor that does.
 * A repeated key resolves to its last occurrence, the one that takes effect.
 */
export function offsetOfPath(root: SourceNode, path: string): number {
  let node = root;
  let offset = root.offset;
  for (const seg of parseFieldPath(path)) {
    if (node.kind === 'map') {
      const key = 'field' in seg ? seg.field : seg.subscript;
      const pair = lastPair(node.pairs, key);
      if (!pair) break;
      offset = pair.keyOffset;
      node = pair.value;
    } else if (node.kind === 'seq' && 'subscript' in seg && /^\d+$/.test(seg.subscript)) {
      const item = node.items[Number(seg.subscript)];
      if (!item) break;
      offset = item.offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function lastPair<T extends { key: string }>(pairs: T[], key: string): T | undefined {
  for (let i = pairs.length - 1; i >= 0; i--) if (pairs[i]!.key === key) return pairs[i];
  return undefined;
}

/** A line index over a whole text (the yaml parser fills one as it reads; JSON needs its own). */
export function lineIndexOf(text: string): LineIndex {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc;
}
