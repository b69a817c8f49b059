/**
 * ValidateVolumes, reduced to what hooklet can act on: names, exactly one source, and the
 * required fields of the common sources. Cloud and network volume internals are not checked.
 */
import { duplicate, forbidden, invalid, required } from '../field-error.js';
import { child, index } from './field-path.js';
import { isAbsent, readList, readObject, readOptionalInt, readString, WRONG_TYPE, type Errors, type JsonObject } from './json-shape.js';
import { isDNS1123Label } from './names.js';

/**
 * Volume sources in validateVolumeSource order, with the child name Go uses for the
 * "more than 1" error (it spells two of them differently from the JSON key).
 */
const VOLUME_SOURCES: ReadonlyArray<readonly [key: string, errorName: string]> = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

export const VOLUME_SOURCE_KEYS: readonly string[] = VOLUME_SOURCES.map(([k]) => k);

const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

function validateDefaultMode(errs: Errors, src: JsonObject, path: string): void {
  const mode = readOptionalInt(errs, src.defaultMode, child(path, 'defaultMode'), 32);
  if (typeof mode === 'number' && (mode > 0o777 || mode < 0)) errs.push(invalid(child(path, 'defaultMode'), mode, FILE_MODE_ERROR));
}

function requireString(errs: Errors, obj: JsonObject, name: string, path: string): void {
  if (readString(errs, obj[name], child(path, name)) === '') errs.push(required(child(path, name), ''));
}

function validateSource(errs: Errors, key: string, src: JsonObject, path: string): void {
  switch (key) {
    case 'hostPath': {
      const p = readString(errs, src.path, child(path, 'path'));
      if (p === '') errs.push(required(child(path, 'path'), ''));
      else if (p !== WRONG_TYPE && p.split('/').includes('..')) errs.push(invalid(child(path, 'path'), p, "must not contain '..'"));
      readString(errs, src.type, child(path, 'type'));
      break;
    }
    case 'secret':
      requireString(errs, src, 'secretName', path);
      validateDefaultMode(errs, src, path);
      break;
    case 'configMap':
      requireString(errs, src, 'name', path);
      validateDefaultMode(errs, src, path);
      break;
    case 'persistentVolumeClaim':
      requireString(errs, src, 'claimName', path);
      break;
    case 'downwardAPI':
    case 'projected':
      validateDefaultMode(errs, src, path);
      break;
    case 'nfs':
      requireString(errs, src, 'server', path);
      requireString(errs, src, 'path', path);
      break;
    default:
      break;
  }
}

/** Returns the names of the valid volumes (Go only records a volume that has no error). */
export function validateVolumes(errs: Errors, raw: unknown, path: string): Set<string> {
  const names = new Set<string>();
  const volumes = readList(errs, raw, path);
  if (volumes === WRONG_TYPE) return names;
  volumes.forEach((item, i) => {
    const idxPath = index(path, i);
    const vol = readObject(errs, item, idxPath);
    if (vol === WRONG_TYPE) return;
    const v: JsonObject = vol ?? {};
    const el: Errors = [];
    let numVolumes = 0;
    for (const [key, errorName] of VOLUME_SOURCES) {
      if (isAbsent(v[key])) continue;
      if (numVolumes > 0) {
        el.push(forbidden(child(idxPath, errorName), 'may not specify more than 1 volume type'));
        continue;
      }
      numVolumes++;
      const src = readObject(el, v[key], child(idxPath, key));
      if (src !== WRONG_TYPE && src !== undefined) validateSource(el, key, src, child(idxPath, key));
    }
    if (numVolumes === 0) el.push(required(idxPath, 'must specify a volume type'));
    const namePath = child(idxPath, 'name');
    const name = readString(el, v.name, namePath);
    if (name === '') el.push(required(namePath, ''));
    else if (name !== WRONG_TYPE) for (const msg of isDNS1123Label(name)) el.push(invalid(namePath, name, msg));
    if (name !== WRONG_TYPE && names.has(name)) el.push(duplicate(namePath, name));
    if (el.length === 0 && name !== WRONG_TYPE) names.add(name);
    else errs.push(...el);
  });
  return names;
}

