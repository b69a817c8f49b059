import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiRequest } from './api-request.js';
import { isStreaming, jsonResponse, type ApiResponse, type BufferedResponse, type StreamSink } from './api-response.js';
import { ApiError } from './api-error.js';
import { toApiError } from './to-api-error.js';

export type ApiHandler = (req: ApiRequest) => Promise<ApiResponse>;

/** The API server's own limit on request bodies (3 MiB). */
const maxBodyBytes = 3 * 1024 * 1024;

/**
 * Runs an ApiHandler behind Node's http(s) server. Tracks open requests so a
 * shutdown can end long-lived streams (watches, followed logs) at once.
 */
export class NodeAdapter {
  private readonly open = new Set<AbortController>();

  constructor(private readonly handler: ApiHandler) {}

  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    void this.serve(req, res);
  };

  /** Aborts every in-flight request; their streams end and their responses close. */
  abortAll(): void {
    for (const c of this.open) c.abort(new Error('server shutting down'));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    this.open.add(controller);
    res.on('close', () => {
      controller.abort(new Error('client closed the connection'));
      this.open.delete(controller);
    });
    try {
      const apiReq = await toApiRequest(req, controller.signal);
      const response = await this.handler(apiReq);
      await writeResponse(res, response, controller.signal);
    } catch (err) {
      if (!res.headersSent) writeBuffered(res, statusResponse(toApiError(err)));
      else res.end();
    }
  }
}

export function statusResponse(err: ApiError): BufferedResponse {
  return jsonResponse(err.code, err.toStatus());
}

async function toApiRequest(req: IncomingMessage, signal: AbortSignal): Promise<ApiRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > maxBodyBytes) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(b);
  }
  const url = new URL(req.url ?? '/', 'https://hooklet.invalid');
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    throw new ApiError(400, 'BadRequest', `invalid path ${JSON.stringify(url.pathname)}`);
  }
  return { method: req.method ?? 'GET', path, query: url.searchParams, headers, body: Buffer.concat(chunks), signal };
}

function writeBuffered(res: ServerResponse, r: BufferedResponse): void {
  res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
  res.end(r.body);
}

async function writeResponse(res: ServerResponse, r: ApiResponse, signal: AbortSignal): Promise<void> {
  if (!isStreaming(r)) {
    writeBuffered(res, r);
    return;
  }
  const sink: StreamSink = {
    signal,
    write(chunk) {
      if (res.writableEnded || res.destroyed) return;
      if (!res.headersSent) {
        res.writeHead(r.status, r.headers);
        // Long-lived responses: push each event out now rather than batching.
        res.socket?.setNoDelay(true);
        res.flushHeaders();
      }
      if (chunk.length > 0) res.write(chunk);
    },
  };
  try {
    await r.stream(sink);
  } catch (err) {
    if (!res.headersSent) {
      writeBuffered(res, statusResponse(toApiError(err)));
      return;
    }
  }
  if (!res.headersSent) res.writeHead(r.status, r.headers);
  res.end();
}
