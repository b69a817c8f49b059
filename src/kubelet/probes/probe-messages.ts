/**
 * The kubelet's probe texts, in one place so they can be checked against
 * upstream at a glance: event reasons and messages (pkg/kubelet/prober,
 * Kubernetes 1.32) and the outputs of pkg/probe/{exec,http,tcp,grpc}.
 */
import { goQuote } from '../../lifecycle/format-go.js';
import type { ProbeType } from './probe-types.js';

/** events.ContainerUnhealthy. */
export const UNHEALTHY_REASON = 'Unhealthy';
/** events.ContainerProbeWarning. */
export const PROBE_WARNING_REASON = 'ProbeWarning';

/** probeType.String(). */
export function probeTypeName(type: ProbeType): 'Liveness' | 'Readiness' | 'Startup' {
  return type === 'liveness' ? 'Liveness' : type === 'readiness' ? 'Readiness' : 'Startup';
}

/** R7.1: `<Type> probe failed: <output>`. */
export function probeFailedMessage(type: ProbeType, output: string): string {
  return `${probeTypeName(type)} probe failed: ${output}`;
}

/**
 * R7.1: `<Type> probe errored: <err>`. Kubernetes 1.33 (PR #125901) changed
 * this to `<Type> probe errored and resulted in <result> state: <err>`;
 * hooklet follows 1.32.
 */
export function probeErroredMessage(type: ProbeType, error: string): string {
  return `${probeTypeName(type)} probe errored: ${error}`;
}

/** R7.1: `<Type> probe warning: <output>`. */
export function probeWarningMessage(type: ProbeType, output: string): string {
  return `${probeTypeName(type)} probe warning: ${output}`;
}

/** `kube-probe/<major>.<minor>` from "1.32" or "v1.32.4". */
export function probeUserAgent(kubeletVersion = '1.32'): string {
  const m = /^v?(\d+)\.(\d+\+?)/.exec(kubeletVersion);
  return `kube-probe/${m ? `${m[1]}.${m[2]}` : kubeletVersion}`;
}

/**
 * http.go DoHTTPProbe. The failure text never carries the response body
 * (upstream keeps it out on purpose, kubernetes#99425); a redirect the
 * prober stopped at does carry it.
 */
export function httpStatusFailure(statusCode: number): string {
  return `HTTP probe failed with statuscode: ${statusCode}`;
}

export function httpRedirectWarning(body: string): string {
  return `Probe terminated redirects, Response body: ${body}`;
}

/** What http.Client adds to an error when its Timeout fired before the response head. */
export const CLIENT_TIMEOUT_SUFFIX = ' (Client.Timeout exceeded while awaiting headers)';

/** The body read error once http.Client's Timeout fires after the head arrived. */
export const BODY_READ_TIMEOUT = 'context deadline exceeded (Client.Timeout or context cancellation while reading body)';

/** Go's context.DeadlineExceeded text. */
export const DEADLINE_EXCEEDED = 'context deadline exceeded';

/** A dial cut short by a deadline (net: errTimeout). */
export function dialTimeout(hostPort: string): string {
  return `dial tcp ${hostPort}: i/o timeout`;
}

/** cri-client ExecSync on DeadlineExceeded; the exec prober reports it as the failure output. */
export function execTimedOut(argv: readonly string[]): string {
  return `command ${goQuote(argv.join(' '))} timed out`;
}

/** prober.go for a probe with no handler (validation normally rejects it). */
export const MISSING_HANDLER = 'missing probe handler';

/** Go's time.Duration String() for whole seconds: `1s`, `1m30s`, `1h0m0s`. */
export function goDuration(seconds: number): string {
  const s = Math.trunc(seconds);
  if (s === 0) return '0s';
  const sign = s < 0 ? '-' : '';
  const abs = Math.abs(s);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const sec = abs % 60;
  if (h > 0) return `${sign}${h}h${m}m${sec}s`;
  if (m > 0) return `${sign}${m}m${sec}s`;
  return `${sign}${sec}s`;
}

/** grpc.go outputs. */
export const GRPC_SERVING = 'service healthy';

export function grpcConnectTimeout(addr: string, timeoutSeconds: number): string {
  return `timeout: failed to connect service ${goQuote(addr)} within ${goDuration(timeoutSeconds)}: ${DEADLINE_EXCEEDED}`;
}

export function grpcRpcTimeout(timeoutSeconds: number): string {
  return `timeout: health rpc did not complete within ${goDuration(timeoutSeconds)}`;
}

export function grpcUnimplemented(message: string): string {
  return `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${message}`;
}

/** `%+v` of a gRPC status error. */
export function grpcRpcFailed(codeName: string, message: string): string {
  return `error: health rpc probe failed: rpc error: code = ${codeName} desc = ${message}`;
}

export function grpcUnhealthy(statusName: string): string {
  return `service unhealthy (responded with ${goQuote(statusName)})`;
}
