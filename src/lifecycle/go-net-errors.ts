/**
 * Renders Node socket, TLS and HTTP-parser errors as the Go net/http errors
 * the kubelet would report for the same failure, so hook messages read like
 * a cluster's (`dial tcp 127.0.0.1:9: connect: connection refused`).
 * Exact for the common cases (refused, reset, EOF, DNS, scheme mismatch);
 * parser and TLS alert texts are close approximations.
 */
import { goQuote } from './format-go.js';
import { joinHostPort } from './go-url.js';

/** syscall.Errno texts on Linux. */
const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EADDRINUSE: 'address already in use',
  ECONNABORTED: 'software caused connection abort',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EPIPE: 'broken pipe',
  EINVAL: 'invalid argument',
};

/** Go's limit on response headers (Transport.MaxResponseHeaderBytes default). */
export const MAX_RESPONSE_HEADER_BYTES = 10 << 20;

export interface NodeNetError extends Error {
  code?: string;
  syscall?: string;
  address?: string;
  port?: number;
  hostname?: string;
  reason?: string;
  rawPacket?: Buffer;
  errors?: NodeNetError[];
}

export function asNetError(e: unknown): NodeNetError {
  return e instanceof Error ? (e as NodeNetError) : new Error(String(e));
}

function errnoText(e: NodeNetError): string {
  return ERRNO_TEXT[e.code ?? ''] ?? (e.code ? e.code.toLowerCase() : e.message);
}

/** A connect failure: `dial tcp <ip:port>: connect: <errno>` or a DNS lookup error. */
export function dialError(e: NodeNetError, host: string, port: number): string {
  // Happy-eyeballs reports every address tried; Go reports the first.
  const first = e.errors?.[0] ?? e;
  if (first.code === 'ENOTFOUND' || first.syscall === 'getaddrinfo') {
    const what = first.code === 'ENOTFOUND' ? 'no such host' : 'temporary failure in name resolution';
    return `dial tcp: lookup ${first.hostname ?? host}: ${what}`;
  }
  const addr = joinHostPort(first.address ?? host, first.port ?? port);
  return `dial tcp ${addr}: connect: ${errnoText(first)}`;
}

export interface ConnInfo {
  /** `ip:port` of our end, Go style. */
  local: string;
  /** `ip:port` of the server. */
  remote: string;
  /** Bytes received from the server on this connection so far. */
  bytesRead(): number;
}

/** An error on an established connection: `read tcp a->b: read: connection reset by peer`, EOF, … */
export function connError(e: NodeNetError, conn: ConnInfo): string {
  if (e.syscall === 'read' || e.syscall === 'write') {
    return `${e.syscall} tcp ${conn.local}->${conn.remote}: ${e.syscall}: ${errnoText(e)}`;
  }
  return conn.bytesRead() > 0 ? 'unexpected EOF' : 'EOF';
}

/** Error from Node's HTTP client while waiting for the response head. */
export function responseError(e: NodeNetError, conn: ConnInfo): string {
  const code = e.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW') {
    return `net/http: server response headers exceeded ${MAX_RESPONSE_HEADER_BYTES} bytes; aborted`;
  }
  if (code.startsWith('HPE_')) {
    if (code === 'HPE_INVALID_CONSTANT' || code === 'HPE_INVALID_VERSION') {
      const line = (e.rawPacket?.toString('latin1') ?? '').split(/\r?\n/)[0] ?? '';
      return `net/http: HTTP/1.x transport connection broken: malformed HTTP response ${goQuote(line)}`;
    }
    const why = e.message.replace(/^Parse Error: /, '');
    return `net/http: HTTP/1.x transport connection broken: ${why.charAt(0).toLowerCase()}${why.slice(1)}`;
  }
  if (e.message === 'socket hang up') {
    // Go returns the bare read error when nothing arrived, and calls the
    // connection broken when the server stopped mid-response.
    return conn.bytesRead() > 0 ? 'net/http: HTTP/1.x transport connection broken: unexpected EOF' : 'EOF';
  }
  return connError(e, conn);
}

/** Go's alert descriptions (crypto/tls alert.go) by OpenSSL's wording. */
const ALERTS: Array<[RegExp, string]> = [
  [/handshake failure/, 'handshake failure'],
  [/protocol version/, 'protocol version not supported'],
  [/internal error/, 'internal error'],
  [/unrecognized name/, 'unrecognized name'],
  [/bad certificate/, 'bad certificate'],
  [/decode error/, 'error decoding message'],
  [/illegal parameter/, 'illegal parameter'],
  [/certificate required/, 'certificate required'],
  [/no application protocol/, 'no application protocol'],
  [/unexpected message/, 'unexpected message'],
];

/**
 * A TLS handshake failure. `first5` are the first bytes the server sent, so
 * the check Go makes on the record header can be made exactly.
 */
export function tlsHandshakeError(e: NodeNetError, first5: Buffer, conn: ConnInfo): string {
  if (first5.length >= 5) {
    // net/http send(): a RecordHeaderError whose header reads "HTTP/".
    if (first5.toString('latin1', 0, 5) === 'HTTP/') return 'http: server gave HTTP response to HTTPS client';
    const type = first5[0]!;
    const version = (first5[1]! << 8) | first5[2]!;
    if ((type !== 21 && type !== 22) || version >= 0x1000) return 'tls: first record does not look like a TLS handshake';
  }
  if (e.syscall === 'read' || e.syscall === 'write') return connError(e, conn);
  if (e.code === 'ECONNRESET' && /disconnected before secure TLS/.test(e.message)) {
    return conn.bytesRead() > 0 ? 'unexpected EOF' : 'EOF';
  }
  const reason = e.reason ?? e.message;
  if (/alert/.test(reason)) {
    const known = ALERTS.find(([re]) => re.test(reason));
    return `remote error: tls: ${known ? known[1] : reason.replace(/^.*alert /, '')}`;
  }
  return `tls: ${reason}`;
}

/** Go's url.Error text: `Get "<url>": <err>`. */
export function urlError(url: string, inner: string): string {
  return `Get ${goQuote(url)}: ${inner}`;
}
