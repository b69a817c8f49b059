/**
 * Test-only fixtures for the lifecycle tests (excluded from the build like
 * every *.case.ts): real servers on 127.0.0.1 that are always torn down,
 * a self-signed certificate, a closed port, a hook context and deps.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { generate } from 'selfsigned';
import { FakeClock } from '../clock/fake-clock.js';
import type { ExecResult } from '../runtime/container-runtime.js';
import type { HookContext, HookDeps } from './hook-types.js';

export interface RecordedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export function hookContext(overrides: Partial<HookContext> = {}): HookContext {
  return {
    podName: 'web',
    podNamespace: 'default',
    podUid: '1f0e6a52-9c1d-4c8a-b0a4-3d2b7c1e9f00',
    podIP: '127.0.0.1',
    containerName: 'app',
    containerId: 'c-1',
    containerPorts: [],
    ...overrides,
  };
}

export function hookDeps(
  overrides: Partial<HookDeps> = {},
): HookDeps & { events: RecordedEvent[]; clock: FakeClock } {
  const events: RecordedEvent[] = [];
  const clock = new FakeClock();
  return {
    runtime: {
      execSync: (): Promise<ExecResult> => Promise.reject(new Error('execSync not stubbed')),
    },
    clock,
    recordPodEvent: (type, reason, message) => {
      events.push({ type, reason, message });
    },
    ...overrides,
    events,
  } as HookDeps & { events: RecordedEvent[]; clock: FakeClock };
}

let certPromise: Promise<{ key: string; cert: string }> | undefined;

/** One self-signed certificate per test module; generating keys is slow. */
export function selfSignedCert(): Promise<{ key: string; cert: string }> {
  certPromise ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
  }).then((p) => ({ key: p.private, cert: p.cert }));
  return certPromise;
}

type Listening = { port: number };

/** Starts servers on 127.0.0.1 and closes them, with every open connection, on `closeAll`. */
export class TestServers {
  private readonly closers: Array<() => Promise<void>> = [];

  async http(handler: http.RequestListener): Promise<Listening & { server: http.Server }> {
    const server = http.createServer(handler);
    return { ...(await this.listen(server)), server };
  }

  async https(handler: http.RequestListener): Promise<Listening & { server: https.Server }> {
    const { key, cert } = await selfSignedCert();
    const server = https.createServer({ key, cert }, handler);
    return { ...(await this.listen(server)), server };
  }

  /** A raw TCP server, for byte-exact requests and misbehaving peers. */
  async tcp(onConnection: (socket: net.Socket) => void): Promise<Listening & { server: net.Server }> {
    const server = net.createServer(onConnection);
    return { ...(await this.listen(server)), server };
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.closers.splice(0).map((c) => c()));
  }

  private async listen(server: net.Server): Promise<Listening> {
    const sockets = new Set<net.Socket>();
    server.on('connection', (s: net.Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    });
    server.on('secureConnection', (s: net.Socket) => s.on('error', () => {}));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.closers.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return { port: (server.address() as net.AddressInfo).port };
  }
}

/** A port on 127.0.0.1 that was just bound and released, so nothing listens there. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Reads one request head from a raw socket (up to the blank line). */
export function readRequestHead(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end >= 0) {
        socket.off('data', onData);
        resolve(buf.slice(0, end + 4));
      }
    };
    socket.on('data', onData);
  });
}
