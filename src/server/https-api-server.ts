import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { hasValidBearer } from './auth/bearer-auth.js';
import { createApiHandler } from './api-handler.js';
import { ExecUpgrade, rejectUpgrade } from './exec/exec-upgrade.js';
import { unauthorized } from './http/api-error.js';
import { NodeAdapter } from './http/node-adapter.js';
import type { ServerContext } from './server-context.js';

export interface HttpsApiServerOptions {
  token: string;
  cert: string;
  key: string;
}

/** The API on HTTPS with bearer-token authentication, including exec's WebSocket upgrades. */
export class HttpsApiServer {
  private readonly server: Server;
  private readonly adapter: NodeAdapter;
  private readonly exec: ExecUpgrade;

  constructor(ctx: ServerContext, private readonly opts: HttpsApiServerOptions) {
    this.adapter = new NodeAdapter(createApiHandler(ctx, { token: opts.token }));
    this.exec = new ExecUpgrade(ctx);
    this.server = createServer({ cert: opts.cert, key: opts.key }, this.adapter.listener);
    this.server.on('upgrade', (req, socket, head: Buffer) => {
      if (!hasValidBearer(req.headers['authorization'], this.opts.token)) {
        rejectUpgrade(socket, unauthorized());
        return;
      }
      this.exec.handle(req, socket, head);
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
      this.adapter.abortAll();
      this.exec.close();
      this.server.closeIdleConnections();
      this.server.closeAllConnections();
    });
  }
}
