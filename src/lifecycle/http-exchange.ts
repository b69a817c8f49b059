/**
 * One GET on one fresh connection, written the way Go's Transport writes it,
 * and the response head read back. The kubelet's transport pools
 * connections; hooklet closes each one after use, so a server sees one
 * connection per hook request (the only wire difference, and a harmless one).
 */
import http from 'node:http';
import { domainToASCII } from 'node:url';
import { goQuote } from './format-go.js';
import { validHeaderFieldName, validHeaderFieldValue, type GoHeader } from './go-header.js';
import { MAX_RESPONSE_HEADER_BYTES, asNetError, responseError } from './go-net-errors.js';
import { goRequestUri, splitGoHostPort, type GoUrl } from './go-url.js';
import { CANCELED, connect, type Connection, type Failure } from './http-connect.js';

/** handlers.go maxRespBodyLength. */
export const MAX_RESP_BODY_LENGTH = 10 * 1024;

export interface ExchangeRequest {
  url: GoUrl;
  /** req.Host; "" means the URL's host. */
  host: string;
  header: GoHeader;
}

export interface ExchangeResponse {
  statusCode: number;
  statusMessage: string;
  /** First Location header, if any. */
  location: string | undefined;
  /** Go's resp.ContentLength: -1 when unknown (chunked, close-delimited, decompressed). */
  contentLength: number;
  /**
   * handlers.go discardHTTPRespBody: reads at most 10 KiB, and nothing when
   * the declared length is larger, then closes. Never fails.
   */
  drain(signal?: AbortSignal): Promise<void>;
  /** Closes without reading. */
  discard(): void;
}

export type ExchangeResult = { ok: true; response: ExchangeResponse } | Failure;

const ignore = (): void => {};

function toBinary(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** Transport.roundTrip's checks, in Go's order, before any dialing. */
function preflight(req: ExchangeRequest): string | undefined {
  const { scheme } = req.url;
  if (scheme !== 'http' && scheme !== 'https') return `unsupported protocol scheme ${goQuote(scheme)}`;
  for (const [key, values] of req.header.entries().sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!validHeaderFieldName(key)) return `net/http: invalid header field name ${goQuote(key)}`;
    if (!values.every(validHeaderFieldValue)) return `net/http: invalid header field value for ${goQuote(key)}`;
  }
  if (req.url.host === '') return 'http: no Host in request URL';
  return undefined;
}

/** httpguts.ValidHostHeader's byte set. */
const VALID_HOST = /^[0-9A-Za-z!$%&()*+,\-.:;=[\]'_~]*$/;

/** Request.write: the Host line (punycoded, blanked if invalid, zone removed). */
function hostHeader(req: ExchangeRequest): string {
  let host = req.host || req.url.host;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(host)) {
    const { hostname, port } = splitGoHostPort(host);
    const ascii = domainToASCII(hostname);
    if (ascii) host = port ? `${ascii}:${port}` : ascii;
  }
  if (!VALID_HOST.test(host)) return '';
  return host.replace(/^(\[[^%\]]*)%[^\]]*\]/, '$1]');
}

export async function exchange(req: ExchangeRequest, signal?: AbortSignal): Promise<ExchangeResult> {
  if (signal?.aborted) return CANCELED;
  const refused = preflight(req);
  if (refused) return { ok: false, error: refused };
  const scheme = req.url.scheme as 'http' | 'https';
  const { hostname, port } = splitGoHostPort(req.url.host);
  const portNumber = port === '' ? (scheme === 'https' ? 443 : 80) : Number(port);
  const connected = await connect(scheme, hostname, portNumber, signal);
  if (!connected.ok) return connected;
  return send(connected.conn, req, signal);
}

function send(conn: Connection, req: ExchangeRequest, signal?: AbortSignal): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    // The Transport asks for gzip itself unless the caller chose an encoding or a range.
    const requestedGzip = req.header.get('Accept-Encoding') === '' && req.header.get('Range') === '';
    let creq: http.ClientRequest;
    try {
      creq = http.request({
        method: 'GET',
        // Go puts a raw query on the request line as is; Node refuses a space there.
        path: toBinary(goRequestUri(req.url)).replace(/ /g, '%20'),
        setHost: false,
        createConnection: () => conn.socket,
        maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
      });
      creq.on('error', ignore);
      creq.setHeader('Host', toBinary(hostHeader(req)));
      for (const [key, values] of req.header.wireLines()) creq.setHeader(key, values.map(toBinary));
      if (requestedGzip) {
        const prior = creq.getHeader('Accept-Encoding');
        creq.setHeader('Accept-Encoding', prior === undefined ? 'gzip' : [...[prior].flat().map(String), 'gzip']);
      }
      // Go writes no Connection header of its own.
      if (!req.header.has('Connection')) creq.removeHeader('Connection');
    } catch (e) {
      conn.destroy();
      resolve({ ok: false, error: asNetError(e).message });
      return;
    }

    let settled = false;
    const settle = (r: ExchangeResult): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAbort = (): void => {
      creq.destroy();
      conn.destroy();
      settle(CANCELED);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    creq.once('response', (res) => settle({ ok: true, response: wrap(res, conn, requestedGzip) }));
    // A 101 nobody asked for: Go hands it back as the response, and so do we.
    creq.once('upgrade', (res: http.IncomingMessage) => {
      conn.destroy();
      settle({ ok: true, response: finished(res.statusCode ?? 101, res.statusMessage ?? '', conn) });
    });
    creq.once('error', (e) => {
      conn.destroy();
      settle({ ok: false, error: responseError(asNetError(e), conn.info) });
    });
    creq.end();
  });
}

function contentLength(res: http.IncomingMessage, requestedGzip: boolean): number {
  const status = res.statusCode ?? 0;
  if ((status >= 100 && status < 200) || status === 204 || status === 304) return 0;
  if (/chunked/i.test(String(res.headers['transfer-encoding'] ?? ''))) return -1;
  // Go decompresses transparently and then reports an unknown length.
  if (requestedGzip && String(res.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') return -1;
  const declared = res.headers['content-length'];
  return declared !== undefined && /^[0-9]+$/.test(declared) ? Number(declared) : -1;
}

function finished(statusCode: number, statusMessage: string, conn: Connection): ExchangeResponse {
  return {
    statusCode,
    statusMessage,
    location: undefined,
    contentLength: 0,
    drain: async () => conn.destroy(),
    discard: () => conn.destroy(),
  };
}

function wrap(res: http.IncomingMessage, conn: Connection, requestedGzip: boolean): ExchangeResponse {
  res.on('error', ignore);
  const length = contentLength(res, requestedGzip);
  const discard = (): void => {
    res.destroy();
    conn.destroy();
  };
  return {
    statusCode: res.statusCode ?? 0,
    statusMessage: res.statusMessage ?? '',
    location: res.headers.location,
    contentLength: length,
    discard,
    drain: (signal) => {
      if (length > MAX_RESP_BODY_LENGTH || signal?.aborted || res.destroyed) {
        discard();
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        let read = 0;
        let over = false;
        const done = (): void => {
          if (over) return;
          over = true;
          signal?.removeEventListener('abort', done);
          res.off('data', onData);
          discard();
          resolve();
        };
        const onData = (chunk: Buffer): void => {
          read += chunk.length;
          if (read >= MAX_RESP_BODY_LENGTH) done();
        };
        res.on('data', onData);
        res.once('end', done);
        res.once('close', done);
        res.once('error', done);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
  };
}
