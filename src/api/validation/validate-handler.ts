/**
 * validateHandler and the action validators from validation.go, shared by lifecycle hooks
 * (exec, httpGet, tcpSocket, sleep) and probes (exec, httpGet, tcpSocket, grpc).
 */
import { forbidden, invalid, notSupported, required } from '../field-error.js';
import { child, index } from './field-path.js';
import {
  isAbsent,
  readInt,
  readIntOrString,
  readList,
  readObject,
  readString,
  readStringList,
  WRONG_TYPE,
  type Errors,
  type JsonObject,
} from './json-shape.js';
import { isHTTPHeaderName, isValidPortName, isValidPortNum } from './names.js';

export type HandlerField = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc' | 'sleep';

/** commonHandler field order; V3: the first one set counts, later ones are Forbidden. */
const HANDLER_ORDER: readonly HandlerField[] = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'];

export const LIFECYCLE_HANDLER_FIELDS: ReadonlySet<HandlerField> = new Set(['exec', 'httpGet', 'tcpSocket', 'sleep']);
export const PROBE_HANDLER_FIELDS: ReadonlySet<HandlerField> = new Set(['exec', 'httpGet', 'tcpSocket', 'grpc']);

/**
 * V3. `gracePeriod` is the pod's terminationGracePeriodSeconds, or undefined when it is
 * unset or malformed (the sleep check is then skipped, as Go does for a nil pointer).
 */
export function validateHandler(
  errs: Errors,
  handler: JsonObject,
  fields: ReadonlySet<HandlerField>,
  gracePeriod: number | undefined,
  path: string,
): void {
  let numHandlers = 0;
  for (const name of HANDLER_ORDER) {
    if (!fields.has(name) || isAbsent(handler[name])) continue;
    const fieldPath = child(path, name);
    if (numHandlers > 0) {
      errs.push(forbidden(fieldPath, 'may not specify more than 1 handler type'));
      continue;
    }
    numHandlers++;
    const action = readObject(errs, handler[name], fieldPath);
    if (action === WRONG_TYPE || action === undefined) continue;
    switch (name) {
      case 'exec':
        validateExecAction(errs, action, fieldPath);
        break;
      case 'httpGet':
        validateHTTPGetAction(errs, action, fieldPath);
        break;
      case 'tcpSocket':
        validateTCPSocketAction(errs, action, fieldPath);
        break;
      case 'grpc':
        validateGRPCAction(errs, action, fieldPath);
        break;
      case 'sleep':
        validateSleepAction(errs, action, gracePeriod, fieldPath);
        break;
    }
  }
  if (numHandlers === 0) errs.push(required(path, 'must specify a handler type'));
}

/** V4. */
export function validateExecAction(errs: Errors, exec: JsonObject, path: string): void {
  const commandPath = child(path, 'command');
  const command = readStringList(errs, exec.command, commandPath);
  // Go checks len(Command): entries of the wrong type still count.
  if (command !== WRONG_TYPE && !(Array.isArray(exec.command) && exec.command.length > 0)) {
    errs.push(required(commandPath, ''));
  }
}

/** ValidatePortNumOrName: numbers must be 1–65535, strings IANA service names (V5, V7). */
export function validatePortNumOrName(errs: Errors, raw: unknown, path: string): void {
  const port = readIntOrString(errs, raw, path);
  if (port === WRONG_TYPE) return;
  const msgs = typeof port === 'number' ? isValidPortNum(port) : isValidPortName(port);
  for (const msg of msgs) errs.push(invalid(path, port, msg));
}

const SUPPORTED_HTTP_SCHEMES = ['HTTP', 'HTTPS'];

/** V5. */
export function validateHTTPGetAction(errs: Errors, http: JsonObject, path: string): void {
  const p = readString(errs, http.path, child(path, 'path'));
  if (p === '') errs.push(required(child(path, 'path'), ''));
  validatePortNumOrName(errs, http.port, child(path, 'port'));
  readString(errs, http.host, child(path, 'host'));
  const scheme = readString(errs, http.scheme, child(path, 'scheme'));
  if (scheme !== WRONG_TYPE && !SUPPORTED_HTTP_SCHEMES.includes(scheme)) {
    errs.push(notSupported(child(path, 'scheme'), scheme, SUPPORTED_HTTP_SCHEMES));
  }
  const headersPath = child(path, 'httpHeaders');
  const headers = readList(errs, http.httpHeaders, headersPath);
  if (headers === WRONG_TYPE) return;
  headers.forEach((h, i) => {
    const hPath = index(headersPath, i);
    const header = readObject(errs, h, hPath);
    if (header === WRONG_TYPE) return;
    // A null entry decodes to a header with an empty (invalid) name.
    const entry: JsonObject = header ?? {};
    const name = readString(errs, entry.name, child(hPath, 'name'));
    readString(errs, entry.value, child(hPath, 'value'));
    if (name === WRONG_TYPE) return;
    // The API server reports header errors on the list, not on the entry (V5).
    for (const msg of isHTTPHeaderName(name)) errs.push(invalid(headersPath, name, msg));
  });
}

/** V7: only the port is checked, so a lifecycle tcpSocket passes and fails at run time. */
export function validateTCPSocketAction(errs: Errors, tcp: JsonObject, path: string): void {
  validatePortNumOrName(errs, tcp.port, child(path, 'port'));
  readString(errs, tcp.host, child(path, 'host'));
}

export function validateGRPCAction(errs: Errors, grpc: JsonObject, path: string): void {
  const port = readInt(errs, grpc.port, child(path, 'port'), 32);
  if (port !== WRONG_TYPE) for (const msg of isValidPortNum(port)) errs.push(invalid(child(path, 'port'), port, msg));
  readString(errs, grpc.service, child(path, 'service'));
}

/**
 * V6, the 1.33+ rule (PodLifecycleSleepActionAllowZero on): 0 ≤ seconds ≤ grace. The error
 * sits on `.sleep`, not `.sleep.seconds`. With a negative grace every sleep fails, since
 * validation does not reject the negative grace itself.
 */
export function validateSleepAction(errs: Errors, sleep: JsonObject, gracePeriod: number | undefined, path: string): void {
  const seconds = readInt(errs, sleep.seconds, child(path, 'seconds'));
  if (seconds === WRONG_TYPE || gracePeriod === undefined) return;
  if (seconds < 0 || seconds > gracePeriod) {
    errs.push(invalid(path, seconds, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`));
  }
}
