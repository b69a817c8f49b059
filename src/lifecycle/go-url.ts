/**
 * The part of Go's net/url that decides what URL a lifecycle httpGet targets
 * and how it is printed in errors (`Get "<url>": ...`). Only what
 * `probe/http/request.go` formatURL + http.NewRequest exercise is modelled.
 * Strings are handled as bytes (UTF-8 in a latin1 "binary" string) because Go
 * escapes bytes, not code points.
 */

export interface GoUrl {
  scheme: string;
  /** `host[:port]` exactly as Go's URL.Host (IPv6 bracketed). */
  host: string;
  /** A rootless path after a scheme (`a:b`): Go keeps it opaque. */
  opaque: string;
  /** The escaped path as URL.EscapedPath() returns it. */
  path: string;
  forceQuery: boolean;
  rawQuery: string;
  /** The escaped fragment as URL.EscapedFragment() returns it. */
  fragment: string;
}

type Mode = 'path' | 'fragment';

const HEX = '0123456789ABCDEF';

function toBinary(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** net/url shouldEscape for the path and fragment modes. */
function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) return mode === 'path' ? ch === '?' : false;
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

function escape(bin: string, mode: Mode): string {
  let out = '';
  for (let i = 0; i < bin.length; i++) {
    const c = bin.charCodeAt(i);
    out += shouldEscape(c, mode) ? '%' + HEX[c >> 4]! + HEX[c & 15]! : bin[i]!;
  }
  return out;
}

/** Returns undefined on an invalid escape, as Go's unescape errors. */
function unescape(bin: string): string | undefined {
  let out = '';
  for (let i = 0; i < bin.length; i++) {
    if (bin[i] !== '%') {
      out += bin[i]!;
      continue;
    }
    if (i + 2 >= bin.length) return undefined;
    const a = bin.charCodeAt(i + 1);
    const b = bin.charCodeAt(i + 2);
    if (!isHex(a) || !isHex(b)) return undefined;
    out += String.fromCharCode(parseInt(bin.slice(i + 1, i + 3), 16));
    i += 2;
  }
  return out;
}

/** net/url validEncoded: can the raw form be sent as is? */
function validEncoded(bin: string, mode: Mode): boolean {
  for (let i = 0; i < bin.length; i++) {
    const ch = bin[i]!;
    if ("!$&'()*+,;=:@[]%".includes(ch)) continue;
    if (shouldEscape(bin.charCodeAt(i), mode)) return false;
  }
  return true;
}

/**
 * setPath/setFragment followed by EscapedPath/EscapedFragment: the user's
 * encoding is kept when it is valid, otherwise the decoded form is escaped.
 */
function escapedForm(raw: string, mode: Mode): string | undefined {
  const bin = toBinary(raw);
  const decoded = unescape(bin);
  if (decoded === undefined) return undefined;
  if (validEncoded(bin, mode)) return bin;
  return escape(decoded, mode);
}

/** net/url getScheme: returns undefined for "missing protocol scheme". */
function splitScheme(raw: string): { scheme: string; rest: string } | undefined {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === 0x3a) return i === 0 ? undefined : { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

type Reference = Omit<GoUrl, 'scheme' | 'host'>;

/** url.Parse of the httpGet path; undefined where Go returns an error. */
function parseReference(raw: string): Reference | undefined {
  const hashAt = raw.indexOf('#');
  const main = hashAt >= 0 ? raw.slice(0, hashAt) : raw;
  const frag = hashAt >= 0 ? raw.slice(hashAt + 1) : '';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(main)) return undefined;
  const fragment = escapedForm(frag, 'fragment');
  if (fragment === undefined) return undefined;
  if (main === '*') return { opaque: '', path: '*', forceQuery: false, rawQuery: '', fragment };

  const split = splitScheme(main);
  if (!split) return undefined;
  let rest = split.rest;
  let forceQuery = false;
  let rawQuery = '';
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (split.scheme !== '') return { opaque: rest, path: '', forceQuery, rawQuery, fragment };
    if ((rest.split('/')[0] ?? '').includes(':')) return undefined;
  }
  if ((split.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    // An authority in the path is parsed and then replaced by host:port.
    const slash = rest.indexOf('/', 2);
    rest = slash >= 0 ? rest.slice(slash) : '';
  }
  const path = escapedForm(rest, 'path');
  if (path === undefined) return undefined;
  return { opaque: '', path, forceQuery, rawQuery, fragment };
}

/**
 * request.go formatURL(scheme, host, port, path) and the re-parse done by
 * http.NewRequest(url.String()). A path Go cannot parse is used whole as the
 * URL path (query and fragment included), so it gets escaped.
 */
export function formatGoUrl(scheme: string, hostPort: string, rawPath: string): GoUrl {
  const ref = parseReference(rawPath) ?? {
    opaque: '',
    path: rawPath === '*' ? '*' : escape(toBinary(rawPath), 'path'),
    forceQuery: false,
    rawQuery: '',
    fragment: '',
  };
  // String() inserts the "/" that a rootless path lacks once a host is set.
  const path = ref.path !== '' && !ref.path.startsWith('/') ? '/' + ref.path : ref.path;
  // Opaque URLs re-parse without a host; the transport then refuses them.
  return { ...ref, scheme, host: ref.opaque ? '' : hostPort, path };
}

/** URL.String(). */
export function goUrlString(u: GoUrl): string {
  let s = u.scheme ? u.scheme + ':' : '';
  if (u.opaque) {
    s += u.opaque;
  } else {
    if (u.scheme || u.host) {
      if (u.host || u.path) s += '//';
      s += u.host;
    }
    s += u.path;
  }
  if (u.forceQuery || u.rawQuery) s += '?' + u.rawQuery;
  if (u.fragment) s += '#' + u.fragment;
  return s;
}

/** URL.RequestURI(): what goes on the request line. */
export function goRequestUri(u: GoUrl): string {
  let uri = u.opaque ? (u.opaque.startsWith('//') ? `${u.scheme}:${u.opaque}` : u.opaque) : u.path || '/';
  if (u.forceQuery || u.rawQuery) uri += '?' + u.rawQuery;
  return uri;
}

/** net/url splitHostPort: the port is split off only when it is all digits. */
export function splitGoHostPort(hostPort: string): { hostname: string; port: string } {
  let hostname = hostPort;
  let port = '';
  const colon = hostPort.lastIndexOf(':');
  if (colon >= 0 && /^:[0-9]*$/.test(hostPort.slice(colon))) {
    hostname = hostPort.slice(0, colon);
    port = hostPort.slice(colon + 1);
  }
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  return { hostname, port };
}

/** net.JoinHostPort. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * A redirect target, resolved with the WHATWG parser. Go's ResolveReference
 * is close but not identical: WHATWG lower-cases the host and drops a default
 * port, which only shows in the Host header and error texts of such hops.
 */
export function goUrlFromWhatwg(url: URL): GoUrl {
  return {
    scheme: url.protocol.replace(/:$/, ''),
    host: url.host,
    opaque: '',
    path: url.pathname,
    forceQuery: false,
    rawQuery: url.search.replace(/^\?/, ''),
    fragment: url.hash.replace(/^#/, ''),
  };
}
