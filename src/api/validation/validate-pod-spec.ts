/**
 * ValidatePodSpec in the API server's order: grace, volumes, containers, initContainers,
 * ephemeralContainers, hostNetwork ports, restartPolicy, dnsPolicy, nodeSelector, security
 * context, dnsConfig, gates, names, activeDeadlineSeconds, tolerations, …, os.
 * Affinity, topology spread, host aliases, overhead, pod-level resources and the OS-specific
 * security-context rules are not validated (hooklet does not act on them).
 *
 * Negative terminationGracePeriodSeconds is accepted: current validation does not reject it
 * (spec open point 14; the server only warns), and a delete then uses 1 (V10).
 */
import { duplicate, invalid, notSupported, required } from '../field-error.js';
import { child, index } from './field-path.js';
import {
  isAbsent,
  isObject,
  readBool,
  readInt,
  readList,
  readObject,
  readOptionalInt,
  readOptionalString,
  readString,
  WRONG_TYPE,
  type Errors,
  type JsonObject,
} from './json-shape.js';
import { inclusiveRangeError, isDNS1123Label, isQualifiedName, nameIsDNSSubdomain } from './names.js';
import { validateContainers, validateEphemeralContainers, validateInitContainers } from './validate-container-lists.js';
import type { PodOS } from './validate-lifecycle.js';
import { validateLabels } from './validate-object-meta.js';
import { validateTolerations } from './validate-tolerations.js';
import { validateVolumes } from './validate-volumes.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];
const MAX_INT32 = 2147483647;
const MAX_ID = 4294967295;

function podOS(spec: JsonObject): PodOS {
  const os = spec.os;
  if (isAbsent(os)) return { present: false, name: undefined };
  return { present: true, name: isObject(os) && typeof os.name === 'string' ? os.name : undefined };
}

/** One of a fixed set; "" is Required, like validateRestartPolicy and friends. */
function validateEnum(errs: Errors, raw: unknown, allowed: string[], path: string): string | undefined {
  const value = readString(errs, raw, path);
  if (value === WRONG_TYPE) return undefined;
  if (value === '') errs.push(required(path, ''));
  else if (!allowed.includes(value)) errs.push(notSupported(path, value, allowed));
  return value;
}

/** An optional DNS-subdomain name (serviceAccountName, nodeName, priorityClassName). */
function validateSubdomainName(errs: Errors, raw: unknown, path: string): void {
  const value = readString(errs, raw, path);
  if (value !== WRONG_TYPE && value.length > 0) {
    for (const msg of nameIsDNSSubdomain(value, false)) errs.push(invalid(path, value, msg));
  }
}

/** validatePodHostNetworkDeps for a Pod (ResourceIsPod): hostPort must equal containerPort. */
function validateHostNetworkPorts(errs: Errors, spec: JsonObject, path: string): void {
  if (spec.hostNetwork !== true || !Array.isArray(spec.containers)) return;
  spec.containers.forEach((ctr: unknown, i: number) => {
    if (!isObject(ctr) || !Array.isArray(ctr.ports)) return;
    ctr.ports.forEach((p: unknown, j: number) => {
      if (!isObject(p)) return;
      const hostPort = typeof p.hostPort === 'number' ? p.hostPort : 0;
      const containerPort = typeof p.containerPort === 'number' ? p.containerPort : 0;
      if (hostPort !== containerPort) {
        const portPath = index(child(index(child(path, 'containers'), i), 'ports'), j);
        errs.push(invalid(child(portPath, 'hostPort'), hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
}

function validateId(errs: Errors, raw: unknown, path: string): void {
  const id = readOptionalInt(errs, raw, path);
  if (typeof id === 'number' && (id < 0 || id > MAX_ID)) errs.push(invalid(path, id, inclusiveRangeError(0, MAX_ID)));
}

function validatePodSecurityContext(errs: Errors, spec: JsonObject, path: string): void {
  const scPath = child(path, 'securityContext');
  const sc = readObject(errs, spec.securityContext, scPath);
  if (sc === WRONG_TYPE || sc === undefined) return;
  validateId(errs, sc.fsGroup, child(scPath, 'fsGroup'));
  validateId(errs, sc.runAsUser, child(scPath, 'runAsUser'));
  validateId(errs, sc.runAsGroup, child(scPath, 'runAsGroup'));
  const groups = readList(errs, sc.supplementalGroups, child(scPath, 'supplementalGroups'));
  if (groups !== WRONG_TYPE) {
    groups.forEach((g, i) => {
      const p = index(child(scPath, 'supplementalGroups'), i);
      const gid = readInt(errs, g, p);
      if (gid !== WRONG_TYPE && (gid < 0 || gid > MAX_ID)) errs.push(invalid(p, gid, inclusiveRangeError(0, MAX_ID)));
    });
  }
  readBool(errs, sc.runAsNonRoot, child(scPath, 'runAsNonRoot'));
  // Internally hostPID and shareProcessNamespace live in the pod security context.
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(invalid(child(scPath, 'shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
}

function validateDNSConfig(errs: Errors, spec: JsonObject, dnsPolicy: string | undefined, path: string): void {
  const cfgPath = child(path, 'dnsConfig');
  const cfg = readObject(errs, spec.dnsConfig, cfgPath);
  if (cfg === WRONG_TYPE) return;
  const nameservers = cfg === undefined ? [] : readList(errs, cfg.nameservers, child(cfgPath, 'nameservers'));
  if (dnsPolicy === 'None') {
    if (cfg === undefined) {
      errs.push(required(cfgPath, 'must provide `dnsConfig` when `dnsPolicy` is None'));
      return;
    }
    if (nameservers !== WRONG_TYPE && nameservers.length === 0) {
      errs.push(required(child(cfgPath, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
      return;
    }
  }
  if (cfg === undefined) return;
  if (nameservers !== WRONG_TYPE && nameservers.length > 3) {
    errs.push(invalid(child(cfgPath, 'nameservers'), nameservers, 'must not have more than 3 nameservers'));
  }
  const searches = readList(errs, cfg.searches, child(cfgPath, 'searches'));
  if (searches !== WRONG_TYPE && searches.length > 32) {
    errs.push(invalid(child(cfgPath, 'searches'), searches, 'must not have more than 32 search paths'));
  }
  const options = readList(errs, cfg.options, child(cfgPath, 'options'));
  if (options !== WRONG_TYPE) {
    options.forEach((o, i) => {
      const name = isObject(o) ? readString(errs, o.name, child(index(child(cfgPath, 'options'), i), 'name')) : '';
      if (name === '') errs.push(required(index(child(cfgPath, 'options'), i), 'must not be empty'));
    });
  }
}

function validateGates(errs: Errors, spec: JsonObject, path: string): void {
  const rgPath = child(path, 'readinessGates');
  const readinessGates = readList(errs, spec.readinessGates, rgPath);
  if (readinessGates !== WRONG_TYPE) {
    readinessGates.forEach((g, i) => {
      if (!isObject(g) && !isAbsent(g)) {
        errs.push(invalid(index(rgPath, i), g, 'must be an object'));
        return;
      }
      const p = child(index(rgPath, i), 'conditionType');
      const type = readString(errs, isObject(g) ? g.conditionType : undefined, p);
      if (type !== WRONG_TYPE) for (const msg of isQualifiedName(type)) errs.push(invalid(p, type, msg));
    });
  }
  const sgPath = child(path, 'schedulingGates');
  const schedulingGates = readList(errs, spec.schedulingGates, sgPath);
  if (schedulingGates !== WRONG_TYPE) {
    const seen = new Set<string>();
    schedulingGates.forEach((g, i) => {
      const p = index(sgPath, i);
      if (!isObject(g) && !isAbsent(g)) {
        errs.push(invalid(p, g, 'must be an object'));
        return;
      }
      const name = readString(errs, isObject(g) ? g.name : undefined, child(p, 'name'));
      if (name === WRONG_TYPE) return;
      for (const msg of isQualifiedName(name)) errs.push(invalid(p, name, msg));
      if (seen.has(name)) errs.push(duplicate(p, name));
      seen.add(name);
    });
  }
}

function validateOS(errs: Errors, spec: JsonObject, path: string): void {
  const osPath = child(path, 'os');
  const os = readObject(errs, spec.os, osPath);
  if (os === WRONG_TYPE || os === undefined) return;
  const name = readString(errs, os.name, child(osPath, 'name'));
  if (name === '') errs.push(required(child(osPath, 'name'), 'cannot be empty'));
  else if (name !== WRONG_TYPE && name !== 'linux' && name !== 'windows') errs.push(notSupported(osPath, name, ['linux', 'windows']));
}

/** Returns the spec object when it is one, for the pod-level checks that follow. */
export function validatePodSpec(errs: Errors, raw: unknown, path: string): JsonObject | undefined {
  if (!isObject(raw) && !isAbsent(raw)) {
    errs.push(invalid(path, raw, 'must be an object'));
    return undefined;
  }
  const spec: JsonObject = raw ?? {};

  const gracePath = child(path, 'terminationGracePeriodSeconds');
  const grace = readOptionalInt(errs, spec.terminationGracePeriodSeconds, gracePath);
  if (grace === undefined) errs.push(required(gracePath, ''));
  const ctx = { gracePeriod: typeof grace === 'number' ? grace : undefined, os: podOS(spec) };

  validateVolumes(errs, spec.volumes, child(path, 'volumes'));
  const regular = validateContainers(errs, spec.containers, ctx, child(path, 'containers'));
  const init = validateInitContainers(errs, spec.initContainers, regular.names, ctx, child(path, 'initContainers'));
  validateEphemeralContainers(errs, spec.ephemeralContainers, regular.names, init.names, child(path, 'ephemeralContainers'));

  for (const flag of ['hostNetwork', 'hostPID', 'hostIPC'] as const) readBool(errs, spec[flag], child(path, flag));
  for (const flag of ['shareProcessNamespace', 'enableServiceLinks', 'automountServiceAccountToken'] as const) {
    if (!isAbsent(spec[flag])) readBool(errs, spec[flag], child(path, flag));
  }
  validateHostNetworkPorts(errs, spec, path);
  validateEnum(errs, spec.restartPolicy, RESTART_POLICIES, child(path, 'restartPolicy'));
  const dnsPolicy = validateEnum(errs, spec.dnsPolicy, DNS_POLICIES, child(path, 'dnsPolicy'));
  validateLabels(errs, spec.nodeSelector, child(path, 'nodeSelector'));
  validatePodSecurityContext(errs, spec, path);
  readList(errs, spec.imagePullSecrets, child(path, 'imagePullSecrets'));
  validateDNSConfig(errs, spec, dnsPolicy, path);
  validateGates(errs, spec, path);

  validateSubdomainName(errs, spec.serviceAccountName, child(path, 'serviceAccountName'));
  validateSubdomainName(errs, spec.nodeName, child(path, 'nodeName'));

  const adsPath = child(path, 'activeDeadlineSeconds');
  const ads = readOptionalInt(errs, spec.activeDeadlineSeconds, adsPath);
  if (typeof ads === 'number' && (ads < 1 || ads > MAX_INT32)) errs.push(invalid(adsPath, ads, inclusiveRangeError(1, MAX_INT32)));

  for (const field of ['hostname', 'subdomain'] as const) {
    const value = readString(errs, spec[field], child(path, field));
    if (value !== WRONG_TYPE && value.length > 0) for (const msg of isDNS1123Label(value)) errs.push(invalid(child(path, field), value, msg));
  }
  validateTolerations(errs, spec.tolerations, child(path, 'tolerations'));
  validateSubdomainName(errs, spec.priorityClassName, child(path, 'priorityClassName'));
  const runtimeClass = readOptionalString(errs, spec.runtimeClassName, child(path, 'runtimeClassName'));
  if (typeof runtimeClass === 'string') {
    for (const msg of nameIsDNSSubdomain(runtimeClass, false)) errs.push(invalid(child(path, 'runtimeClassName'), runtimeClass, msg));
  }
  if (!isAbsent(spec.preemptionPolicy)) validateEnum(errs, spec.preemptionPolicy, PREEMPTION_POLICIES, child(path, 'preemptionPolicy'));
  validateOS(errs, spec, path);
  return spec;
}
