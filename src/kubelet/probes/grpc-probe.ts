/**
 * pkg/probe/grpc: a blocking dial to `<podIP>:<port>` (plaintext HTTP/2),
 * then one unary call to /grpc.health.v1.Health/Check, both within
 * timeoutSeconds. Every outcome is a success or a failure with grpc.go's
 * texts (the prober never returns an error for gRPC), built on node:http2.
 */
import http from 'node:http';
import http2 from 'node:http2';
import type { Probe } from '../../api/types.js';
import type { Clock } from '../../clock/clock.js';
import { joinHostPort } from '../../lifecycle/go-url.js';
import {
  Code,
  SERVING,
  codeForHttpStatus,
  codeName,
  decodeCheckResponse,
  decodeGrpcMessage,
  encodeCheckRequest,
  servingStatusName,
} from './grpc-health-codec.js';
import { ProbeDeadline } from './probe-deadline.js';
import {
  GRPC_SERVING,
  grpcConnectTimeout,
  grpcRpcFailed,
  grpcRpcTimeout,
  grpcUnhealthy,
  grpcUnimplemented,
  probeUserAgent,
} from './probe-messages.js';
import type { ProbeAttempt, ProbeDeps } from './probe-types.js';

const CHECK_PATH = '/grpc.health.v1.Health/Check';
/** grpc-go's first reconnect back-off (backoff.DefaultConfig.BaseDelay). */
const RECONNECT_DELAY_MS = 1000;

export type GrpcAction = NonNullable<Probe['grpc']>;

export async function runGrpcProbe(
  action: GrpcAction,
  podIP: string,
  timeoutSeconds: number,
  deps: ProbeDeps,
  signal?: AbortSignal,
): Promise<ProbeAttempt> {
  const addr = joinHostPort(podIP, action.port);
  const deadline = new ProbeDeadline(deps.clock, timeoutSeconds * 1000, signal);
  const ends = deps.clock.now() + timeoutSeconds * 1000;
  try {
    const session = await dialUntilReady(addr, deps.clock, deadline.signal);
    if (!session) {
      return deadline.expired
        ? { outcome: 'failure', output: grpcConnectTimeout(addr, timeoutSeconds) }
        : { outcome: 'error', output: 'context canceled' };
    }
    try {
      const r = await check(session, addr, action.service ?? '', deps, ends, deadline.signal);
      if (r.kind === 'aborted') {
        return deadline.expired
          ? { outcome: 'failure', output: grpcRpcTimeout(timeoutSeconds) }
          : { outcome: 'error', output: 'context canceled' };
      }
      if (r.kind === 'status') {
        if (r.code === Code.Unimplemented) return { outcome: 'failure', output: grpcUnimplemented(r.message) };
        return { outcome: 'failure', output: grpcRpcFailed(codeName(r.code), r.message) };
      }
      if (r.status !== SERVING) return { outcome: 'failure', output: grpcUnhealthy(servingStatusName(r.status)) };
      return { outcome: 'success', output: GRPC_SERVING };
    } finally {
      session.destroy();
    }
  } finally {
    deadline.dispose();
  }
}

/**
 * grpc.WithBlock: keep trying until the connection is READY (the server's
 * SETTINGS arrived) or the deadline passes; a refused connection is a
 * transient failure, retried after the back-off, not an answer.
 */
async function dialUntilReady(addr: string, clock: Clock, signal: AbortSignal): Promise<http2.ClientHttp2Session | undefined> {
  while (!signal.aborted) {
    const session = await dialOnce(addr, signal);
    if (session) return session;
    try {
      await clock.sleep(RECONNECT_DELAY_MS, signal);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function dialOnce(addr: string, signal: AbortSignal): Promise<http2.ClientHttp2Session | undefined> {
  return new Promise((resolve) => {
    const session = http2.connect(`http://${addr}`);
    session.on('error', () => {});
    const settle = (ok: boolean): void => {
      signal.removeEventListener('abort', onAbort);
      session.off('remoteSettings', onReady);
      session.off('close', onFail);
      session.off('error', onFail);
      if (!ok) session.destroy();
      resolve(ok ? session : undefined);
    };
    const onReady = (): void => settle(true);
    const onFail = (): void => settle(false);
    const onAbort = (): void => settle(false);
    session.once('remoteSettings', onReady);
    session.once('close', onFail);
    session.once('error', onFail);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

type CheckResult =
  | { kind: 'response'; status: number }
  | { kind: 'status'; code: number; message: string }
  | { kind: 'aborted' };

function check(
  session: http2.ClientHttp2Session,
  addr: string,
  service: string,
  deps: ProbeDeps,
  endsAt: number,
  signal: AbortSignal,
): Promise<CheckResult> {
  return new Promise((resolve) => {
    const remainingMs = Math.max(1, Math.ceil(endsAt - deps.clock.now()));
    const stream = session.request({
      ':method': 'POST',
      ':scheme': 'http',
      ':path': CHECK_PATH,
      ':authority': addr,
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': probeUserAgent(deps.kubeletVersion),
      'grpc-timeout': `${remainingMs}m`,
    });
    stream.on('error', () => {});
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders | undefined;
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (r: CheckResult): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
      resolve(r);
    };
    const onAbort = (): void => finish({ kind: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });

    stream.on('response', (h) => (headers = h));
    stream.on('trailers', (t) => (trailers = t));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('close', () => {
      if (signal.aborted) return finish({ kind: 'aborted' });
      finish(outcome(headers, trailers, Buffer.concat(chunks)));
    });
    stream.end(encodeCheckRequest(service));
  });
}

/** grpc-go's reading of a finished unary call. */
function outcome(headers: http2.IncomingHttpHeaders, trailers: http2.IncomingHttpHeaders | undefined, data: Buffer): CheckResult {
  const httpStatus = Number(headers[':status'] ?? 0);
  if (httpStatus === 0) return { kind: 'status', code: Code.Unavailable, message: 'error reading from server: EOF' };
  const contentType = String(headers['content-type'] ?? '');
  const isGrpc = /^application\/grpc([+;]|$)/.test(contentType);
  if (httpStatus !== 200 || !isGrpc) {
    const errs: string[] = [];
    if (httpStatus !== 200) {
      errs.push(`unexpected HTTP status code received from server: ${httpStatus} (${http.STATUS_CODES[httpStatus] ?? ''})`);
    }
    if (!isGrpc) {
      errs.push(contentType === '' ? 'malformed header: missing HTTP content-type' : `transport: received unexpected content-type ${JSON.stringify(contentType)}`);
    }
    return { kind: 'status', code: httpStatus !== 200 ? codeForHttpStatus(httpStatus) : Code.Internal, message: errs.join('; ') };
  }
  // A trailers-only answer carries grpc-status in the headers.
  const meta = trailers ?? headers;
  const rawStatus = meta['grpc-status'];
  if (rawStatus === undefined) {
    return { kind: 'status', code: Code.Internal, message: 'server closed the stream without sending trailers' };
  }
  const code = Number(rawStatus);
  if (code !== Code.OK) return { kind: 'status', code, message: decodeGrpcMessage(meta['grpc-message'] as string | undefined) };
  const decoded = decodeCheckResponse(data);
  if (!decoded.ok) return { kind: 'status', code: Code.Internal, message: decoded.error };
  return { kind: 'response', status: decoded.status };
}
