/**
 * One probe GET on one fresh connection. The wire rules are the hook
 * runner's (lifecycle/http-exchange.ts: Go's header order, Host handling,
 * the same connect and error texts); what differs is the prober's transport
 * (pkg/probe/http New: DisableKeepAlives, DisableCompression) and that the
 * body is kept, because a probe reports it:
 * - `Connection: close` is sent, as Go does with keep-alives disabled;
 * - no `Accept-Encoding: gzip` is added;
 * - the body is read up to 10 KiB whatever its declared length
 *   (utilio.ReadAtMost), and a broken body is an error.
 */
import http from 'node:http';
import { domainToASCII } from 'node:url';
import { goQuote } from '../../lifecycle/format-go.js';
import { validHeaderFieldName, validHeaderFieldValue, type GoHeader } from '../../lifecycle/go-header.js';
import { MAX_RESPONSE_HEADER_BYTES, asNetError, responseError } from '../../lifecycle/go-net-errors.js';
import { goRequestUri, splitGoHostPort, type GoUrl } from '../../lifecycle/go-url.js';
import { CANCELED, connect, type Connection } from '../../lifecycle/http-connect.js';
import { MAX_RESP_BODY_LENGTH } from '../../lifecycle/http-exchange.js';

export interface ProbeRequest {
  url: GoUrl;
  /** req.Host; "" means the URL's host. */
  host: string;
  header: GoHeader;
}

export type BodyResult = { ok: true; body: Buffer } | { ok: false; error: string; canceled?: boolean };

export interface ProbeResponse {
  statusCode: number;
  /** First Location header, if any. */
  location: string | undefined;
  /** Reads at most 10 KiB of the body, then closes the connection. */
  readBody(signal?: AbortSignal): Promise<BodyResult>;
  /** Closes without reading. */
  discard(): void;
}

/** `phase` says whether the failure came before the connection was open. */
export type ProbeExchangeResult =
  | { ok: true; response: ProbeResponse }
  | { ok: false; error: string; canceled?: boolean; phase: 'connect' | 'response' };

const ignore = (): void => {};

/** Go's "unexpected EOF": the body ended before its declared end. */
const UNEXPECTED_EOF = 'unexpected EOF';

function toBinary(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** Transport.roundTrip's checks, in Go's order, before any dialing (as lifecycle/http-exchange.ts). */
function preflight(req: ProbeRequest): string | undefined {
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
function hostHeader(req: ProbeRequest): string {
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

export async function probeExchange(req: ProbeRequest, signal?: AbortSignal): Promise<ProbeExchangeResult> {
  if (signal?.aborted) return { ...CANCELED, phase: 'connect' };
  const refused = preflight(req);
  if (refused) return { ok: false, error: refused, phase: 'connect' };
  const scheme = req.url.scheme as 'http' | 'https';
  const { hostname, port } = splitGoHostPort(req.url.host);
  const portNumber = port === '' ? (scheme === 'https' ? 443 : 80) : Number(port);
  const connected = await connect(scheme, hostname, portNumber, signal);
  if (!connected.ok) return { ...connected, phase: 'connect' };
  return send(connected.conn, req, signal);
}

function send(conn: Connection, req: ProbeRequest, signal?: AbortSignal): Promise<ProbeExchangeResult> {
  return new Promise((resolve) => {
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
        if (key !== 'Connection') creq.setHeader(key, values.map(toBinary));
      }
      creq.setHeader('Connection', connectionValues(req.header).map(toBinary));
    } catch (e) {
      conn.destroy();
      resolve({ ok: false, error: asNetError(e).message, phase: 'response' });
      return;
    }

    let settled = false;
    const settle = (r: ProbeExchangeResult): void => {
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

    creq.once('response', (res) => settle({ ok: true, response: wrap(res, conn) }));
    // A 101 nobody asked for: Go hands it back as the response, with no body to read.
    creq.once('upgrade', (res: http.IncomingMessage) => {
      conn.destroy();
      settle({ ok: true, response: bodiless(res.statusCode ?? 101) });
    });
    creq.once('error', (e) => {
      conn.destroy();
      settle({ ok: false, error: responseError(asNetError(e), conn.info), phase: 'response' });
    });
    creq.end();
  });
}

function bodiless(statusCode: number): ProbeResponse {
  return {
    statusCode,
    location: undefined,
    readBody: () => Promise.resolve({ ok: true, body: Buffer.alloc(0) }),
    discard: ignore,
  };
}

function wrap(res: http.IncomingMessage, conn: Connection): ProbeResponse {
  res.on('error', ignore);
  const discard = (): void => {
    res.destroy();
    conn.destroy();
  };
  return {
    statusCode: res.statusCode ?? 0,
    location: res.headers.location,
    discard,
    readBody: (signal) =>
      new Promise<BodyResult>((resolve) => {
        const chunks: Buffer[] = [];
        let read = 0;
        let over = false;
        const finish = (r: BodyResult): void => {
          if (over) return;
          over = true;
          signal?.removeEventListener('abort', onAbort);
          res.off('data', onData);
          discard();
          resolve(r);
        };
        const body = (): BodyResult => ({ ok: true, body: Buffer.concat(chunks) });
        const onData = (chunk: Buffer): void => {
          const kept = chunk.subarray(0, MAX_RESP_BODY_LENGTH - read);
          chunks.push(kept);
          read += kept.length;
          // Reaching the limit is not an error (ErrLimitReached is only logged).
          if (read >= MAX_RESP_BODY_LENGTH) finish(body());
        };
        const onAbort = (): void => finish({ ok: false, error: CANCELED.error, canceled: true });
        if (signal?.aborted) {
          onAbort();
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        res.on('data', onData);
        res.once('end', () => finish(body()));
        res.once('close', () => finish(res.complete ? body() : { ok: false, error: UNEXPECTED_EOF }));
        res.once('error', () => finish({ ok: false, error: UNEXPECTED_EOF }));
      }),
  };
}
