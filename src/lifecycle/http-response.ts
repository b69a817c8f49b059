/**
 * The response side of one exchange: the head as Go's http.Response shows
 * it, and the body read the two ways the kubelet reads it (the hook runner
 * drains and forgets it, the prober keeps it for its output).
 */
import type http from 'node:http';
import type { Connection } from './http-connect.js';
import { CANCELED } from './http-connect.js';

/** handlers.go maxRespBodyLength, and the prober's read limit (utilio.ReadAtMost). */
export const MAX_RESP_BODY_LENGTH = 10 * 1024;

/** Go's "unexpected EOF": the body ended before its declared end. */
const UNEXPECTED_EOF = 'unexpected EOF';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; error: string; canceled?: boolean };

export interface ExchangeResponse {
  statusCode: number;
  statusMessage: string;
  /** First Location header, if any. */
  location: string | undefined;
  /** Go's resp.ContentLength: -1 when unknown (chunked, close-delimited, decompressed). */
  contentLength: number;
  /**
   * Reads at most `limitBytes` of the body whatever its declared length,
   * then closes. Reaching the limit is not an error; a body that breaks off
   * before its end is `unexpected EOF`, an abort is `context canceled`.
   */
  readBody(limitBytes: number, signal?: AbortSignal): Promise<BodyResult>;
  /**
   * handlers.go discardHTTPRespBody: reads at most 10 KiB, and nothing when
   * the declared length is larger, then closes. Never fails.
   */
  drain(signal?: AbortSignal): Promise<void>;
  /** Closes without reading. */
  discard(): void;
}

const ignore = (): void => {};

function declaredLength(res: http.IncomingMessage, decompressed: boolean): number {
  const status = res.statusCode ?? 0;
  if ((status >= 100 && status < 200) || status === 204 || status === 304) return 0;
  if (/chunked/i.test(String(res.headers['transfer-encoding'] ?? ''))) return -1;
  // Go decompresses transparently and then reports an unknown length.
  if (decompressed && String(res.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') return -1;
  const declared = res.headers['content-length'];
  return declared !== undefined && /^[0-9]+$/.test(declared) ? Number(declared) : -1;
}

/** A response with nothing to read (a 101 handed back as is); the connection is already gone. */
export function bodilessResponse(statusCode: number, statusMessage: string, conn: Connection): ExchangeResponse {
  return {
    statusCode,
    statusMessage,
    location: undefined,
    contentLength: 0,
    readBody: async () => {
      conn.destroy();
      return { ok: true, body: Buffer.alloc(0) };
    },
    drain: async () => conn.destroy(),
    discard: () => conn.destroy(),
  };
}

/** `requestedGzip`: the transport asked for gzip, so Go would have decompressed. */
export function wrapResponse(res: http.IncomingMessage, conn: Connection, requestedGzip: boolean): ExchangeResponse {
  res.on('error', ignore);
  const length = declaredLength(res, requestedGzip);
  const discard = (): void => {
    res.destroy();
    conn.destroy();
  };
  const readBody = (limitBytes: number, signal?: AbortSignal): Promise<BodyResult> =>
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
        const kept = chunk.subarray(0, limitBytes - read);
        chunks.push(kept);
        read += kept.length;
        if (read >= limitBytes) finish(body());
      };
      const onAbort = (): void => finish({ ok: false, error: CANCELED.error, canceled: true });
      if (signal?.aborted) {
        onAbort();
        return;
      }
      // Gone before anyone read it: its 'close' has been and will not come again.
      if (res.destroyed) {
        finish(res.complete ? body() : { ok: false, error: UNEXPECTED_EOF });
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      res.on('data', onData);
      res.once('end', () => finish(body()));
      res.once('close', () => finish(res.complete ? body() : { ok: false, error: UNEXPECTED_EOF }));
      res.once('error', () => finish({ ok: false, error: UNEXPECTED_EOF }));
    });
  return {
    statusCode: res.statusCode ?? 0,
    statusMessage: res.statusMessage ?? '',
    location: res.headers.location,
    contentLength: length,
    discard,
    readBody,
    drain: async (signal) => {
      if (length > MAX_RESP_BODY_LENGTH) discard();
      else await readBody(MAX_RESP_BODY_LENGTH, signal);
    },
  };
}
