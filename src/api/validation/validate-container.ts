/**
 * validateContainerCommon: the checks every container kind gets (regular, init, ephemeral),
 * in validation.go order. Resources, resize policy, volume devices and the security context
 * are only type-checked.
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
  readString,
  readStringList,
  WRONG_TYPE,
  type Errors,
  type JsonObject,
} from './json-shape.js';
import { isDNS1123Label, isValidPortName, isValidPortNum } from './names.js';
import { validateEnv, validateEnvFrom } from './validate-env.js';

const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
/** supportedPullPolicies in sets.List order. */
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
/** supportedPortProtocols in sets.List order. */
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function validateContainerCommon(errs: Errors, ctr: JsonObject, path: string): void {
  const namePath = child(path, 'name');
  const name = readString(errs, ctr.name, namePath);
  if (name === '') errs.push(required(namePath, ''));
  else if (name !== WRONG_TYPE) for (const msg of isDNS1123Label(name)) errs.push(invalid(namePath, name, msg));

  if (readString(errs, ctr.image, child(path, 'image')) === '') errs.push(required(child(path, 'image'), ''));

  // Not validated by the API server, but the runtime consumes them; a wrong type here
  // would have been a decoding error there.
  readStringList(errs, ctr.command, child(path, 'command'));
  readStringList(errs, ctr.args, child(path, 'args'));
  readString(errs, ctr.workingDir, child(path, 'workingDir'));
  readString(errs, ctr.terminationMessagePath, child(path, 'terminationMessagePath'));
  for (const flag of ['stdin', 'stdinOnce', 'tty'] as const) readBool(errs, ctr[flag], child(path, flag));

  const tmpPath = child(path, 'terminationMessagePolicy');
  const tmp = readString(errs, ctr.terminationMessagePolicy, tmpPath);
  if (tmp === '') errs.push(required(tmpPath, ''));
  else if (tmp !== WRONG_TYPE && !TERMINATION_MESSAGE_POLICIES.includes(tmp)) {
    errs.push(notSupported(tmpPath, tmp, TERMINATION_MESSAGE_POLICIES));
  }

  validateContainerPorts(errs, ctr.ports, child(path, 'ports'));
  validateEnv(errs, ctr.env, child(path, 'env'));
  validateEnvFrom(errs, ctr.envFrom, child(path, 'envFrom'));
  validateVolumeMounts(errs, ctr.volumeMounts, child(path, 'volumeMounts'));
  readList(errs, ctr.volumeDevices, child(path, 'volumeDevices'));

  const pullPath = child(path, 'imagePullPolicy');
  const pull = readString(errs, ctr.imagePullPolicy, pullPath);
  if (pull === '') errs.push(required(pullPath, ''));
  else if (pull !== WRONG_TYPE && !PULL_POLICIES.includes(pull)) errs.push(notSupported(pullPath, pull, PULL_POLICIES));

  readObject(errs, ctr.resources, child(path, 'resources'));
  readList(errs, ctr.resizePolicy, child(path, 'resizePolicy'));
  readObject(errs, ctr.securityContext, child(path, 'securityContext'));
}

export function validateContainerPorts(errs: Errors, raw: unknown, path: string): void {
  const ports = readList(errs, raw, path);
  if (ports === WRONG_TYPE) return;
  const names = new Set<string>();
  ports.forEach((item, i) => {
    const idxPath = index(path, i);
    const port = readObject(errs, item, idxPath);
    if (port === WRONG_TYPE) return;
    const p: JsonObject = port ?? {};
    const name = readString(errs, p.name, child(idxPath, 'name'));
    if (name !== WRONG_TYPE && name.length > 0) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) for (const msg of msgs) errs.push(invalid(child(idxPath, 'name'), name, msg));
      else if (names.has(name)) errs.push(duplicate(child(idxPath, 'name'), name));
      else names.add(name);
    }
    const containerPort = readInt(errs, p.containerPort, child(idxPath, 'containerPort'), 32);
    if (containerPort === 0) errs.push(required(child(idxPath, 'containerPort'), ''));
    else if (containerPort !== WRONG_TYPE) {
      for (const msg of isValidPortNum(containerPort)) errs.push(invalid(child(idxPath, 'containerPort'), containerPort, msg));
    }
    const hostPort = readInt(errs, p.hostPort, child(idxPath, 'hostPort'), 32);
    if (hostPort !== WRONG_TYPE && hostPort !== 0) {
      for (const msg of isValidPortNum(hostPort)) errs.push(invalid(child(idxPath, 'hostPort'), hostPort, msg));
    }
    const protocol = readString(errs, p.protocol, child(idxPath, 'protocol'));
    if (protocol === '') errs.push(required(child(idxPath, 'protocol'), ''));
    else if (protocol !== WRONG_TYPE && !PORT_PROTOCOLS.includes(protocol)) {
      errs.push(notSupported(child(idxPath, 'protocol'), protocol, PORT_PROTOCOLS));
    }
    readString(errs, p.hostIP, child(idxPath, 'hostIP'));
  });
}

/**
 * The part of ValidateVolumeMounts that needs no volume lookup. The "Not found" check for a
 * mount naming an undeclared volume is left out: field-error.ts has no NotFound type.
 */
function validateVolumeMounts(errs: Errors, raw: unknown, path: string): void {
  const mounts = readList(errs, raw, path);
  if (mounts === WRONG_TYPE) return;
  const mountPoints = new Set<string>();
  mounts.forEach((item, i) => {
    const idxPath = index(path, i);
    if (!isObject(item) && !isAbsent(item)) {
      errs.push(invalid(idxPath, item, 'must be an object'));
      return;
    }
    const m: JsonObject = item ?? {};
    if (readString(errs, m.name, child(idxPath, 'name')) === '') errs.push(required(child(idxPath, 'name'), ''));
    const mountPath = readString(errs, m.mountPath, child(idxPath, 'mountPath'));
    if (mountPath === WRONG_TYPE) return;
    if (mountPath === '') errs.push(required(child(idxPath, 'mountPath'), ''));
    if (mountPoints.has(mountPath)) errs.push(invalid(child(idxPath, 'mountPath'), mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    readBool(errs, m.readOnly, child(idxPath, 'readOnly'));
    readString(errs, m.subPath, child(idxPath, 'subPath'));
    readString(errs, m.subPathExpr, child(idxPath, 'subPathExpr'));
  });
}

const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const GO_SPACE_EDGES = new RegExp(`^${GO_SPACE}|${GO_SPACE}$`);

/** Whether strings.TrimSpace would change the value (Go's unicode.IsSpace set). */
export function hasSurroundingSpace(s: string): boolean {
  return GO_SPACE_EDGES.test(s);
}

/** validateContainerOnlyForPod. */
export function validateImageWhitespace(errs: Errors, ctr: JsonObject, path: string): void {
  const image = ctr.image;
  if (typeof image === 'string' && hasSurroundingSpace(image)) {
    errs.push(invalid(child(path, 'image'), image, 'must not have leading or trailing whitespace'));
  }
}
