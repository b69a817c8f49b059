/**
 * ValidateEnv / ValidateEnvFrom and the downward-API selectors they use.
 * Names follow the relaxed rule the API server applies since 1.32.
 */
import { invalid, notSupported, required } from '../field-error.js';
import { child, index } from './field-path.js';
import {
  isAbsent,
  isObject,
  readBool,
  readList,
  readObject,
  readString,
  WRONG_TYPE,
  type Errors,
  type JsonObject,
} from './json-shape.js';
import { isConfigMapKey, isQualifiedName, isRelaxedEnvVarName, nameIsDNSSubdomain } from './names.js';

/** validEnvDownwardAPIFieldPathExpressions, in sets.List order. */
export const ENV_FIELD_PATHS: readonly string[] = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

/** Labels ConvertDownwardAPIFieldLabel accepts (a superset of what env may use). */
const CONVERTIBLE_FIELD_LABELS = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** validContainerResourceFieldPathExpressions, in sets.List order. */
const RESOURCE_FIELD_PATHS: readonly string[] = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];
const HUGEPAGES_PREFIXES = ['limits.hugepages-', 'requests.hugepages-'];

export function validateEnv(errs: Errors, raw: unknown, path: string): void {
  const vars = readList(errs, raw, path);
  if (vars === WRONG_TYPE) return;
  vars.forEach((item, i) => {
    const idxPath = index(path, i);
    const ev = readObject(errs, item, idxPath);
    if (ev === WRONG_TYPE) return;
    const envVar: JsonObject = ev ?? {};
    const name = readString(errs, envVar.name, child(idxPath, 'name'));
    if (name === '') errs.push(required(child(idxPath, 'name'), ''));
    else if (name !== WRONG_TYPE) for (const msg of isRelaxedEnvVarName(name)) errs.push(invalid(child(idxPath, 'name'), name, msg));
    const value = readString(errs, envVar.value, child(idxPath, 'value'));
    const valueFromPath = child(idxPath, 'valueFrom');
    const valueFrom = readObject(errs, envVar.valueFrom, valueFromPath);
    if (valueFrom === WRONG_TYPE || valueFrom === undefined) return;
    validateEnvVarValueFrom(errs, valueFrom, value === WRONG_TYPE ? '' : value, valueFromPath);
  });
}

function validateEnvVarValueFrom(errs: Errors, from: JsonObject, value: string, path: string): void {
  let numSources = 0;
  const source = (name: string, check: (obj: JsonObject, p: string) => void): void => {
    if (isAbsent(from[name])) return;
    numSources++;
    const p = child(path, name);
    const obj = readObject(errs, from[name], p);
    if (obj !== WRONG_TYPE && obj !== undefined) check(obj, p);
  };
  source('fieldRef', (obj, p) => validateObjectFieldSelector(errs, obj, ENV_FIELD_PATHS, p));
  source('resourceFieldRef', (obj, p) => validateResourceFieldSelector(errs, obj, p));
  source('configMapKeyRef', (obj, p) => validateKeySelector(errs, obj, p));
  source('secretKeyRef', (obj, p) => validateKeySelector(errs, obj, p));

  if (numSources === 0) {
    errs.push(invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (value.length !== 0) {
    errs.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (numSources > 1) {
    errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  }
}

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['key']` → [path, key]. */
function splitMaybeSubscriptedPath(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return undefined;
  return [s.slice(0, at), s.slice(at + 2)];
}

/** podshelper.ConvertDownwardAPIFieldLabel; returns the internal label or the error text. */
function convertDownwardAPIFieldLabel(version: string, label: string): { label: string } | { error: string } {
  if (version !== 'v1') return { error: `unsupported pod version: ${version}` };
  const split = splitMaybeSubscriptedPath(label);
  if (split) {
    if (split[0] === 'metadata.annotations' || split[0] === 'metadata.labels') return { label };
    return { error: `field label does not support subscript: ${label}` };
  }
  if (CONVERTIBLE_FIELD_LABELS.has(label)) return { label };
  if (label === 'spec.host') return { label: 'spec.nodeName' };
  return { error: `field label not supported: ${label}` };
}

export function validateObjectFieldSelector(errs: Errors, fs: JsonObject, expressions: readonly string[], path: string): void {
  const apiVersion = readString(errs, fs.apiVersion, child(path, 'apiVersion'));
  if (apiVersion === WRONG_TYPE) return;
  if (apiVersion === '') {
    errs.push(required(child(path, 'apiVersion'), ''));
    return;
  }
  const fieldPath = readString(errs, fs.fieldPath, child(path, 'fieldPath'));
  if (fieldPath === WRONG_TYPE) return;
  if (fieldPath === '') {
    errs.push(required(child(path, 'fieldPath'), ''));
    return;
  }
  const converted = convertDownwardAPIFieldLabel(apiVersion, fieldPath);
  if ('error' in converted) {
    errs.push(invalid(child(path, 'fieldPath'), fieldPath, `error converting fieldPath: ${converted.error}`));
    return;
  }
  const split = splitMaybeSubscriptedPath(converted.label);
  if (split) {
    const [base, subscript] = split;
    if (base === 'metadata.annotations') {
      const lower = subscript.toLowerCase();
      for (const msg of isQualifiedName(lower)) errs.push(invalid(path, lower, msg));
    } else if (base === 'metadata.labels') {
      for (const msg of isQualifiedName(subscript)) errs.push(invalid(path, subscript, msg));
    } else {
      errs.push(invalid(path, base, 'does not support subscript'));
    }
  } else if (!expressions.includes(converted.label)) {
    errs.push(notSupported(child(path, 'fieldPath'), converted.label, [...expressions]));
  }
}

/** validateContainerResourceFieldSelector for env (volume=false); divisor values are not checked. */
function validateResourceFieldSelector(errs: Errors, fs: JsonObject, path: string): void {
  readString(errs, fs.containerName, child(path, 'containerName'));
  const resource = readString(errs, fs.resource, child(path, 'resource'));
  if (resource === WRONG_TYPE) return;
  if (resource === '') {
    errs.push(required(child(path, 'resource'), ''));
  } else if (!RESOURCE_FIELD_PATHS.includes(resource) && !HUGEPAGES_PREFIXES.some((p) => resource.startsWith(p))) {
    errs.push(notSupported(child(path, 'resource'), resource, [...RESOURCE_FIELD_PATHS]));
  }
}

/** validateConfigMapKeySelector / validateSecretKeySelector (identical rules). */
function validateKeySelector(errs: Errors, s: JsonObject, path: string): void {
  const name = readString(errs, s.name, child(path, 'name'));
  if (name !== WRONG_TYPE) for (const msg of nameIsDNSSubdomain(name, false)) errs.push(invalid(child(path, 'name'), name, msg));
  const key = readString(errs, s.key, child(path, 'key'));
  if (key === '') errs.push(required(child(path, 'key'), ''));
  else if (key !== WRONG_TYPE) for (const msg of isConfigMapKey(key)) errs.push(invalid(child(path, 'key'), key, msg));
  readBool(errs, s.optional, child(path, 'optional'));
}

export function validateEnvFrom(errs: Errors, raw: unknown, path: string): void {
  const sources = readList(errs, raw, path);
  if (sources === WRONG_TYPE) return;
  sources.forEach((item, i) => {
    const idxPath = index(path, i);
    if (!isObject(item) && !isAbsent(item)) {
      errs.push(invalid(idxPath, item, 'must be an object'));
      return;
    }
    const ev: JsonObject = item ?? {};
    const prefix = readString(errs, ev.prefix, child(idxPath, 'prefix'));
    if (prefix !== WRONG_TYPE && prefix.length > 0) {
      for (const msg of isRelaxedEnvVarName(prefix)) errs.push(invalid(child(idxPath, 'prefix'), prefix, msg));
    }
    let numSources = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      if (isAbsent(ev[kind])) continue;
      numSources++;
      const refPath = child(idxPath, kind);
      const ref = readObject(errs, ev[kind], refPath);
      if (ref === WRONG_TYPE || ref === undefined) continue;
      const name = readString(errs, ref.name, child(refPath, 'name'));
      if (name === '') errs.push(required(child(refPath, 'name'), ''));
      else if (name !== WRONG_TYPE) for (const msg of nameIsDNSSubdomain(name, true)) errs.push(invalid(child(refPath, 'name'), name, msg));
      readBool(errs, ref.optional, child(refPath, 'optional'));
    }
    // Go reports these two on the list itself, not on the entry.
    if (numSources === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (numSources > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
}
