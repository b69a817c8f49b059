/**
 * The prober's http.Client (pkg/probe/http Probe): Timeout = timeoutSeconds
 * over the whole exchange (redirects and body included), CheckRedirect =
 * RedirectChecker(false). The redirect rules are those of the hook runner's
 * client (lifecycle/http-client.ts): a redirect to another hostname is not
 * followed and its response is the result; the tenth same-host redirect is
 * refused with `stopped after 10 redirects`.
 */
import type { Clock } from '../../clock/clock.js';
import { goQuote } from '../../lifecycle/format-go.js';
import { urlError } from '../../lifecycle/go-net-errors.js';
import { goUrlFromWhatwg, goUrlString, joinHostPort, splitGoHostPort, type GoUrl } from '../../lifecycle/go-url.js';
import type { HttpTarget } from '../../lifecycle/http-request.js';
import { ProbeDeadline } from './probe-deadline.js';
import { probeExchange, type ProbeResponse } from './probe-http-exchange.js';
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

/** Statuses Go's client treats as redirects (client.go redirectBehavior). */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

function hostnameOf(u: GoUrl): string {
  return splitGoHostPort(u.host).hostname.toLowerCase();
}

/** client.go refererForURL: none when going from https to http; a caller's own Referer wins. */
function referer(last: GoUrl, next: GoUrl, explicit: string): string {
  if (last.scheme === 'https' && next.scheme === 'http') return '';
  return explicit || goUrlString(last);
}

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
    return await follow(target, deadline);
  } finally {
    deadline.dispose();
  }
}

async function follow(target: HttpTarget, deadline: ProbeDeadline): Promise<ProbeHttpResult> {
  const firstHostname = hostnameOf(target.url);
  let url = target.url;
  let host = target.host;
  let header = target.header;
  let sent = 0;
  for (;;) {
    sent++;
    const r = await probeExchange({ url, host, header }, deadline.signal);
    if (!r.ok) {
      if (!r.canceled) return { kind: 'request-error', error: urlError(goUrlString(url), r.error) };
      if (!deadline.expired) return { kind: 'canceled' };
      return { kind: 'request-error', error: urlError(goUrlString(url), timeoutError(url, r.phase)) };
    }
    const res = r.response;
    const location = res.location;
    if (!REDIRECT_STATUSES.has(res.statusCode) || !location) return readFinal(res, deadline);

    let resolved: URL;
    try {
      resolved = new URL(location, goUrlString(url));
    } catch {
      res.discard();
      const inner = `failed to parse Location header ${goQuote(location)}: parse ${goQuote(location)}: invalid URL`;
      return { kind: 'request-error', error: urlError(goUrlString(url), inner) };
    }
    const next = goUrlFromWhatwg(resolved);
    // http.ErrUseLastResponse: the redirect itself is the response.
    if (hostnameOf(next) !== firstHostname) return readFinal(res, deadline);
    res.discard();
    if (sent >= MAX_REDIRECTS) return { kind: 'request-error', error: urlError(location, 'stopped after 10 redirects') };

    // A custom Host survives only relative redirects (Go issue 22233).
    const relative = !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(location);
    host = host !== '' && host !== url.host && relative ? host : '';
    const nextHeader = target.header.clone();
    const ref = referer(url, next, target.header.get('Referer'));
    if (ref !== '') nextHeader.set('Referer', ref);
    header = nextHeader;
    url = next;
  }
}

async function readFinal(res: ProbeResponse, deadline: ProbeDeadline): Promise<ProbeHttpResult> {
  const b = await res.readBody(deadline.signal);
  if (b.ok) return { kind: 'response', statusCode: res.statusCode, body: b.body.toString('utf8') };
  if (b.canceled) return deadline.expired ? { kind: 'body-error', error: BODY_READ_TIMEOUT } : { kind: 'canceled' };
  return { kind: 'body-error', error: b.error };
}
