/**
 * One GET on one fresh connection, written the way Go's Transport writes it,
 * and the response head read back. The kubelet's lifecycle transport pools
 * connections; hooklet closes each one after use, so a server sees one
 * connection per hook request (the only wire difference, and a harmless one).
 * The prober's transport (pkg/probe/http NewWithTLSConfig) differs in two
 * switches, DisableCompression and DisableKeepAlives, which are the options.
 */
import http from 'node:http';
import { domainToASCII } from 'node:url';
import { goQuote } from './format-go.js';
import { validHeaderFieldName, validHeaderFieldValue, type GoHeader } from './go-header.js';
import { MAX_RESPONSE_HEADER_BYTES, asNetError, responseError } from './go-net-errors.js';
import { goRequestUri, splitGoHostPort, type GoUrl } from './go-url.js';
import { CANCELED, connect, type Connection, type Failure } from './http-connect.js';
import { bodilessResponse, wrapResponse, type ExchangeResponse } from './http-response.js';

export interface ExchangeRequest {
  url: GoUrl;
  /** req.Host; "" means the URL's host. */
  host: string;
  header: GoHeader;
}

export interface ExchangeOptions {
  signal?: AbortSignal;
  /** Ask for gzip as Go's Transport does by default (false: DisableCompression). */
  compression?: boolean;
  /** false: DisableKeepAlives, so the request says `Connection: close`. */
  keepAlive?: boolean;
}

/** `phase` says whether the failure came before the connection was open. */
export type ExchangeFailure = Failure & { phase: 'connect' | 'response' };
export type ExchangeResult = { ok: true; response: ExchangeResponse } | ExchangeFailure;

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

/** Transport: with keep-alives off, `Connection: close` goes out unless the request already asks to close. */
function connectionValues(header: GoHeader): string[] {
  const own = header.has('Connection') ? header.entries().find(([k]) => k === 'Connection')![1] : [];
  return own.some((v) => /(^|,)\s*close\s*(,|$)/i.test(v)) ? own : [...own, 'close'];
}

export async function exchange(req: ExchangeRequest, options: ExchangeOptions = {}): Promise<ExchangeResult> {
  const { signal } = options;
  if (signal?.aborted) return { ...CANCELED, phase: 'connect' };
  const refused = preflight(req);
  if (refused) return { ok: false, error: refused, phase: 'connect' };
  const scheme = req.url.scheme as 'http' | 'https';
  const { hostname, port } = splitGoHostPort(req.url.host);
  const portNumber = port === '' ? (scheme === 'https' ? 443 : 80) : Number(port);
  const connected = await connect(scheme, hostname, portNumber, signal);
  if (!connected.ok) return { ...connected, phase: 'connect' };
  return send(connected.conn, req, options);
}

function send(conn: Connection, req: ExchangeRequest, options: ExchangeOptions): Promise<ExchangeResult> {
  const { signal, compression = true, keepAlive = true } = options;
  return new Promise((resolve) => {
    // The Transport asks for gzip itself unless the caller chose an encoding or a range.
    const requestedGzip = compression && req.header.get('Accept-Encoding') === '' && req.header.get('Range') === '';
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
      for (const [key, values] of req.header.wireLines()) {
        if (keepAlive || key !== 'Connection') creq.setHeader(key, values.map(toBinary));
      }
      if (requestedGzip) {
        const prior = creq.getHeader('Accept-Encoding');
        creq.setHeader('Accept-Encoding', prior === undefined ? 'gzip' : [...[prior].flat().map(String), 'gzip']);
      }
      if (!keepAlive) creq.setHeader('Connection', connectionValues(req.header).map(toBinary));
      // Go writes no Connection header of its own.
      else if (!req.header.has('Connection')) creq.removeHeader('Connection');
    } catch (e) {
      conn.destroy();
      resolve({ ok: false, error: asNetError(e).message, phase: 'response' });
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
      settle({ ...CANCELED, phase: 'response' });
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    creq.once('response', (res) => settle({ ok: true, response: wrapResponse(res, conn, requestedGzip) }));
    // A 101 nobody asked for: Go hands it back as the response, and so do we.
    creq.once('upgrade', (res: http.IncomingMessage) => {
      conn.destroy();
      settle({ ok: true, response: bodilessResponse(res.statusCode ?? 101, res.statusMessage ?? '', conn) });
    });
    creq.once('error', (e) => {
      conn.destroy();
      settle({ ok: false, error: responseError(asNetError(e), conn.info), phase: 'response' });
    });
    creq.end();
  });
}
