import { readFile, stat } from 'node:fs/promises';
import type { Pod } from '../types.js';
import { parseJsonDocuments } from './json-documents.js';
import { LoadFailure, type LoadError } from './load-error.js';
import { defaultLoadLimits, tooLarge, tooManyDocuments, tooManyPods, type LoadLimits } from './load-limits.js';
import { lineIndexOf, offsetOfPath, type SourcePosition } from './source-map.js';
import type { LineIndex, SourceMap, SourceNode } from './source-node.js';
import { jsonKind } from './source-node.js';
import { decodeStrict, formatStrictErrors } from './strict-fields.js';
import { parseYamlDocuments, type YamlDocument } from './yaml-documents.js';
import { countYamlDocuments } from './yaml-prescan.js';

export type { LoadError, LoadErrorReason } from './load-error.js';
export type { LoadLimits } from './load-limits.js';
export type { SourcePosition } from './source-map.js';

/** A Pod read from a manifest, with a way back to where each field was written. */
export interface LoadedPod {
  /** The Pod as written: field names checked, values not validated or defaulted. */
  pod: Pod;
  fileName: string;
  /** 0-based index of the document in the file. */
  docIndex: number;
  /** Index in `items` when the Pod came from a List. */
  itemIndex?: number;
  /** 1-based line and column of a field path; falls back to the nearest ancestor that exists. */
  position(fieldPath: string): SourcePosition | undefined;
}

export interface LoadResult {
  pods: LoadedPod[];
  errors: LoadError[];
}

/**
 * Reads every Pod in a YAML or JSON manifest (several documents, `kind: List`
 * or `PodList` included), refusing what the API server would refuse at decode
 * time: other kinds, other apiVersions, unknown or duplicate fields
 * (`fieldValidation=Strict`, kubectl's default) and mistyped values. Never
 * throws: everything wrong is a LoadError, and hostile input (huge, deeply
 * nested, alias bombs, endless documents) is refused early.
 */
export function loadManifests(text: string, fileName: string, limits: Partial<LoadLimits> = {}): LoadResult {
  try {
    return load(text, fileName, { ...defaultLoadLimits, ...limits });
  } catch (err) {
    // Unreachable by design (the fuzz tests look for it); a bug must still not crash the caller.
    return failed(fileName, 'internal', `internal error while reading the manifest: ${(err as Error).message}`);
  }
}

function load(text: string, fileName: string, lim: LoadLimits): LoadResult {
  const result: LoadResult = { pods: [], errors: [] };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > lim.maxBytes) {
    result.errors.push({ fileName, reason: 'limit', message: tooLarge(bytes, lim.maxBytes) });
    return result;
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let lines: LineIndex | undefined;
  let docs: YamlDocument[];
  try {
    if (/^\s*\{/.test(source)) {
      // kubectl reads a file that starts with `{` as a stream of JSON objects.
      lines = lineIndexOf(source);
      docs = parseJsonDocuments(source, lim).map((node, index) => ({ index, node }));
    } else {
      if (countYamlDocuments(source, lim.maxDocuments) > lim.maxDocuments) throw new LoadFailure('limit', tooManyDocuments(lim.maxDocuments));
      const parsed = parseYamlDocuments(source, lim);
      lines = parsed.lines;
      docs = parsed.docs;
    }
  } catch (err) {
    if (!(err instanceof LoadFailure)) throw err;
    result.errors.push(locate({ fileName, reason: err.reason, message: err.message }, err.offset, lines ?? lineIndexOf(source)));
    return result;
  }

  const reader = new DocumentReader(fileName, lines, lim, result);
  for (const doc of docs) {
    if (doc.failure) {
      result.errors.push(locate({ fileName, docIndex: doc.index, reason: doc.failure.reason, message: doc.failure.message }, doc.failure.offset, lines));
    } else if (doc.node) {
      reader.read(doc.node, doc.index);
    }
    if (reader.full) break;
  }
  return result;
}

/** Reads a manifest file; refuses files over the size limit without reading them. */
export async function loadManifestFile(path: string, limits: Partial<LoadLimits> = {}): Promise<LoadResult> {
  const lim: LoadLimits = { ...defaultLoadLimits, ...limits };
  try {
    const info = await stat(path);
    if (info.isDirectory()) return failed(path, 'read', `${path} is a directory: give manifest files`);
    if (info.size > lim.maxBytes) return failed(path, 'limit', tooLarge(info.size, lim.maxBytes));
    const text = await readFile(path, 'utf8');
    return loadManifests(text, path, lim);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return failed(path, 'read', `the path ${JSON.stringify(path)} does not exist`);
    return failed(path, 'read', `cannot read ${path}: ${(err as Error).message}`);
  }
}

function failed(fileName: string, reason: LoadError['reason'], message: string): LoadResult {
  return { pods: [], errors: [{ fileName, reason, message }] };
}

function locate(error: LoadError, offset: number | undefined, lines: LineIndex): LoadError {
  if (offset === undefined) return error;
  const { line, col } = lines.linePos(offset);
  return { ...error, line, col };
}

/** Turns parsed documents into Pods (or errors), one document or List item at a time. */
class DocumentReader {
  full = false;

  constructor(
    private readonly fileName: string,
    private readonly lines: LineIndex,
    private readonly limits: LoadLimits,
    private readonly result: LoadResult,
  ) {}

  read(node: SourceNode, docIndex: number): void {
    const where = `document ${docIndex + 1}`;
    if (node.kind !== 'map') {
      this.fail(docIndex, node.offset, 'kind', `${where}: expected a Pod object (a mapping with apiVersion and kind), found ${article(jsonKind(node))}`);
      return;
    }
    const kind = scalarField(node, 'kind');
    if (kind === 'List' || kind === 'PodList') {
      this.readList(node, docIndex, kind);
      return;
    }
    this.readPod(node, docIndex, undefined, where);
  }

  private readList(node: SourceMap, docIndex: number, kind: string): void {
    const where = `document ${docIndex + 1}`;
    const apiVersion = scalarField(node, 'apiVersion');
    if (apiVersion !== 'v1') {
      this.fail(docIndex, fieldOffset(node, 'apiVersion'), 'kind', apiVersionMessage(where, kind, apiVersion));
      return;
    }
    const items = lastValue(node, 'items');
    if (!items || (items.kind === 'scalar' && items.value === null)) return;
    if (items.kind !== 'seq') {
      this.fail(docIndex, items.offset, 'type', `${where}: ${kind} items must be a list, found ${article(jsonKind(items))}`);
      return;
    }
    items.items.forEach((item, i) => {
      if (this.full) return;
      const itemWhere = `${where}, items[${i}]`;
      if (item.kind !== 'map') {
        this.fail(docIndex, item.offset, 'kind', `${itemWhere}: expected a Pod object, found ${article(jsonKind(item))}`);
        return;
      }
      this.readPod(item, docIndex, i, itemWhere);
    });
  }

  private readPod(node: SourceMap, docIndex: number, itemIndex: number | undefined, where: string): void {
    const kind = scalarField(node, 'kind');
    const apiVersion = scalarField(node, 'apiVersion');
    if (kind === undefined) {
      this.fail(docIndex, node.offset, 'kind', `${where}: kind not set: hooklet runs Pods (apiVersion: v1, kind: Pod)`);
      return;
    }
    if (kind !== 'Pod') {
      this.fail(docIndex, fieldOffset(node, 'kind'), 'kind', `${where}: kind ${JSON.stringify(kind)} is not supported: hooklet runs Pods`);
      return;
    }
    if (apiVersion !== 'v1') {
      this.fail(docIndex, fieldOffset(node, apiVersion === undefined ? 'kind' : 'apiVersion'), 'kind', apiVersionMessage(where, kind, apiVersion));
      return;
    }
    const decoded = decodeStrict(node, 'Pod');
    const prefix = 'Pod in version "v1" cannot be handled as a Pod: ';
    if (decoded.typeError) {
      this.fail(docIndex, decoded.typeError.offset, 'type', prefix + decoded.typeError.message);
      return;
    }
    const first = decoded.strictErrors[0];
    if (first) {
      this.fail(docIndex, first.offset, 'strict', prefix + formatStrictErrors(decoded.strictErrors));
      return;
    }
    if (this.result.pods.length >= this.limits.maxPods) {
      this.fail(docIndex, node.offset, 'limit', tooManyPods(this.limits.maxPods));
      this.full = true;
      return;
    }
    const pod = decoded.value as Pod;
    // Go decodes into zero-valued structs: a Pod always has metadata and spec.
    pod.metadata ??= {};
    pod.spec ??= {} as Pod['spec'];
    const lines = this.lines;
    this.result.pods.push({
      pod,
      fileName: this.fileName,
      docIndex,
      ...(itemIndex === undefined ? {} : { itemIndex }),
      position: (fieldPath: string) => lines.linePos(offsetOfPath(node, fieldPath)),
    });
  }

  private fail(docIndex: number, offset: number, reason: LoadError['reason'], message: string): void {
    this.result.errors.push(locate({ fileName: this.fileName, docIndex, reason, message }, offset, this.lines));
  }
}

function apiVersionMessage(where: string, kind: string, apiVersion: string | undefined): string {
  if (apiVersion === undefined) return `${where}: apiVersion not set: a ${kind} needs apiVersion: v1`;
  return `${where}: no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}`;
}

function lastValue(node: SourceMap, key: string): SourceNode | undefined {
  for (let i = node.pairs.length - 1; i >= 0; i--) if (node.pairs[i]!.key === key) return node.pairs[i]!.value;
  return undefined;
}

function fieldOffset(node: SourceMap, key: string): number {
  for (let i = node.pairs.length - 1; i >= 0; i--) if (node.pairs[i]!.key === key) return node.pairs[i]!.keyOffset;
  return node.offset;
}

/** A top-level string field (`kind`, `apiVersion`); a non-string reads as its text, as kubectl's type probe would fail on it. */
function scalarField(node: SourceMap, key: string): string | undefined {
  const v = lastValue(node, key);
  if (!v || v.kind !== 'scalar' || v.value === null || v.value === '') return undefined;
  return String(v.value);
}

function article(kind: string): string {
  return kind === 'object' || kind === 'array' ? `an ${kind}` : `a ${kind}`;
}
