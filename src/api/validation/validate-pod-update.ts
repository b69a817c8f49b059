/**
 * validatePodUpdate (V11, ValidatePodUpdate): metadata immutability, full validation of the
 * new pod, then the few spec changes a pod allows; anything else is one Forbidden error on
 * `spec`. Not covered: the scheduling-gated relaxations for nodeSelector and node affinity.
 */
import type { Pod } from '../types.js';
import { forbidden, invalid, required, type FieldError } from '../field-error.js';
import { child, index } from './field-path.js';
import { isAbsent, isObject, type Errors, type JsonObject } from './json-shape.js';
import { inclusiveRangeError } from './names.js';
import { hasSurroundingSpace } from './validate-container.js';
import { deepEqual, describeDiff, normalizeForCompare } from './spec-diff.js';
import { validateObjectMetaUpdate } from './validate-object-meta.js';
import { nestingError, ROOT_PATH, validatePodMetadataAndSpec } from './validate-pod.js';
import { validateOnlyAddedTolerations } from './validate-tolerations.js';

const MAX_INT32 = 2147483647;

/** updatablePodSpecFields, verbatim. */
const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

export const POD_UPDATE_FORBIDDEN_PREFIX = `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}`;

function asObject(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** ValidateContainerUpdates; false means "stop": the lists differ in length. */
function validateContainerUpdates(errs: Errors, newRaw: unknown, oldRaw: unknown, path: string): boolean {
  const newList = asList(newRaw);
  if (newList.length !== asList(oldRaw).length) {
    errs.push(forbidden(path, 'pod updates may not add or remove containers'));
    return false;
  }
  newList.forEach((ctr, i) => {
    const image = isObject(ctr) ? ctr.image : undefined;
    const imagePath = child(index(path, i), 'image');
    if (isAbsent(image) || image === '') errs.push(required(imagePath, ''));
    if (typeof image === 'string' && hasSurroundingSpace(image)) {
      errs.push(invalid(imagePath, image, 'must not have leading or trailing whitespace'));
    }
  });
  return true;
}

/** Returns false when Go returns early. */
function validateActiveDeadline(errs: Errors, newSpec: JsonObject, oldSpec: JsonObject): boolean {
  const path = 'spec.activeDeadlineSeconds';
  const next = newSpec.activeDeadlineSeconds;
  const prev = oldSpec.activeDeadlineSeconds;
  if (typeof next === 'number') {
    if (next < 0 || next > MAX_INT32) {
      errs.push(invalid(path, next, inclusiveRangeError(0, MAX_INT32)));
      return false;
    }
    if (typeof prev === 'number' && prev < next) {
      errs.push(invalid(path, next, 'must be less than or equal to previous value'));
      return false;
    }
  } else if (isAbsent(next) && typeof prev === 'number') {
    errs.push(invalid(path, null, 'must not update from a positive integer to nil value'));
  }
  return true;
}

function gateNames(v: unknown): Array<string | undefined> {
  return asList(v).map((g) => (isObject(g) && typeof g.name === 'string' ? g.name : undefined));
}

function validateOnlyDeletedSchedulingGates(errs: Errors, newRaw: unknown, oldRaw: unknown): void {
  const oldNames = new Set(gateNames(oldRaw));
  const added = new Map<string, number>();
  gateNames(newRaw).forEach((name, i) => {
    if (name !== undefined && !oldNames.has(name)) added.set(name, i);
  });
  for (const [name, i] of added) {
    errs.push(forbidden(`spec.schedulingGates[${i}].name`, `only deletion is allowed, but found new scheduling gate '${name}'`));
  }
}

function setOrDelete(obj: JsonObject, key: string, value: unknown): void {
  if (value === undefined) delete obj[key];
  else obj[key] = value;
}

/** Copies the fields a pod may change from the old spec onto the new one, as Go munges them. */
function mungeUpdatableFields(munged: JsonObject, old: JsonObject): void {
  for (const list of ['containers', 'initContainers'] as const) {
    const newList = munged[list];
    const oldList = old[list];
    if (!Array.isArray(newList) || !Array.isArray(oldList)) continue;
    newList.forEach((ctr: unknown, i: number) => {
      const prev: unknown = oldList[i];
      if (isObject(ctr)) setOrDelete(ctr, 'image', isObject(prev) ? prev.image : undefined);
    });
  }
  for (const key of ['activeDeadlineSeconds', 'schedulingGates', 'tolerations'] as const) setOrDelete(munged, key, old[key]);
  const oldGrace = old.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldGrace;
  }
}

export function validatePodUpdate(newPod: Pod, oldPod: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const next: unknown = newPod;
  const prev: unknown = oldPod;
  if (!isObject(next)) {
    errs.push(invalid(ROOT_PATH, next, 'must be an object'));
    return errs;
  }
  const tooDeep = nestingError(next);
  if (tooDeep) return [tooDeep];
  // The stored pod went through validation, but stay safe if it did not.
  const old = nestingError(prev) ? {} : asObject(prev);
  validateObjectMetaUpdate(errs, next.metadata, old.metadata, 'metadata');
  validatePodMetadataAndSpec(errs, next);

  const newSpec = asObject(next.spec);
  const oldSpec = asObject(old.spec);
  if (!validateContainerUpdates(errs, newSpec.containers, oldSpec.containers, 'spec.containers')) return errs;
  if (!validateContainerUpdates(errs, newSpec.initContainers, oldSpec.initContainers, 'spec.initContainers')) return errs;
  if (!validateActiveDeadline(errs, newSpec, oldSpec)) return errs;
  validateOnlyAddedTolerations(errs, newSpec.tolerations, oldSpec.tolerations, 'spec.tolerations');
  validateOnlyDeletedSchedulingGates(errs, newSpec.schedulingGates, oldSpec.schedulingGates);

  const normalizedOld = asObject(normalizeForCompare(oldSpec));
  const munged = asObject(normalizeForCompare(newSpec));
  if (deepEqual(munged, normalizedOld)) return errs;
  mungeUpdatableFields(munged, normalizedOld);
  if (!deepEqual(munged, normalizedOld)) {
    const diff = describeDiff(normalizedOld, munged, 'spec').join('\n');
    errs.push(forbidden('spec', `${POD_UPDATE_FORBIDDEN_PREFIX}\n${diff}`));
  }
  return errs;
}
