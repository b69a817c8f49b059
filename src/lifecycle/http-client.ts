/**
 * The kubelet's lifecycle HTTP client (kubelet.go
 * insecureContainerLifecycleHTTPClient): Go's http.Client.Do with
 * CheckRedirect = probe/http RedirectChecker(false), no timeout, no proxy.
 */
import { goQuote } from './format-go.js';
import { urlError } from './go-net-errors.js';
import { goUrlFromWhatwg, goUrlString, splitGoHostPort, type GoUrl } from './go-url.js';
import { exchange } from './http-exchange.js';
import type { HttpTarget } from './http-request.js';

export type DoResult =
  | { ok: true; statusCode: number; statusMessage: string }
  /** `error` is the url.Error text (`Get "<url>": <inner>`), `inner` its wrapped error. */
  | { ok: false; error: string; inner: string; canceled: boolean };

/** Statuses Go's client treats as redirects (client.go redirectBehavior). */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

function fail(url: string, inner: string, canceled = false): DoResult {
  return { ok: false, error: urlError(url, inner), inner, canceled };
}

function hostnameOf(u: GoUrl): string {
  return splitGoHostPort(u.host).hostname.toLowerCase();
}

/** client.go refererForURL: none when going from https to http; a caller's own Referer wins. */
function referer(last: GoUrl, next: GoUrl, explicit: string): string {
  if (last.scheme === 'https' && next.scheme === 'http') return '';
  return explicit || goUrlString(last);
}

/**
 * R1.6. Success means the transport returned no error: any status counts.
 * A redirect to another hostname is not followed and its response is the
 * result; same-hostname redirects are followed with the original headers,
 * and the tenth one is refused with `stopped after 10 redirects`.
 * After the response head arrives the outcome is decided, so an abort while
 * the body is drained only cuts the drain short.
 */
export async function goHttpDo(target: HttpTarget, signal?: AbortSignal): Promise<DoResult> {
  const firstHostname = hostnameOf(target.url);
  let url = target.url;
  let host = target.host;
  let header = target.header;
  let sent = 0;
  for (;;) {
    sent++;
    const r = await exchange({ url, host, header }, signal);
    if (!r.ok) return fail(goUrlString(url), r.error, r.canceled);
    const res = r.response;
    const location = res.location;
    if (!REDIRECT_STATUSES.has(res.statusCode) || !location) {
      await res.drain(signal);
      return { ok: true, statusCode: res.statusCode, statusMessage: res.statusMessage };
    }

    let resolved: URL;
    try {
      resolved = new URL(location, goUrlString(url));
    } catch {
      res.discard();
      return fail(goUrlString(url), `failed to parse Location header ${goQuote(location)}: parse ${goQuote(location)}: invalid URL`);
    }
    const next = goUrlFromWhatwg(resolved);
    if (hostnameOf(next) !== firstHostname) {
      // http.ErrUseLastResponse: the redirect itself is the response.
      await res.drain(signal);
      return { ok: true, statusCode: res.statusCode, statusMessage: res.statusMessage };
    }
    res.discard();
    if (sent >= MAX_REDIRECTS) return fail(location, 'stopped after 10 redirects');

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
