/** grpc probes through runProbe against a real HTTP/2 gRPC health server on 127.0.0.1 (pkg/probe/grpc). */
import http from 'node:http';
import http2 from 'node:http2';
import type net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closedPort } from '../../lifecycle/hook-test-fixtures.case.js';
import { probeDeps, probeTarget } from './probe-test-fixtures.case.js';
import { runProbe } from './run-probe.js';

type Answer =
  | { status: number }
  | { grpcStatus: number; message?: string }
  | { hang: true }
  | { httpStatus: number; contentType: string };

interface Seen {
  service: string;
  headers: http2.IncomingHttpHeaders;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** Decodes HealthCheckRequest.service from one gRPC frame. */
function serviceOf(frame: Buffer): string {
  const message = frame.subarray(5, 5 + frame.readUInt32BE(1));
  if (message.length === 0) return '';
  expect(message[0]).toBe(0x0a);
  return message.subarray(2, 2 + message[1]!).toString('utf8');
}

function statusFrame(status: number): Buffer {
  const message = status === 0 ? Buffer.alloc(0) : Buffer.from([0x08, status]);
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

async function healthServer(answer: (service: string) => Answer): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
    s.on('error', () => {});
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const service = serviceOf(Buffer.concat(chunks));
      seen.push({ service, headers });
      const a = answer(service);
      if ('hang' in a) return;
      if ('httpStatus' in a) {
        stream.respond({ ':status': a.httpStatus, 'content-type': a.contentType }, { endStream: true });
      } else if ('grpcStatus' in a) {
        // Trailers-only: the status rides in the headers.
        stream.respond(
          { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(a.grpcStatus), 'grpc-message': encodeURIComponent(a.message ?? '') },
          { endStream: true },
        );
      } else {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(statusFrame(a.status));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(async () => {
    for (const s of sessions) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return { port: (server.address() as net.AddressInfo).port, seen };
}

describe('grpc probe (grpc.health.v1.Health/Check)', () => {
  it('SERVING is a success ("service healthy"); the service name and User-Agent are sent', async () => {
    const { port, seen } = await healthServer(() => ({ status: 1 }));
    const deps = probeDeps();
    const r = await runProbe({ grpc: { port, service: 'liveness' } }, probeTarget(), deps);
    expect(r).toEqual({ outcome: 'success', output: 'service healthy' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.service).toBe('liveness');
    expect(seen[0]!.headers).toMatchObject({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': 'kube-probe/1.32',
    });
    expect(deps.clock.pendingCount).toBe(0);
  });

  it('an absent service asks about the whole server (empty request message)', async () => {
    const { port, seen } = await healthServer(() => ({ status: 1 }));
    expect(await runProbe({ grpc: { port } }, probeTarget(), probeDeps())).toMatchObject({ outcome: 'success' });
    expect(seen[0]!.service).toBe('');
  });

  it.each([
    [2, 'NOT_SERVING'],
    [0, 'UNKNOWN'],
    [3, 'SERVICE_UNKNOWN'],
  ])('status %i is a failure naming it', async (status, name) => {
    const { port } = await healthServer(() => ({ status }));
    const r = await runProbe({ grpc: { port } }, probeTarget(), probeDeps());
    expect(r).toEqual({ outcome: 'failure', output: `service unhealthy (responded with "${name}")` });
  });

  it('Unimplemented: the server does not implement the health protocol', async () => {
    const { port } = await healthServer(() => ({ grpcStatus: 12, message: 'unknown service grpc.health.v1.Health' }));
    const r = await runProbe({ grpc: { port } }, probeTarget(), probeDeps());
    expect(r).toEqual({
      outcome: 'failure',
      output: 'error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health',
    });
  });

  it('another gRPC status is a failure with the rpc error text', async () => {
    const { port } = await healthServer(() => ({ grpcStatus: 5, message: 'unknown service' }));
    const r = await runProbe({ grpc: { port, service: 'db' } }, probeTarget(), probeDeps());
    expect(r).toEqual({ outcome: 'failure', output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service' });
  });

  it('a non-gRPC HTTP/2 answer is mapped as grpc-go maps it (404 → Unimplemented)', async () => {
    const { port } = await healthServer(() => ({ httpStatus: 404, contentType: 'text/plain' }));
    const r = await runProbe({ grpc: { port } }, probeTarget(), probeDeps());
    expect(r).toEqual({
      outcome: 'failure',
      output:
        'error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ' +
        `unexpected HTTP status code received from server: 404 (${http.STATUS_CODES[404]}); transport: received unexpected content-type "text/plain"`,
    });
  });

  it('an RPC still unanswered at timeoutSeconds fails with the rpc timeout text', async () => {
    let arrived!: () => void;
    const requested = new Promise<void>((r) => (arrived = r));
    const { port, seen } = await healthServer(() => (arrived(), { hang: true }));
    const deps = probeDeps();
    const pending = runProbe({ grpc: { port }, timeoutSeconds: 2 }, probeTarget(), deps);
    await requested;
    expect(seen[0]!.headers['grpc-timeout']).toMatch(/^\d+m$/);
    await deps.clock.advance(2000);
    expect(await pending).toEqual({ outcome: 'failure', output: 'timeout: health rpc did not complete within 2s' });
  });

  it('a closed port keeps the blocking dial going until the timeout', async () => {
    const port = await closedPort();
    const deps = probeDeps();
    const pending = runProbe({ grpc: { port } }, probeTarget(), deps);
    let settled = false;
    void pending.then(() => (settled = true));
    await deps.clock.advance(999);
    expect(settled).toBe(false);
    await deps.clock.advance(1);
    expect(await pending).toEqual({
      outcome: 'failure',
      output: `timeout: failed to connect service "127.0.0.1:${port}" within 1s: context deadline exceeded`,
    });
  });

  it('an HTTP/1 server never becomes a gRPC connection: connect timeout', async () => {
    const server = http.createServer((_q, s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    let connections = 0;
    server.on('connection', (s) => {
      connections++;
      closers.push(async () => void s.destroy());
    });
    const { port } = server.address() as net.AddressInfo;
    const deps = probeDeps();
    const pending = runProbe({ grpc: { port }, timeoutSeconds: 2 }, probeTarget(), deps);
    await vi.waitFor(() => expect(connections).toBe(1));
    // grpc-go backs off 1 s before redialling: one more try fits in a 2 s timeout.
    await deps.clock.advance(999);
    await new Promise((r) => setTimeout(r, 30));
    expect(connections).toBe(1);
    await deps.clock.advance(1);
    await vi.waitFor(() => expect(connections).toBe(2));
    await deps.clock.advance(1000);
    expect(await pending).toEqual({
      outcome: 'failure',
      output: `timeout: failed to connect service "127.0.0.1:${port}" within 2s: context deadline exceeded`,
    });
    expect(connections).toBe(2);
  });
});
