/**
 * ObjectMeta checks (apimachinery ValidateObjectMetaAccessor / ...Update plus core's
 * finalizer-name rule). Not covered: managedFields, the 256 KiB annotation size limit (its
 * "Too long" error has no badValue, which field-error.ts cannot render) and owner references
 * to banned kinds.
 */
import { forbidden, invalid, required } from '../field-error.js';
import { child, index } from './field-path.js';
import {
  isAbsent,
  isObject,
  readBool,
  readInt,
  readList,
  readOptionalInt,
  readString,
  readStringList,
  readStringMap,
  WRONG_TYPE,
  type Errors,
  type JsonObject,
} from './json-shape.js';
import { isQualifiedName, isValidLabelValue, nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';

const FIELD_IMMUTABLE = 'field is immutable';
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** v1validation.ValidateLabels; also used for spec.nodeSelector. */
export function validateLabels(errs: Errors, raw: unknown, path: string): void {
  const labels = readStringMap(errs, raw, path);
  if (labels === WRONG_TYPE) return;
  for (const [k, v] of labels) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(path, k, msg));
    for (const msg of isValidLabelValue(v)) errs.push(invalid(path, v, msg));
  }
}

function validateAnnotations(errs: Errors, raw: unknown, path: string): void {
  const annotations = readStringMap(errs, raw, path);
  if (annotations === WRONG_TYPE) return;
  // Annotation keys are case-insensitive, so Go lower-cases them before the check.
  for (const [k] of annotations) for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, msg));
}

/** schema.ParseGroupVersion's version part; "" when it does not parse. */
function versionOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return apiVersion;
  if (parts.length === 2) return parts[1] ?? '';
  return '';
}

function validateOwnerReferences(errs: Errors, raw: unknown, path: string): void {
  const refs = readList(errs, raw, path);
  if (refs === WRONG_TYPE) return;
  let firstController = '';
  for (const [i, item] of refs.entries()) {
    if (!isObject(item)) {
      if (!isAbsent(item)) errs.push(invalid(index(path, i), item, 'must be an object'));
      continue;
    }
    const apiVersion = readString(errs, item.apiVersion, child(index(path, i), 'apiVersion'));
    const kind = readString(errs, item.kind, child(index(path, i), 'kind'));
    const name = readString(errs, item.name, child(index(path, i), 'name'));
    const uid = readString(errs, item.uid, child(index(path, i), 'uid'));
    const controller = readBool(errs, item.controller, child(index(path, i), 'controller'));
    // Go reports these on the list path, without the index.
    if (apiVersion !== WRONG_TYPE && versionOf(apiVersion) === '') errs.push(invalid(child(path, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (kind === '') errs.push(invalid(child(path, 'kind'), kind, 'must not be empty'));
    if (name === '') errs.push(invalid(child(path, 'name'), name, 'must not be empty'));
    if (uid === '') errs.push(invalid(child(path, 'uid'), uid, 'must not be empty'));
    if (controller === true && kind !== WRONG_TYPE && name !== WRONG_TYPE) {
      const current = `${kind}/${name}`;
      if (firstController !== '') {
        errs.push(
          invalid(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
}

/** apimachinery ValidateFinalizers (errors on the list path). */
function validateFinalizers(errs: Errors, finalizers: string[], path: string): void {
  for (const f of finalizers) for (const msg of isQualifiedName(f)) errs.push(invalid(path, f, msg));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(invalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
}

/** core validateKubeFinalizerName (errors on the indexed path). */
function validateKubeFinalizerNames(errs: Errors, finalizers: string[], path: string): void {
  finalizers.forEach((f, i) => {
    const p = index(path, i);
    for (const msg of isQualifiedName(f)) errs.push(invalid(p, f, msg));
    if (f.split('/').length === 1 && !STANDARD_FINALIZERS.has(f)) {
      errs.push(invalid(p, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
}

/** Returns the metadata object (or undefined when it is malformed) for later checks. */
export function validateObjectMeta(errs: Errors, raw: unknown, path: string): JsonObject | undefined {
  if (!isObject(raw) && !isAbsent(raw)) {
    errs.push(invalid(path, raw, 'must be an object'));
    return undefined;
  }
  const meta: JsonObject = raw ?? {};
  const generateName = readString(errs, meta.generateName, child(path, 'generateName'));
  if (generateName !== WRONG_TYPE && generateName.length > 0) {
    for (const msg of nameIsDNSSubdomain(generateName, true)) errs.push(invalid(child(path, 'generateName'), generateName, msg));
  }
  const name = readString(errs, meta.name, child(path, 'name'));
  if (name === '') errs.push(required(child(path, 'name'), 'name or generateName is required'));
  else if (name !== WRONG_TYPE) for (const msg of nameIsDNSSubdomain(name, false)) errs.push(invalid(child(path, 'name'), name, msg));

  validateMetaCommon(errs, meta, path);

  const finalizers = readStringList(errs, meta.finalizers, child(path, 'finalizers'));
  if (finalizers !== WRONG_TYPE) {
    validateFinalizers(errs, finalizers, child(path, 'finalizers'));
    validateKubeFinalizerNames(errs, finalizers, child(path, 'finalizers'));
  }
  return meta;
}

function validateMetaCommon(errs: Errors, meta: JsonObject, path: string): void {
  const namespace = readString(errs, meta.namespace, child(path, 'namespace'));
  if (namespace === '') errs.push(required(child(path, 'namespace'), ''));
  else if (namespace !== WRONG_TYPE) for (const msg of nameIsDNSLabel(namespace, false)) errs.push(invalid(child(path, 'namespace'), namespace, msg));
  const generation = readInt(errs, meta.generation, child(path, 'generation'));
  if (generation !== WRONG_TYPE && generation < 0) errs.push(invalid(child(path, 'generation'), generation, 'must be greater than or equal to 0'));
  validateLabels(errs, meta.labels, child(path, 'labels'));
  validateAnnotations(errs, meta.annotations, child(path, 'annotations'));
  validateOwnerReferences(errs, meta.ownerReferences, child(path, 'ownerReferences'));
}

function asObject(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

function stringOr(v: unknown, fallback: string): unknown {
  return isAbsent(v) ? fallback : v;
}

/**
 * ValidateObjectMetaUpdate. Like rest.BeforeUpdate (which runs first on a real server), an
 * omitted uid or deletionGracePeriodSeconds is taken from the old object. resourceVersion is
 * not required: the server fills it for pods' unconditional updates before validating.
 */
export function validateObjectMetaUpdate(errs: Errors, newRaw: unknown, oldRaw: unknown, path: string): void {
  if (!isObject(newRaw)) {
    if (!isAbsent(newRaw)) errs.push(invalid(path, newRaw, 'must be an object'));
    return;
  }
  const newMeta = newRaw;
  const oldMeta = asObject(oldRaw);

  if (!isAbsent(oldMeta.deletionTimestamp)) {
    const oldFinalizers = new Set(Array.isArray(oldMeta.finalizers) ? oldMeta.finalizers : []);
    const newFinalizers = Array.isArray(newMeta.finalizers) ? newMeta.finalizers : [];
    const extra = [...new Set(newFinalizers.filter((f): f is string => typeof f === 'string' && !oldFinalizers.has(f)))].sort();
    if (extra.length > 0) {
      const goList = `[]string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`;
      errs.push(
        forbidden(child(path, 'finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers ${goList}`),
      );
    }
  }

  const newGen = readInt(errs, newMeta.generation, child(path, 'generation'));
  const oldGen = typeof oldMeta.generation === 'number' ? oldMeta.generation : 0;
  if (newGen !== WRONG_TYPE && newGen < oldGen) errs.push(invalid(child(path, 'generation'), newGen, 'must not be decremented'));

  const immutable = (field: string, newVal: unknown, oldVal: unknown): void => {
    const n = isAbsent(newVal) ? '' : newVal;
    const o = isAbsent(oldVal) ? '' : oldVal;
    if (n !== o) errs.push(invalid(child(path, field), n, FIELD_IMMUTABLE));
  };
  immutable('name', newMeta.name, oldMeta.name);
  immutable('namespace', newMeta.namespace, oldMeta.namespace);
  immutable('uid', stringOr(newMeta.uid, typeof oldMeta.uid === 'string' ? oldMeta.uid : ''), oldMeta.uid);
  const newDgps = readOptionalInt(errs, newMeta.deletionGracePeriodSeconds, child(path, 'deletionGracePeriodSeconds'));
  const oldDgps = typeof oldMeta.deletionGracePeriodSeconds === 'number' ? oldMeta.deletionGracePeriodSeconds : undefined;
  if (newDgps !== WRONG_TYPE && newDgps !== undefined && newDgps !== oldDgps) {
    errs.push(invalid(child(path, 'deletionGracePeriodSeconds'), newDgps, FIELD_IMMUTABLE));
  }

  validateLabels(errs, newMeta.labels, child(path, 'labels'));
  validateAnnotations(errs, newMeta.annotations, child(path, 'annotations'));
  validateOwnerReferences(errs, newMeta.ownerReferences, child(path, 'ownerReferences'));
  const finalizers = readStringList(errs, newMeta.finalizers, child(path, 'finalizers'));
  if (finalizers !== WRONG_TYPE) validateKubeFinalizerNames(errs, finalizers, child(path, 'finalizers'));
}
