/**
 * The API server's defaulting for the Pod fields hooklet consumes
 * (`pkg/apis/core/v1/defaults.go` and the generated `+default` tags), applied to a copy.
 *
 * A field is defaulted only when it holds Go's zero value (absent, null, "" or, for the
 * probe counters, 0). A field of the wrong type is left alone for validation to report.
 * A negative terminationGracePeriodSeconds is kept: the server does not change it on create.
 */
import type { Pod } from './types.js';
import { VOLUME_SOURCE_KEYS } from './validation/validate-volumes.js';

type Obj = Record<string, unknown>;

export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
export const TERMINATION_MESSAGE_PATH_DEFAULT = '/dev/termination-log';
/** 0644, the defaultMode of secret, configMap, downwardAPI and projected volumes. */
const DEFAULT_VOLUME_MODE = 0o644;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null;
}

function isZeroString(v: unknown): boolean {
  return isAbsent(v) || v === '';
}

function isZeroNumber(v: unknown): boolean {
  return isAbsent(v) || v === 0;
}

/**
 * Deep copy without recursion, so that absurdly nested input cannot overflow the stack.
 * Keys are defined as own data properties: a literal "__proto__" key stays data.
 */
function copyJson(root: unknown): unknown {
  const shallow = (v: unknown): unknown => (Array.isArray(v) ? new Array<unknown>(v.length) : isObj(v) ? {} : v);
  const out = shallow(root);
  const stack: Array<[unknown, unknown]> = out === root ? [] : [[root, out]];
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    if (Array.isArray(src)) {
      const target = dst as unknown[];
      for (let i = 0; i < src.length; i++) {
        const c = shallow(src[i]);
        target[i] = c;
        if (c !== src[i]) stack.push([src[i], c]);
      }
      continue;
    }
    const target = dst as Obj;
    for (const k of Object.keys(src as Obj)) {
      const x = (src as Obj)[k];
      const c = shallow(x);
      if (k === '__proto__') Object.defineProperty(target, k, { value: c, writable: true, enumerable: true, configurable: true });
      else target[k] = c;
      if (c !== x) stack.push([x, c]);
    }
  }
  return out;
}

function setIf(obj: Obj, key: string, isZero: (v: unknown) => boolean, value: unknown): void {
  if (isZero(obj[key])) obj[key] = value;
}

/** Each object in a list; a null entry becomes {} first, as the JSON decoder makes a zero struct. */
function eachEntry(list: unknown, fn: (entry: Obj) => void): void {
  if (!Array.isArray(list)) return;
  list.forEach((item: unknown, i: number) => {
    if (isAbsent(item)) list[i] = {};
    const entry: unknown = list[i];
    if (isObj(entry)) fn(entry);
  });
}

function eachObject(obj: Obj, keys: readonly string[], fn: (value: Obj) => void): void {
  for (const k of keys) {
    const v = obj[k];
    if (isObj(v)) fn(v);
  }
}

// Docker reference grammar (distribution/reference), enough to find the tag the way
// the kubelet's parsers.ParseImageName does.
const alnum = '[a-z0-9]+';
const pathComponent = `${alnum}(?:(?:[._]|__|[-]+)${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])`;
const namePattern = `(?:${host}(?::[0-9]+)?/)?${pathComponent}(?:/${pathComponent})*`;
const REFERENCE = new RegExp(
  `^(${namePattern})(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);
const DIGEST_LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
/** No valid reference is longer (name ≤ 255, tag ≤ 128, digest ≤ 135); also bounds regex work. */
const MAX_REFERENCE_LENGTH = 600;

/**
 * The tag parsers.ParseImageName reports: the explicit tag, `latest` when there is neither
 * tag nor digest, and "" for a digest-only or unparseable reference.
 */
export function imageTag(image: string): string {
  if (image.length > MAX_REFERENCE_LENGTH || /^[a-f0-9]{64}$/.test(image)) return '';
  const m = REFERENCE.exec(image);
  if (!m || (m[1] ?? '').length > 255) return '';
  const digest = m[3];
  if (digest !== undefined) {
    const [algorithm = '', encoded = ''] = digest.split(':');
    if (DIGEST_LENGTHS[algorithm] !== encoded.length || !/^[a-f0-9]+$/.test(encoded)) return '';
  }
  const tag = m[2] ?? '';
  return tag === '' && digest === undefined ? 'latest' : tag;
}

/** SetDefaults_Container: `Always` for a `latest` (or missing) tag, else `IfNotPresent`. */
export function defaultImagePullPolicy(image: unknown): 'Always' | 'IfNotPresent' {
  return typeof image === 'string' && imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHTTPGet(handler: Obj): void {
  const http = handler.httpGet;
  if (!isObj(http)) return;
  setIf(http, 'path', isZeroString, '/');
  setIf(http, 'scheme', isZeroString, 'HTTP');
}

function defaultProbe(probe: Obj): void {
  setIf(probe, 'timeoutSeconds', isZeroNumber, 1);
  setIf(probe, 'periodSeconds', isZeroNumber, 10);
  setIf(probe, 'successThreshold', isZeroNumber, 1);
  setIf(probe, 'failureThreshold', isZeroNumber, 3);
  defaultHTTPGet(probe);
  if (isObj(probe.grpc)) setIf(probe.grpc, 'service', isAbsent, '');
}

function defaultContainer(ctr: Obj): void {
  setIf(ctr, 'imagePullPolicy', isZeroString, defaultImagePullPolicy(ctr.image));
  setIf(ctr, 'terminationMessagePath', isZeroString, TERMINATION_MESSAGE_PATH_DEFAULT);
  setIf(ctr, 'terminationMessagePolicy', isZeroString, 'File');
  eachEntry(ctr.ports, (port) => setIf(port, 'protocol', isZeroString, 'TCP'));
  eachEntry(ctr.env, (env) => {
    if (isObj(env.valueFrom) && isObj(env.valueFrom.fieldRef)) setIf(env.valueFrom.fieldRef, 'apiVersion', isZeroString, 'v1');
  });
  if (isObj(ctr.lifecycle)) eachObject(ctr.lifecycle, ['postStart', 'preStop'], defaultHTTPGet);
  eachObject(ctr, ['livenessProbe', 'readinessProbe', 'startupProbe'], defaultProbe);
}

/** SetDefaults_Pod: requests default to limits, for regular and init containers. */
function defaultRequestsFromLimits(ctr: Obj): void {
  const resources = ctr.resources;
  if (!isObj(resources) || !isObj(resources.limits)) return;
  if (isAbsent(resources.requests)) resources.requests = {};
  const requests = resources.requests;
  if (!isObj(requests)) return;
  for (const [name, quantity] of Object.entries(resources.limits)) {
    if (!Object.prototype.hasOwnProperty.call(requests, name)) requests[name] = copyJson(quantity);
  }
}

/** With host networking every container port is also a host port. */
function defaultHostNetworkPorts(ctr: Obj): void {
  eachEntry(ctr.ports, (port) => {
    if (typeof port.containerPort === 'number') setIf(port, 'hostPort', isZeroNumber, port.containerPort);
  });
}

function defaultVolume(vol: Obj): void {
  if (VOLUME_SOURCE_KEYS.every((k) => isAbsent(vol[k]))) vol.emptyDir = {};
  eachObject(vol, ['secret', 'configMap', 'downwardAPI', 'projected'], (src) => setIf(src, 'defaultMode', isAbsent, DEFAULT_VOLUME_MODE));
  if (isObj(vol.hostPath)) setIf(vol.hostPath, 'type', isAbsent, '');
  if (isObj(vol.downwardAPI)) {
    eachEntry(vol.downwardAPI.items, (item) => {
      if (isObj(item.fieldRef)) setIf(item.fieldRef, 'apiVersion', isZeroString, 'v1');
    });
  }
}

function defaultPodSpec(spec: Obj): void {
  setIf(spec, 'dnsPolicy', isZeroString, 'ClusterFirst');
  setIf(spec, 'restartPolicy', isZeroString, 'Always');
  setIf(spec, 'securityContext', isAbsent, {});
  setIf(spec, 'terminationGracePeriodSeconds', isAbsent, DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
  setIf(spec, 'schedulerName', isZeroString, DEFAULT_SCHEDULER_NAME);
  setIf(spec, 'enableServiceLinks', isAbsent, true);
  eachEntry(spec.volumes, defaultVolume);
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) eachEntry(spec[list], defaultContainer);
  for (const list of ['containers', 'initContainers']) {
    eachEntry(spec[list], defaultRequestsFromLimits);
    if (spec.hostNetwork === true) eachEntry(spec[list], defaultHostNetworkPorts);
  }
}

/** A defaulted deep copy of `pod`; the argument is not modified. */
export function applyDefaults(pod: Pod): Pod {
  const out = copyJson(pod);
  if (!isObj(out)) return out as Pod;
  setIf(out, 'metadata', isAbsent, {});
  if (isObj(out.metadata)) setIf(out.metadata, 'namespace', isZeroString, DEFAULT_NAMESPACE);
  setIf(out, 'spec', isAbsent, {});
  if (isObj(out.spec)) defaultPodSpec(out.spec);
  return out as unknown as Pod;
}

/**
 * V10 / R4.1: the grace period of a delete. A negative value (from the delete options or a
 * stored deletionGracePeriodSeconds) is treated as 1; anything else is used as given.
 */
export function normalizeDeleteGrace(seconds: number): number {
  return seconds < 0 ? 1 : seconds;
}
