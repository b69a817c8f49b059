import { badRequest } from '../http/api-error.js';

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(v: Json): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * core/v1 list fields with `patchStrategy:"merge"` and their merge key, by
 * field name (the names are unambiguous within a Pod and an Event).
 */
const mergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  resourceClaims: 'name',
  schedulingGates: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
};

/** Primitive lists that merge as sets instead of being replaced. */
const mergedPrimitiveLists = new Set(['finalizers']);

const directive = '$patch';
const setElementOrderPrefix = '$setElementOrder/';
const deleteFromPrimitivePrefix = '$deleteFromPrimitiveList/';
const retainKeys = '$retainKeys';

/**
 * The strategic-merge-patch subset `kubectl apply` and `kubectl patch` use
 * on Pods (contract §10): maps merge, `null` deletes, lists of objects merge
 * by their key, `{"$patch":"delete"}` removes an element or a map,
 * `$patch: replace` replaces, `$setElementOrder/<list>` orders, `$retainKeys`
 * drops unlisted keys, and `$deleteFromPrimitiveList/<list>` removes values
 * from a merged primitive list. Other lists are replaced whole.
 */
export function strategicMergePatch(original: Json, patch: Json): Json {
  if (!isObject(patch)) throw badRequest('strategic merge patch body must be a JSON object');
  return mergeMap(isObject(original) ? original : {}, patch);
}

function mergeMap(original: JsonObject, patch: JsonObject): JsonObject {
  const mode = patch[directive];
  if (mode === 'replace') {
    const copy = { ...patch };
    delete copy[directive];
    return structuredClone(copy);
  }
  if (mode !== undefined && mode !== 'merge') throw badRequest(`Unknown patch type: ${String(mode)}`);

  const out: JsonObject = { ...original };
  const orders: [string, Json[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === directive) continue;
    if (key === retainKeys) continue;
    if (key.startsWith(setElementOrderPrefix)) {
      if (Array.isArray(value)) orders.push([key.slice(setElementOrderPrefix.length), value]);
      continue;
    }
    if (key.startsWith(deleteFromPrimitivePrefix)) {
      const field = key.slice(deleteFromPrimitivePrefix.length);
      const current = out[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        out[field] = current.filter((v) => !value.some((d) => d === v));
      }
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    if (isObject(value)) {
      if (value[directive] === 'delete') {
        delete out[key];
        continue;
      }
      const cur = out[key];
      out[key] = mergeMap(isObject(cur) ? cur : {}, value);
      continue;
    }
    if (Array.isArray(value)) {
      out[key] = mergeList(key, out[key], value);
      continue;
    }
    out[key] = value;
  }
  for (const [field, order] of orders) {
    const list = out[field];
    if (Array.isArray(list)) out[field] = applyOrder(field, list, order);
  }
  const retain = patch[retainKeys];
  if (Array.isArray(retain)) {
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  return out;
}

function mergeList(field: string, original: Json, patch: Json[]): Json[] {
  const current = Array.isArray(original) ? original : [];
  const mergeKey = mergeKeys[field];
  if (!mergeKey) {
    if (mergedPrimitiveLists.has(field)) {
      const outList = [...current];
      for (const v of patch) if (!outList.includes(v)) outList.push(v);
      return outList;
    }
    return structuredClone(patch.filter((v) => !(isObject(v) && v[directive] !== undefined)));
  }
  if (patch.some((v) => isObject(v) && v[directive] === 'replace')) {
    return structuredClone(patch.filter((v) => !(isObject(v) && v[directive] === 'replace')));
  }
  const outList: Json[] = [...current];
  const indexOf = (key: Json): number => outList.findIndex((e) => isObject(e) && e[mergeKey] === key);
  for (const item of patch) {
    if (!isObject(item)) {
      throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    }
    const key = item[mergeKey];
    if (key === undefined) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    const i = indexOf(key);
    if (item[directive] === 'delete') {
      if (i >= 0) outList.splice(i, 1);
      continue;
    }
    if (i >= 0) outList[i] = mergeMap(outList[i] as JsonObject, item);
    else outList.push(mergeMap({}, item));
  }
  return outList;
}

/** Orders a merged list as `$setElementOrder` says; elements it does not name keep their place after those it does. */
function applyOrder(field: string, list: Json[], order: Json[]): Json[] {
  const mergeKey = mergeKeys[field];
  const keyOf = (v: Json): Json => (mergeKey && isObject(v) ? v[mergeKey] : v);
  const rank = (v: Json): number => {
    const k = keyOf(v);
    const i = order.findIndex((o) => keyOf(o) === k);
    return i < 0 ? order.length : i;
  };
  return list
    .map((v, i) => ({ v, i, r: rank(v) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.v);
}
