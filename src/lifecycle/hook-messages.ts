/**
 * The kubelet's hook texts (pkg/kubelet/lifecycle/handlers.go), in one place
 * so the formats can be checked against upstream at a glance.
 */
import type { HTTPGetAction, LifecycleHandler, TCPSocketAction } from '../api/types.js';
import { formatPod, goQuote, goStringSlice } from './format-go.js';
import type { HookContext } from './hook-types.js';

/** Event reason for R1.7 (kubelet records it on the Pod, type Warning). */
export const LIFECYCLE_HTTP_FALLBACK_REASON = 'LifecycleHTTPFallback';

/** R1.9, exact. */
export const SLEEP_TERMINATED_ERROR = 'container terminated before sleep hook finished';

/** Go's context.Canceled text. */
export const CONTEXT_CANCELED = 'context canceled';

/**
 * What grpc-go returns when the caller's context is cancelled during the CRI
 * ExecSync call; the kubelet reports that error for an aborted exec hook.
 */
export const EXEC_CANCELED_ERROR = 'rpc error: code = Canceled desc = context canceled';

function pod(ctx: HookContext): string {
  return goQuote(formatPod(ctx.podName, ctx.podNamespace, ctx.podUid));
}

/** R1.4: `Exec lifecycle hook (%v) for Container %q in Pod %q failed - error: %v, message: %q`. */
export function execFailureMessage(ctx: HookContext, command: readonly string[] | undefined, error: string, output: string): string {
  return `Exec lifecycle hook (${goStringSlice(command)}) for Container ${goQuote(ctx.containerName)} in Pod ${pod(ctx)} failed - error: ${error}, message: ${goQuote(output)}`;
}

/** R1.3: the CRI CodeExitError text for a non-zero exit. */
export function execExitError(command: readonly string[], exitCode: number, stderr: string): string {
  return `command '${command.join(' ')}' exited with ${exitCode}: ${stderr}`;
}

/** R1.8: `HTTP lifecycle hook (%s) for Container %q in Pod %q failed - error: %v`, with the raw path. */
export function httpFailureMessage(ctx: HookContext, rawPath: string | undefined, error: string): string {
  return `HTTP lifecycle hook (${rawPath ?? ''}) for Container ${goQuote(ctx.containerName)} in Pod ${pod(ctx)} failed - error: ${error}`;
}

/** R1.9: `Sleep lifecycle hook (%d) for Container %q in Pod %q failed - error: %v`. */
export function sleepFailureMessage(ctx: HookContext, seconds: number, error: string): string {
  return `Sleep lifecycle hook (${seconds}) for Container ${goQuote(ctx.containerName)} in Pod ${pod(ctx)} failed - error: ${error}`;
}

/** R1.7, exact; `hostPort` is the request URL's host (`host:port`, IPv6 bracketed). */
export function httpFallbackEventMessage(hostPort: string): string {
  return `request to HTTPS lifecycle hook ${hostPort} got HTTP response, retry with HTTP succeeded`;
}

/** R1.1: the inner error. */
export function invalidHandlerError(handler: LifecycleHandler | null | undefined): string {
  return `invalid handler: ${goHandlerDump(handler)}`;
}

/** R1.1: the returned message. */
export function invalidHandlerMessage(error: string): string {
  return `Cannot run handler: ${error}`;
}

/**
 * Approximates Go's `%v` of a `*v1.LifecycleHandler`, which calls the
 * gogo-protobuf generated String() (`&LifecycleHandler{Exec:nil,...,}`). The
 * shape follows that generator; the nested dumps of fields that can never be
 * set on this path (a handler with exec, httpGet or sleep is dispatched, not
 * dumped) are best effort. Newer API packages may drop the generated String()
 * methods, in which case Go prints pointer addresses instead; nothing
 * sensible can reproduce those.
 */
export function goHandlerDump(handler: LifecycleHandler | null | undefined): string {
  if (!handler) return 'nil';
  const exec = handler.exec ? `&ExecAction{Command:${goStringSlice(handler.exec.command)},}` : 'nil';
  const httpGet = handler.httpGet ? dumpHttpGet(handler.httpGet) : 'nil';
  const tcp = handler.tcpSocket ? dumpTcpSocket(handler.tcpSocket) : 'nil';
  const sleep = handler.sleep ? `&SleepAction{Seconds:${handler.sleep.seconds},}` : 'nil';
  return `&LifecycleHandler{Exec:${exec},HTTPGet:${httpGet},TCPSocket:${tcp},Sleep:${sleep},}`;
}

/** `%v` of an intstr.IntOrString value: `{Type IntVal StrVal}`. */
function dumpIntOrString(port: number | string | undefined): string {
  return typeof port === 'string' ? `{1 0 ${port}}` : `{0 ${port ?? 0} }`;
}

function dumpTcpSocket(tcp: TCPSocketAction): string {
  return `&TCPSocketAction{Port:${dumpIntOrString(tcp.port)},Host:${tcp.host ?? ''},}`;
}

function dumpHttpGet(get: HTTPGetAction): string {
  const headers = (get.httpHeaders ?? []).map((h) => `HTTPHeader{Name:${h.name},Value:${h.value},}`).join(',');
  return `&HTTPGetAction{Path:${get.path ?? ''},Port:${dumpIntOrString(get.port)},Host:${get.host ?? ''},Scheme:${get.scheme ?? ''},HTTPHeaders:[]HTTPHeader{${headers}},}`;
}
