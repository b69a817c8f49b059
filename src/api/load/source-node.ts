/**
 * The parsed shape of one manifest document, independent of its syntax.
 * YAML and JSON both become this tree; every node keeps the character offset
 * it started at so that field paths can be mapped back to line and column.
 *
 * Unlike a plain JS object, a map keeps every key in source order, duplicates
 * included: strict decoding must see them to report `duplicate field`.
 */
export type SourceNode = SourceMap | SourceSeq | SourceScalar;

export interface SourceMap {
  kind: 'map';
  offset: number;
  pairs: SourcePair[];
}

export interface SourcePair {
  key: string;
  keyOffset: number;
  value: SourceNode;
}

export interface SourceSeq {
  kind: 'seq';
  offset: number;
  items: SourceNode[];
}

export interface SourceScalar {
  kind: 'scalar';
  offset: number;
  value: string | number | boolean | null;
  /** How a number reads in the JSON the API server would receive (Go prints it in type errors). */
  numberText?: string;
}

/** Converts character offsets to 1-based line and column. */
export interface LineIndex {
  linePos(offset: number): { line: number; col: number };
}

/** The JSON type name Go's decoder uses in `cannot unmarshal <kind>` messages. */
export function jsonKind(node: SourceNode): 'object' | 'array' | 'string' | 'number' | 'bool' | 'null' {
  if (node.kind === 'map') return 'object';
  if (node.kind === 'seq') return 'array';
  const v = node.value;
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  return 'bool';
}
