import { unsupportedMediaType } from '../http/api-error.js';
import { parseMediaType } from '../http/media-type.js';
import { jsonMergePatch } from './json-merge-patch.js';
import { jsonPatch } from './json-patch.js';
import { strategicMergePatch } from './strategic-merge-patch.js';

export type PatchType = 'strategic' | 'merge' | 'json' | 'apply';

const byMediaType: Record<string, PatchType> = {
  'application/strategic-merge-patch+json': 'strategic',
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/** The patch type a PATCH request's Content-Type names; 415 for anything else. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const type = byMediaType[parseMediaType(contentType).type];
  if (!type) throw unsupportedMediaType(contentType ?? '');
  return type;
}

/**
 * Applies a patch body to an object. Server-side apply (`apply-patch+yaml`)
 * is approximated by a strategic merge of the applied configuration: hooklet
 * keeps no managedFields, so fields the applier stopped setting are not
 * removed (README "API subset").
 */
export function patchObject(type: PatchType, original: unknown, body: unknown): unknown {
  switch (type) {
    case 'strategic':
    case 'apply':
      return strategicMergePatch(original, body);
    case 'merge':
      return jsonMergePatch(original, body);
    case 'json':
      return jsonPatch(original, body);
  }
}
