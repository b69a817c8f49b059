import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
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
 */
export class HttpsApiServer {
  private readonly server: Server;
  private endpoints: ApiEndpoints | undefined;

  constructor(api: ApiEndpoints | Promise<ApiEndpoints>, opts: HttpsApiServerOptions) {
    const ready = Promise.resolve(api).then((e) => (this.endpoints = e));
    ready.catch(() => {}); // each waiting request answers the failure itself
    this.server = createServer({ cert: opts.cert, key: opts.key }, (req, res) => {
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
    this.server.on('upgrade', (req, socket, head: Buffer) => {
      if (this.endpoints) return this.endpoints.upgrade(req, socket, head);
      ready.then(
        (e) => {
          if (!socket.destroyed) e.upgrade(req, socket, head);
        },
        () => socket.destroy(),
      );
    });
    // A client that never completes TLS must not hold a socket forever.
    this.server.on('tlsClientError', (_err, socket) => socket.destroy());
  }

  /** Listens and resolves with the bound port (useful with port 0). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops accepting, ends watches, log follows and exec sessions, and closes every connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.endpoints?.close();
      this.server.closeIdleConnections();
      this.server.closeAllConnections();
    });
  }
}

function unavailableStatus(err: unknown): object {
  const message = `the API could not be loaded: ${err instanceof Error ? err.message : String(err)}`;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'ServiceUnavailable', code: 503 };
}
