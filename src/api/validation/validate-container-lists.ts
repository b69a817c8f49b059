/**
 * validateContainers / validateInitContainers / validateEphemeralContainers: per-list rules
 * on top of validateContainerCommon (names unique across lists, V1, V2, sidecars, hostPort
 * conflicts).
 */
import { duplicate, forbidden, notSupported, required } from '../field-error.js';
import { child, index } from './field-path.js';
import {
  isAbsent,
  isObject,
  readList,
  readObject,
  readOptionalString,
  WRONG_TYPE,
  type Errors,
  type JsonObject,
} from './json-shape.js';
import { validateContainerCommon, validateImageWhitespace } from './validate-container.js';
import { validateLifecycle, type LifecycleContext } from './validate-lifecycle.js';
import { validateProbe, type ProbeKind } from './validate-probe.js';

const PROBES: readonly ProbeKind[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const INIT_FORBIDDEN = 'may not be set for init containers without restartPolicy=Always';
const EPHEMERAL_FORBIDDEN = 'cannot be set for an Ephemeral Container';

/**
 * EphemeralContainerCommon fields outside allowedEphemeralContainerFields, in struct order
 * (validateFieldAllowList walks the struct). `resources` is a struct value, so it only counts
 * as set when one of its members is.
 */
const EPHEMERAL_DISALLOWED = [
  'ports',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'restartPolicyRules',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
] as const;

/** A container list entry; null decodes to an empty container. */
function entry(errs: Errors, item: unknown, path: string): JsonObject | undefined {
  const obj = readObject(errs, item, path);
  if (obj === WRONG_TYPE) return undefined;
  return obj ?? {};
}

function nameOf(ctr: JsonObject): string | undefined {
  if (isAbsent(ctr.name)) return '';
  return typeof ctr.name === 'string' ? ctr.name : undefined;
}

function validateLifecycleAndProbes(errs: Errors, ctr: JsonObject, ctx: LifecycleContext, path: string): void {
  const lcPath = child(path, 'lifecycle');
  const lifecycle = readObject(errs, ctr.lifecycle, lcPath);
  if (lifecycle !== WRONG_TYPE && lifecycle !== undefined) validateLifecycle(errs, lifecycle, ctx, lcPath);
  for (const kind of PROBES) {
    const probePath = child(path, kind);
    const probe = readObject(errs, ctr[kind], probePath);
    if (probe !== WRONG_TYPE && probe !== undefined) validateProbe(errs, probe, kind, ctx.gracePeriod, probePath);
  }
}

/** AccumulateUniqueHostPorts: `protocol/hostIP/hostPort` must be unique. */
function checkHostPortConflicts(errs: Errors, containers: JsonObject[], path: string): void {
  const seen = new Set<string>();
  containers.forEach((ctr, ci) => {
    if (!Array.isArray(ctr.ports)) return;
    ctr.ports.forEach((p: unknown, pi: number) => {
      if (!isObject(p) || typeof p.hostPort !== 'number' || p.hostPort === 0) return;
      const protocol = typeof p.protocol === 'string' ? p.protocol : '';
      const hostIP = typeof p.hostIP === 'string' ? p.hostIP : '';
      const id = `${protocol}/${hostIP}/${p.hostPort}`;
      if (seen.has(id)) errs.push(duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), id));
      else seen.add(id);
    });
  });
}

export interface ContainerListResult {
  /** Names as Go sees them (absent is ""), for the cross-list uniqueness checks. */
  names: string[];
}

export function validateContainers(errs: Errors, raw: unknown, ctx: LifecycleContext, path: string): ContainerListResult {
  const list = readList(errs, raw, path);
  if (list === WRONG_TYPE) return { names: [] };
  if (list.length === 0) {
    errs.push(required(path, ''));
    return { names: [] };
  }
  const names = new Set<string>();
  const containers: JsonObject[] = [];
  list.forEach((item, i) => {
    const idxPath = index(path, i);
    const ctr = entry(errs, item, idxPath);
    if (!ctr) return;
    containers.push(ctr);
    validateContainerCommon(errs, ctr, idxPath);
    const name = nameOf(ctr);
    if (name !== undefined) {
      if (names.has(name)) errs.push(duplicate(child(idxPath, 'name'), name));
      else names.add(name);
    }
    validateLifecycleAndProbes(errs, ctr, ctx, idxPath);
    if (!isAbsent(ctr.restartPolicy)) errs.push(forbidden(child(idxPath, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  checkHostPortConflicts(errs, containers, path);
  return { names: [...names] };
}

export function validateInitContainers(
  errs: Errors,
  raw: unknown,
  regularNames: readonly string[],
  ctx: LifecycleContext,
  path: string,
): ContainerListResult {
  const list = readList(errs, raw, path);
  if (list === WRONG_TYPE) return { names: [] };
  const allNames = new Set(regularNames);
  const initNames: string[] = [];
  list.forEach((item, i) => {
    const idxPath = index(path, i);
    const ctr = entry(errs, item, idxPath);
    if (!ctr) return;
    validateContainerCommon(errs, ctr, idxPath);

    const rpPath = child(idxPath, 'restartPolicy');
    const restartPolicy = readOptionalString(errs, ctr.restartPolicy, rpPath);
    if (typeof restartPolicy === 'string' && restartPolicy !== 'Always') {
      errs.push(notSupported(rpPath, restartPolicy, ['Always']));
    }
    const restartAlways = restartPolicy === 'Always';

    const name = nameOf(ctr);
    if (name !== undefined) {
      initNames.push(name);
      if (allNames.has(name)) errs.push(duplicate(child(idxPath, 'name'), name));
      else if (name.length > 0) allNames.add(name);
    }

    // Go checks each init container on its own and always under index 0 of the list.
    checkHostPortConflicts(errs, [ctr], path);

    if (restartAlways) {
      validateLifecycleAndProbes(errs, ctr, ctx, idxPath);
    } else {
      // V1.
      for (const f of ['lifecycle', ...PROBES] as const) {
        if (!isAbsent(ctr[f])) errs.push(forbidden(child(idxPath, f), INIT_FORBIDDEN));
      }
    }
  });
  return { names: initNames };
}

function isSetForAllowList(field: (typeof EPHEMERAL_DISALLOWED)[number], value: unknown): boolean {
  if (isAbsent(value)) return false;
  if (field === 'resources' && isObject(value)) return Object.values(value).some((v) => !isAbsent(v));
  return true;
}

export function validateEphemeralContainers(
  errs: Errors,
  raw: unknown,
  regularNames: readonly string[],
  initNames: readonly string[],
  path: string,
): void {
  const list = readList(errs, raw, path);
  if (list === WRONG_TYPE || list.length === 0) return;
  const allNames = new Set([...regularNames, ...initNames]);
  list.forEach((item, i) => {
    const idxPath = index(path, i);
    const ctr = entry(errs, item, idxPath);
    if (!ctr) return;
    validateContainerCommon(errs, ctr, idxPath);
    validateImageWhitespace(errs, ctr, idxPath);
    const name = nameOf(ctr);
    if (name !== undefined) {
      if (allNames.has(name)) errs.push(duplicate(child(idxPath, 'name'), name));
      else allNames.add(name);
    }
    readOptionalString(errs, ctr.targetContainerName, child(idxPath, 'targetContainerName'));
    // V2 (and the same for ports, probes, resources …).
    for (const f of EPHEMERAL_DISALLOWED) {
      if (isSetForAllowList(f, ctr[f])) errs.push(forbidden(child(idxPath, f), EPHEMERAL_FORBIDDEN));
    }
    if (Array.isArray(ctr.volumeMounts)) {
      ctr.volumeMounts.forEach((vm: unknown, j: number) => {
        if (!isObject(vm)) return;
        const vmPath = index(child(idxPath, 'volumeMounts'), j);
        if (typeof vm.subPath === 'string' && vm.subPath !== '') errs.push(forbidden(child(vmPath, 'subPath'), EPHEMERAL_FORBIDDEN));
        if (typeof vm.subPathExpr === 'string' && vm.subPathExpr !== '') {
          errs.push(forbidden(child(vmPath, 'subPathExpr'), EPHEMERAL_FORBIDDEN));
        }
      });
    }
  });
}
