import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import type { WebSocket, WebSocketServer } from 'ws';
import { ApiError, badRequest, pathNotFound } from '../http/api-error.js';
import { toApiError } from '../http/to-api-error.js';
import { parseResourcePath } from '../resource-path.js';
import type { ServerContext } from '../server-context.js';
import { chooseProtocol, runExecSession, type ChannelSocket } from './exec-session.js';
import { resolveExec } from './exec-target.js';

const reasonPhrase: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

/** Answers an upgrade request with a plain HTTP Status error and closes the socket. */
export function rejectUpgrade(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.toStatus());
  socket.end(
    `HTTP/1.1 ${err.code} ${reasonPhrase[err.code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

function wsChannelSocket(ws: WebSocket): ChannelSocket {
  return {
    get isOpen() {
      return ws.readyState === ws.OPEN;
    },
    send: (data) => ws.send(data, { binary: true }),
    close: (code) => ws.close(code),
    onMessage: (listener) => ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      listener(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data));
    }),
    onClose: (listener) => ws.on('close', listener),
  };
}

/**
 * Exec over WebSocket (`v5.channel.k8s.io`, contract §15). Node hands both
 * kubectl's WebSocket GET and its SPDY fallback POST to the upgrade path; the
 * exec checks run first so both get the same error Status, and SPDY itself
 * is refused.
 */
export class ExecUpgrade {
  private wssCache: WebSocketServer | undefined;

  /** `ws` loads on the first exec, not at daemon start (cold start, bench figure 5). */
  private get wss(): WebSocketServer {
    const { WebSocketServer: Server } = createRequire(import.meta.url)('ws') as typeof import('ws');
    this.wssCache ??= new Server({
      noServer: true,
      handleProtocols: (protocols) => chooseProtocol(protocols) ?? false,
    });
    return this.wssCache;
  }

  constructor(private readonly ctx: ServerContext) {}

  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    try {
      const url = new URL(req.url ?? '/', 'https://hooklet.invalid');
      const path = parseResourcePath(decodeURIComponent(url.pathname));
      if (!path || path.resource !== 'pods' || !path.namespace || !path.name) throw pathNotFound();
      if (path.subresource === 'attach' || path.subresource === 'portforward') {
        throw badRequest(`hooklet does not support ${path.subresource}`);
      }
      if (path.subresource !== 'exec') throw pathNotFound();
      const exec = resolveExec(this.ctx, path.namespace, path.name, url.searchParams);
      const upgrade = (req.headers['upgrade'] ?? '').toLowerCase();
      if (upgrade !== 'websocket' || req.method !== 'GET') {
        throw badRequest('hooklet serves exec over WebSocket (v5.channel.k8s.io) only; SPDY is not supported');
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        void runExecSession(wsChannelSocket(ws), exec);
      });
    } catch (err) {
      rejectUpgrade(socket, toApiError(err));
    }
  }

  close(): void {
    // Through the cache: closing must not load `ws` when no exec ever ran.
    const wss = this.wssCache;
    if (!wss) return;
    for (const client of wss.clients) client.terminate();
    wss.close();
  }
}
