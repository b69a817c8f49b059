/**
 * Opens the connection for one lifecycle HTTP request: TCP dial, then TLS
 * without certificate verification for https (R1.6). Every request gets a
 * fresh connection; see http-exchange.ts for why.
 */
import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { CONTEXT_CANCELED } from './hook-messages.js';
import { asNetError, dialError, tlsHandshakeError, type ConnInfo, type NodeNetError } from './go-net-errors.js';
import { joinHostPort } from './go-url.js';

export interface Connection {
  /** The socket HTTP is spoken over (a TLSSocket for https). */
  socket: net.Socket;
  info: ConnInfo;
  /** Closes everything; idempotent. */
  destroy(): void;
}

export type Failure = { ok: false; error: string; canceled?: boolean };
export type ConnectResult = { ok: true; conn: Connection } | Failure;

export const CANCELED: Failure = { ok: false, error: CONTEXT_CANCELED, canceled: true };

// Sockets stay subscribed so a late error can never go unhandled; the
// interesting errors are taken by the listeners of each phase.
const ignore = (): void => {};

export async function connect(
  scheme: 'http' | 'https',
  hostname: string,
  port: number,
  signal?: AbortSignal,
): Promise<ConnectResult> {
  const dialed = await dial(hostname, port, signal);
  if (!dialed.ok) return dialed;
  const raw = dialed.socket;
  const info: ConnInfo = {
    local: joinHostPort(raw.localAddress ?? '', raw.localPort ?? 0),
    remote: joinHostPort(raw.remoteAddress ?? hostname, raw.remotePort ?? port),
    bytesRead: () => raw.bytesRead,
  };
  if (scheme === 'http') return { ok: true, conn: { socket: raw, info, destroy: () => raw.destroy() } };
  return handshake(raw, hostname, info, signal);
}

function dial(
  host: string,
  port: number,
  signal?: AbortSignal,
): Promise<{ ok: true; socket: net.Socket } | Failure> {
  if (signal?.aborted) return Promise.resolve(CANCELED);
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    sock.on('error', ignore);
    const settle = (r: { ok: true; socket: net.Socket } | Failure): void => {
      signal?.removeEventListener('abort', onAbort);
      sock.off('connect', onConnect);
      sock.off('error', onError);
      resolve(r);
    };
    const onConnect = (): void => settle({ ok: true, socket: sock });
    const onError = (e: unknown): void => {
      sock.destroy();
      settle({ ok: false, error: dialError(asNetError(e), host, port) });
    };
    const onAbort = (): void => {
      sock.destroy();
      settle(CANCELED);
    };
    sock.once('connect', onConnect);
    sock.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * TLS over a pass-through stream that keeps the first bytes the server sent.
 * Node reports a plain-HTTP answer and other garbage alike ("wrong version
 * number"); Go decides the R1.7 fallback on the record header reading
 * "HTTP/", so the bytes themselves are needed.
 */
function handshake(raw: net.Socket, hostname: string, info: ConnInfo, signal?: AbortSignal): Promise<ConnectResult> {
  if (signal?.aborted) {
    raw.destroy();
    return Promise.resolve(CANCELED);
  }
  return new Promise((resolve) => {
    let first = Buffer.alloc(0);
    let rawError: NodeNetError | undefined;
    raw.on('error', (e) => (rawError ??= asNetError(e)));
    const wire = passThrough(raw, (chunk) => {
      if (first.length < 5) first = Buffer.concat([first, chunk]).subarray(0, 5);
    });
    const sock = tls.connect({
      socket: wire,
      rejectUnauthorized: false,
      // Go sends no SNI for IP literals; Node refuses them as servername anyway.
      servername: net.isIP(hostname) ? undefined : hostname,
    });
    sock.on('error', ignore);
    const destroy = (): void => {
      sock.destroy();
      wire.destroy();
      raw.destroy();
    };
    const settle = (r: ConnectResult): void => {
      signal?.removeEventListener('abort', onAbort);
      sock.off('secureConnect', onSecure);
      sock.off('error', onError);
      resolve(r);
    };
    const onSecure = (): void => settle({ ok: true, conn: { socket: sock, info, destroy } });
    const onError = (e: unknown): void => {
      destroy();
      settle({ ok: false, error: tlsHandshakeError(rawError ?? asNetError(e), first, info) });
    };
    const onAbort = (): void => {
      destroy();
      settle(CANCELED);
    };
    sock.once('secureConnect', onSecure);
    sock.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A Duplex over `raw` that shows each received chunk to `peek` first. */
function passThrough(raw: net.Socket, peek: (chunk: Buffer) => void): Duplex {
  const wire = new Duplex({
    read() {
      raw.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      raw.write(chunk, callback);
    },
    final(callback) {
      raw.end();
      callback();
    },
    destroy(err, callback) {
      raw.destroy();
      callback(err);
    },
  });
  wire.on('error', ignore);
  raw.on('data', (chunk: Buffer) => {
    peek(chunk);
    if (!wire.push(chunk)) raw.pause();
  });
  raw.on('end', () => wire.push(null));
  raw.on('error', (e) => wire.destroy(e));
  raw.on('close', () => wire.destroy());
  return wire;
}
