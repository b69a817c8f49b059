/**
 * The prober's http.Client (pkg/probe/http Probe): the hook runner's client
 * (lifecycle/http-client.ts) with the prober's transport (DisableKeepAlives,
 * DisableCompression), CheckRedirect = RedirectChecker(false), and
 * Timeout = timeoutSeconds over the whole exchange, redirects and body
 * included. The body is kept, up to 10 KiB (utilio.ReadAtMost), because a
 * probe reports it; a broken body is an error.
 */
import type { Clock } from '../../clock/clock.js';
import { urlError } from '../../lifecycle/go-net-errors.js';
import { goUrlString, joinHostPort, splitGoHostPort, type GoUrl } from '../../lifecycle/go-url.js';
import { goClientDo, redirectChecker } from '../../lifecycle/http-client.js';
import type { HttpTarget } from '../../lifecycle/http-request.js';
import { MAX_RESP_BODY_LENGTH, type ExchangeResponse } from '../../lifecycle/http-response.js';
import { ProbeDeadline } from './probe-deadline.js';
import { BODY_READ_TIMEOUT, CLIENT_TIMEOUT_SUFFIX, DEADLINE_EXCEEDED, dialTimeout } from './probe-messages.js';

export type ProbeHttpResult =
  /** A response; `body` is its first 10 KiB. */
  | { kind: 'response'; statusCode: number; body: string }
  /** client.Do failed: the url.Error text (`Get "<url>": <err>`). */
  | { kind: 'request-error'; error: string }
  /** The response head came but the body could not be read. */
  | { kind: 'body-error'; error: string }
  /** The caller gave up (the worker stopped). */
  | { kind: 'canceled' };

/**
 * What the Timeout looks like in the error. A plain-HTTP connect that times
 * out was still dialing (`dial tcp <addr>: i/o timeout`); for https the dial
 * and the TLS handshake cannot be told apart here, and Go's handshake
 * reports the context's own text.
 */
function timeoutError(url: GoUrl, phase: 'connect' | 'response'): string {
  if (phase === 'connect' && url.scheme === 'http') {
    const { hostname, port } = splitGoHostPort(url.host);
    return dialTimeout(joinHostPort(hostname, port || '80')) + CLIENT_TIMEOUT_SUFFIX;
  }
  return DEADLINE_EXCEEDED + CLIENT_TIMEOUT_SUFFIX;
}

export async function probeHttpDo(
  target: HttpTarget,
  timeoutMs: number,
  clock: Clock,
  signal?: AbortSignal,
): Promise<ProbeHttpResult> {
  const deadline = new ProbeDeadline(clock, timeoutMs, signal);
  try {
    const r = await goClientDo(target, redirectChecker(false), {
      signal: deadline.signal,
      compression: false,
      keepAlive: false,
    });
    if (r.ok) return await readFinal(r.response, deadline);
    if (!r.canceled) return { kind: 'request-error', error: r.error };
    if (!deadline.expired) return { kind: 'canceled' };
    return { kind: 'request-error', error: urlError(goUrlString(r.url), timeoutError(r.url, r.phase)) };
  } finally {
    deadline.dispose();
  }
}

async function readFinal(res: ExchangeResponse, deadline: ProbeDeadline): Promise<ProbeHttpResult> {
  const b = await res.readBody(MAX_RESP_BODY_LENGTH, deadline.signal);
  if (b.ok) return { kind: 'response', statusCode: res.statusCode, body: b.body.toString('utf8') };
  if (b.canceled) return deadline.expired ? { kind: 'body-error', error: BODY_READ_TIMEOUT } : { kind: 'canceled' };
  return { kind: 'body-error', error: b.error };
}
