/**
 * validatePod: what the API server runs on create (ValidatePodCreate), on a pod that has
 * already been through applyDefaults. Every error is returned, in the server's order:
 * metadata, then the spec (ValidatePodSpec order), then the pod-only container checks, then
 * the create-only rules.
 *
 * Not covered: pod-specific annotations (mirror-pod, deletion cost, seccomp/AppArmor),
 * resource quantities, affinity, topology spread, and "Not found" errors (volume mounts,
 * targetContainerName), which field-error.ts has no type for.
 */
import type { Pod } from '../types.js';
import { forbidden, invalid, type FieldError } from '../field-error.js';
import { index } from './field-path.js';
import { findTooDeep, isObject, type Errors, type JsonObject } from './json-shape.js';
import { validateImageWhitespace } from './validate-container.js';
import { validateObjectMeta } from './validate-object-meta.js';
import { validatePodSpec } from './validate-pod-spec.js';

/** The path used when the whole object is not an object (the server has none; kubectl shows it). */
export const ROOT_PATH = 'pod';

/** Far deeper than any real pod; deeper input gets one error instead of a stack overflow. */
export const MAX_NESTING_DEPTH = 100;

/** A Forbidden error (no value to render) when `pod` is nested beyond MAX_NESTING_DEPTH. */
export function nestingError(pod: unknown): FieldError | undefined {
  const path = findTooDeep(pod, MAX_NESTING_DEPTH, '');
  return path === undefined ? undefined : forbidden(path || ROOT_PATH, `must not be nested more than ${MAX_NESTING_DEPTH} levels deep`);
}

/** validatePodMetadataAndSpec, shared by create and update. */
export function validatePodMetadataAndSpec(errs: Errors, pod: JsonObject): void {
  validateObjectMeta(errs, pod.metadata, 'metadata');
  const spec = validatePodSpec(errs, pod.spec, 'spec');
  if (!spec) return;
  for (const list of ['containers', 'initContainers'] as const) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((ctr: unknown, i: number) => {
      if (isObject(ctr)) validateImageWhitespace(errs, ctr, index(`spec.${list}`, i));
    });
  }
}

export function validatePod(pod: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const raw: unknown = pod;
  if (!isObject(raw)) {
    errs.push(invalid(ROOT_PATH, raw, 'must be an object'));
    return errs;
  }
  const tooDeep = nestingError(raw);
  if (tooDeep) return [tooDeep];
  validatePodMetadataAndSpec(errs, raw);
  const spec = raw.spec;
  if (isObject(spec)) {
    // Ephemeral containers can only be added through the ephemeralcontainers subresource.
    if (Array.isArray(spec.ephemeralContainers) && spec.ephemeralContainers.length > 0) {
      errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
    }
    if (typeof spec.nodeName === 'string' && spec.nodeName !== '' && Array.isArray(spec.schedulingGates) && spec.schedulingGates.length > 0) {
      errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
    }
  }
  return errs;
}
