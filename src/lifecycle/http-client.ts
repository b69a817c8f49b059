/**
 * Go's http.Client.Do as the kubelet configures it: no proxy, the redirect
 * loop of client.go with a CheckRedirect policy, and the transport switches
 * of http-exchange.ts. The lifecycle client (kubelet.go
 * insecureContainerLifecycleHTTPClient) is one configuration of it: no
 * timeout, CheckRedirect = probe/http RedirectChecker(false).
 */
import { goQuote } from './format-go.js';
import { urlError } from './go-net-errors.js';
import { goUrlFromWhatwg, goUrlString, splitGoHostPort, type GoUrl } from './go-url.js';
import { exchange, type ExchangeOptions } from './http-exchange.js';
import type { HttpTarget } from './http-request.js';
import type { ExchangeResponse } from './http-response.js';

/**
 * What CheckRedirect decides about the next hop, given the first request's
 * URL and how many requests went out: follow it, stop and hand back the
 * redirect itself (http.ErrUseLastResponse), or fail with `error`.
 */
export type RedirectDecision = 'follow' | 'use-last-response' | { error: string };
export type CheckRedirect = (next: GoUrl, first: GoUrl, sent: number) => RedirectDecision;

type Phase = 'connect' | 'response';

export type ClientResult =
  | { ok: true; response: ExchangeResponse }
  /**
   * `error` is the url.Error text (`Get "<url>": <inner>`), `inner` its
   * wrapped error; `url` and `phase` locate a transport failure.
   */
  | { ok: false; error: string; inner: string; canceled: boolean; url: GoUrl; phase: Phase };

export type DoResult =
  | { ok: true; statusCode: number; statusMessage: string }
  /** `error` is the url.Error text (`Get "<url>": <inner>`), `inner` its wrapped error. */
  | { ok: false; error: string; inner: string; canceled: boolean };

/** `urlText` defaults to the URL; Go reports the raw Location when CheckRedirect refuses. */
function failed(url: GoUrl, inner: string, how: { urlText?: string; canceled?: boolean; phase?: Phase } = {}): ClientResult {
  const error = urlError(how.urlText ?? goUrlString(url), inner);
  return { ok: false, error, inner, canceled: how.canceled ?? false, url, phase: how.phase ?? 'response' };
}

/** Statuses Go's client treats as redirects (client.go redirectBehavior). */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

function hostnameOf(u: GoUrl): string {
  return splitGoHostPort(u.host).hostname.toLowerCase();
}

/**
 * pkg/probe/http RedirectChecker: without followNonLocalRedirects a redirect
 * to another hostname is not followed and its response is the result; either
 * way the tenth redirect is refused, as Go's default policy does.
 */
export function redirectChecker(followNonLocalRedirects: boolean): CheckRedirect {
  return (next, first, sent) => {
    if (!followNonLocalRedirects && hostnameOf(next) !== hostnameOf(first)) return 'use-last-response';
    return sent >= MAX_REDIRECTS ? { error: 'stopped after 10 redirects' } : 'follow';
  };
}

/** client.go refererForURL: none when going from https to http; a caller's own Referer wins. */
function referer(last: GoUrl, next: GoUrl, explicit: string): string {
  if (last.scheme === 'https' && next.scheme === 'http') return '';
  return explicit || goUrlString(last);
}

/**
 * Success means the transport returned no error: any status counts, and the
 * body is the caller's to read or drain. Same-host redirects are followed
 * with the original headers.
 */
export async function goClientDo(
  target: HttpTarget,
  checkRedirect: CheckRedirect,
  options: ExchangeOptions = {},
): Promise<ClientResult> {
  let url = target.url;
  let host = target.host;
  let header = target.header;
  let sent = 0;
  for (;;) {
    sent++;
    const r = await exchange({ url, host, header }, options);
    if (!r.ok) return failed(url, r.error, { canceled: r.canceled, phase: r.phase });
    const res = r.response;
    const location = res.location;
    if (!REDIRECT_STATUSES.has(res.statusCode) || !location) return r;

    let resolved: URL;
    try {
      resolved = new URL(location, goUrlString(url));
    } catch {
      res.discard();
      return failed(url, `failed to parse Location header ${goQuote(location)}: parse ${goQuote(location)}: invalid URL`);
    }
    const next = goUrlFromWhatwg(resolved);
    const decision = checkRedirect(next, target.url, sent);
    if (decision === 'use-last-response') return r;
    res.discard();
    if (decision !== 'follow') return failed(next, decision.error, { urlText: location });

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

/**
 * R1.6: the lifecycle client. After the response head arrives the outcome
 * is decided, so an abort while the body is drained only cuts the drain short.
 */
export async function goHttpDo(target: HttpTarget, signal?: AbortSignal): Promise<DoResult> {
  const r = await goClientDo(target, redirectChecker(false), { signal });
  if (!r.ok) return { ok: false, error: r.error, inner: r.inner, canceled: r.canceled };
  await r.response.drain(signal);
  return { ok: true, statusCode: r.response.statusCode, statusMessage: r.response.statusMessage };
}
