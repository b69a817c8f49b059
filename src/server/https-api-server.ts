import { createServer, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import type { ApiEndpoints } from './api-endpoints.js';

export interface HttpsApiServerOptions {
  cert: string;
  key: string;
}

/**
 * HTTPS in front of the API. It can listen before the API's code has loaded
 * (the daemon hands out its kubeconfig while the rest loads, bench figure 5):
 * requests and upgrades that arrive meanwhile wait for it. It imports
 * nothing of the API itself for that reason.
 *
 * It also listens before its TLS context exists. Building one costs ~40 ms
 * on a 2-core VM however few certificates it holds: Node parses its ~140
 * bundled root certificates into every context's store, even a server's that
 * verifies no one. `listen()` binds a plain TCP socket, which is all the
 * kubeconfig needs (the port); `startTls()` builds the context and hands the
 * socket to the HTTPS server, and the daemon calls it in the same turn of
 * the event loop as it announces the kubeconfig, so no connection is
 * accepted in between. One that still is (a caller that yields first) starts
 * TLS itself and is served like any other.
 */
export class HttpsApiServer {
  private readonly tcp: NetServer;
  private https: Server | undefined;
  private endpoints: ApiEndpoints | undefined;
  private readonly ready: Promise<ApiEndpoints>;

  constructor(
    api: ApiEndpoints | Promise<ApiEndpoints>,
    private readonly opts: HttpsApiServerOptions,
  ) {
    this.ready = Promise.resolve(api).then((e) => (this.endpoints = e));
    this.ready.catch(() => {}); // each waiting request answers the failure itself
    this.tcp = createNetServer((socket) => {
      const https = this.startTls();
      // The HTTPS server tracks connections (timeouts, close) from its 'listening', a tick after the hand-over.
      setImmediate(() => https.emit('connection', socket));
    });
  }

  /** Listens (TCP only, see the class comment) and resolves with the bound port (useful with port 0). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(port, host, () => {
        this.tcp.off('error', reject);
        resolve((this.tcp.address() as AddressInfo).port);
      });
    });
  }

  /** Builds the TLS context and lets the HTTPS server take over the listening socket; once, after listen(). */
  startTls(): Server {
    if (this.https) return this.https;
    if (!this.tcp.listening) throw new Error('HttpsApiServer.startTls() before listen()');
    const { ready } = this;
    const https = createServer({ cert: this.opts.cert, key: this.opts.key }, (req, res) => {
      if (this.endpoints) return this.endpoints.request(req, res);
      ready.then(
        (e) => {
          if (!res.destroyed) e.request(req, res);
        },
        (err: unknown) => {
          if (res.destroyed) return;
          const body = JSON.stringify(unavailableStatus(err));
          res.writeHead(503, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        },
      );
    });
    // Node leaves an upgraded socket paused until someone reads it, so waiting here loses nothing.
    https.on('upgrade', (req, socket, head: Buffer) => {
      if (this.endpoints) return this.endpoints.upgrade(req, socket, head);
      ready.then(
        (e) => {
          if (!socket.destroyed) e.upgrade(req, socket, head);
        },
        () => socket.destroy(),
      );
    });
    // A client that never completes TLS must not hold a socket forever.
    https.on('tlsClientError', (_err, socket) => socket.destroy());
    // A server passed to listen() lends its bound handle (Node's documented `server.listen(handle)`).
    https.listen(this.tcp);
    this.https = https;
    return https;
  }

  /** Stops accepting, ends watches, log follows and exec sessions, and closes every connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      const https = this.https;
      this.endpoints?.close();
      if (!https) {
        if (this.tcp.listening) this.tcp.close(() => resolve());
        else resolve();
        return;
      }
      // The socket is the HTTPS server's now: closing it closes the TCP server's too.
      https.close(() => resolve());
      https.closeIdleConnections();
      https.closeAllConnections();
    });
  }
}

function unavailableStatus(err: unknown): object {
  const message = `the API could not be loaded: ${err instanceof Error ? err.message : String(err)}`;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'ServiceUnavailable', code: 503 };
}
