/** R1.6–R1.8 through runHook against real HTTP/HTTPS servers on 127.0.0.1. */
import type http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runHook } from './hook-runner.js';
import { TestServers, closedPort, hookContext, hookDeps, readRequestHead } from './hook-test-fixtures.case.js';

const servers = new TestServers();
const timers: Array<ReturnType<typeof setInterval>> = [];
afterEach(async () => {
  for (const t of timers.splice(0)) clearInterval(t);
  await servers.closeAll();
});

const ctx = hookContext({ podUid: 'uid-1' });

describe('R1.6 success rule', () => {
  it.each([200, 404, 500])('R1.6: status %i counts as success', async (status) => {
    const { port } = await servers.http((_req, res) => {
      res.statusCode = status;
      res.end('body');
    });
    const r = await runHook({ httpGet: { port, path: '/' } }, ctx, hookDeps());
    expect(r).toMatchObject({ ok: true, kind: 'httpGet' });
    expect(r.ok && r.detail).toMatch(new RegExp(`^HTTP ${status} `));
  });

  it('R1.6: HTTPS with a self-signed certificate succeeds (no verification)', async () => {
    const { port } = await servers.https((_req, res) => res.end('secure'));
    const deps = hookDeps();
    const r = await runHook({ httpGet: { port, path: '/', scheme: 'HTTPS' } }, ctx, deps);
    expect(r).toEqual({ ok: true, kind: 'httpGet', detail: 'HTTP 200 OK' });
    expect(deps.events).toEqual([]);
  });
});

describe('R1.8 failures', () => {
  it('R1.8: connection refused gives the Go error and the raw path in the message', async () => {
    const port = await closedPort();
    const r = await runHook({ httpGet: { port, path: 'pre-stop?x=1' } }, ctx, hookDeps());
    const error = `Get "http://127.0.0.1:${port}/pre-stop?x=1": dial tcp 127.0.0.1:${port}: connect: connection refused`;
    expect(r).toEqual({
      ok: false,
      kind: 'httpGet',
      error,
      message: `HTTP lifecycle hook (pre-stop?x=1) for Container "app" in Pod "web_default(uid-1)" failed - error: ${error}`,
    });
  });

  it('R1.8: a server that closes without answering gives EOF', async () => {
    const { port } = await servers.tcp((s) => void readRequestHead(s).then(() => s.end()));
    const r = await runHook({ httpGet: { port, path: '/x' } }, ctx, hookDeps());
    expect(r).toMatchObject({ ok: false, error: `Get "http://127.0.0.1:${port}/x": EOF` });
  });

  it('R1.8: a reset connection gives the Go read error with both addresses', async () => {
    const { port } = await servers.tcp((s) => void readRequestHead(s).then(() => s.resetAndDestroy()));
    const r = await runHook({ httpGet: { port, path: '/x' } }, ctx, hookDeps());
    expect(!r.ok && r.error).toMatch(
      new RegExp(`^Get "http://127\\.0\\.0\\.1:${port}/x": read tcp 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${port}: read: connection reset by peer$`),
    );
  });

  it('R1.8: a non-HTTP answer is a malformed response', async () => {
    const { port } = await servers.tcp((s) => void readRequestHead(s).then(() => s.end('SSH-2.0-OpenSSH_9\r\n')));
    const r = await runHook({ httpGet: { port, path: '/' } }, ctx, hookDeps());
    expect(r).toMatchObject({
      ok: false,
      error: `Get "http://127.0.0.1:${port}/": net/http: HTTP/1.x transport connection broken: malformed HTTP response "SSH-2.0-OpenSSH_9"`,
    });
  });
});

describe('R1.7 HTTPS→HTTP fallback', () => {
  it('R1.7: an HTTP server behind an HTTPS hook is retried over HTTP without Authorization, with a Pod event', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const { port } = await servers.http((req, res) => {
      seen.push(req.headers);
      res.end('plain');
    });
    const deps = hookDeps();
    const r = await runHook(
      {
        httpGet: {
          port,
          path: '/stop',
          scheme: 'HTTPS',
          httpHeaders: [
            { name: 'Authorization', value: 'Bearer secret' },
            { name: 'X-Keep', value: 'yes' },
          ],
        },
      },
      ctx,
      deps,
    );
    expect(r).toMatchObject({ ok: true, kind: 'httpGet' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBeUndefined();
    expect(seen[0]!['x-keep']).toBe('yes');
    expect(deps.events).toEqual([
      {
        type: 'Warning',
        reason: 'LifecycleHTTPFallback',
        message: `request to HTTPS lifecycle hook 127.0.0.1:${port} got HTTP response, retry with HTTP succeeded`,
      },
    ]);
  });

  it('R1.7: when the HTTP retry fails too, the original HTTPS error is returned and no event', async () => {
    let connections = 0;
    const { port } = await servers.tcp((s: net.Socket) => {
      connections++;
      if (connections === 1) s.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else s.destroy();
    });
    const deps = hookDeps();
    const r = await runHook({ httpGet: { port, path: '/stop', scheme: 'HTTPS' } }, ctx, deps);
    const error = `Get "https://127.0.0.1:${port}/stop": http: server gave HTTP response to HTTPS client`;
    expect(r).toEqual({
      ok: false,
      kind: 'httpGet',
      error,
      message: `HTTP lifecycle hook (/stop) for Container "app" in Pod "web_default(uid-1)" failed - error: ${error}`,
    });
    expect(connections).toBe(2);
    expect(deps.events).toEqual([]);
  });

  it('R1.7: a non-HTTP, non-TLS answer is not retried', async () => {
    let connections = 0;
    const { port } = await servers.tcp((s: net.Socket) => {
      connections++;
      s.end('SSH-2.0-OpenSSH_9\r\n');
    });
    const r = await runHook({ httpGet: { port, path: '/', scheme: 'HTTPS' } }, ctx, hookDeps());
    expect(r).toMatchObject({
      ok: false,
      error: `Get "https://127.0.0.1:${port}/": tls: first record does not look like a TLS handshake`,
    });
    expect(connections).toBe(1);
  });
});

describe('abort and hostile servers', () => {
  it('R3.5: an abort while the server hangs fails promptly with context canceled and closes the socket', async () => {
    let serverSocketClosed = false;
    const { port } = await servers.tcp((s) => {
      s.resume();
      s.on('close', () => (serverSocketClosed = true));
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const r = await runHook({ httpGet: { port, path: '/hang' } }, ctx, hookDeps(), controller.signal);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r).toMatchObject({ ok: false, error: `Get "http://127.0.0.1:${port}/hang": context canceled` });
    await expect.poll(() => serverSocketClosed).toBe(true);
  });

  it('R3.5: an abort during the TLS handshake also cancels', async () => {
    const { port } = await servers.tcp(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const r = await runHook({ httpGet: { port, path: '/', scheme: 'HTTPS' } }, ctx, hookDeps(), controller.signal);
    expect(r).toMatchObject({ ok: false, error: `Get "https://127.0.0.1:${port}/": context canceled` });
  });

  it('R3.5: an already-aborted signal never connects', async () => {
    let connections = 0;
    const { port } = await servers.tcp(() => connections++);
    const controller = new AbortController();
    controller.abort();
    const r = await runHook({ httpGet: { port, path: '/' } }, ctx, hookDeps(), controller.signal);
    expect(r).toMatchObject({ ok: false, error: `Get "http://127.0.0.1:${port}/": context canceled` });
    expect(connections).toBe(0);
  });

  /** A server that drips a huge body; returns how much it managed to write before the client left. */
  async function drippingServer(headers: Record<string, string | number>): Promise<{ port: number; written: () => number; closed: () => boolean }> {
    let written = 0;
    let closed = false;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const { port } = await servers.http((_req, res) => {
      res.writeHead(200, headers);
      const t = setInterval(() => {
        if (res.destroyed || written >= 100 * 1024 * 1024) return clearInterval(t);
        res.write(chunk);
        written += chunk.length;
      }, 5);
      timers.push(t);
      res.on('close', () => (closed = true));
    });
    return { port, written: () => written, closed: () => closed };
  }

  it('R1.6: a 100 MB body with Content-Length is not read; the hook returns at once', async () => {
    const srv = await drippingServer({ 'Content-Length': 100 * 1024 * 1024 });
    const started = performance.now();
    const r = await runHook({ httpGet: { port: srv.port, path: '/big' } }, ctx, hookDeps());
    expect(r).toMatchObject({ ok: true });
    expect(performance.now() - started).toBeLessThan(2000);
    await expect.poll(srv.closed).toBe(true);
    expect(srv.written()).toBeLessThan(16 * 1024 * 1024);
  });

  it('R1.6: a chunked endless body is read to 10 KiB only, then the connection is closed', async () => {
    const srv = await drippingServer({ 'Transfer-Encoding': 'chunked' });
    const started = performance.now();
    const r = await runHook({ httpGet: { port: srv.port, path: '/stream' } }, ctx, hookDeps());
    expect(r).toMatchObject({ ok: true });
    expect(performance.now() - started).toBeLessThan(2000);
    await expect.poll(srv.closed).toBe(true);
    expect(srv.written()).toBeLessThan(16 * 1024 * 1024);
  });
});
