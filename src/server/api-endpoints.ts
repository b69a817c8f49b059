import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createApiHandler } from './api-handler.js';
import { hasValidBearer } from './auth/bearer-auth.js';
import { ExecUpgrade, rejectUpgrade } from './exec/exec-upgrade.js';
import { unauthorized } from './http/api-error.js';
import { NodeAdapter } from './http/node-adapter.js';
import type { ServerContext } from './server-context.js';

/** The API as the hooks of Node's HTTP server: requests, exec upgrades, and an end to what is in flight. */
export interface ApiEndpoints {
  request(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends watches, followed logs and exec sessions. */
  close(): void;
}

/** The REST surface and exec, behind the bearer token when one is given. */
export function createApiEndpoints(ctx: ServerContext, options: { token?: string } = {}): ApiEndpoints {
  const adapter = new NodeAdapter(createApiHandler(ctx, options.token !== undefined ? { token: options.token } : {}));
  const exec = new ExecUpgrade(ctx);
  return {
    request: adapter.listener,
    upgrade(req, socket, head) {
      if (options.token !== undefined && !hasValidBearer(req.headers['authorization'], options.token)) {
        rejectUpgrade(socket, unauthorized());
        return;
      }
      exec.handle(req, socket, head);
    },
    close() {
      adapter.abortAll();
      exec.close();
    },
  };
}
