/**
 * What goes on the wire: byte-exact request heads captured by a raw TCP
 * server on 127.0.0.1, compared with what Go's Transport writes.
 */
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HTTPGetAction } from '../api/types.js';
import { runHook } from './hook-runner.js';
import { TestServers, hookContext, hookDeps, readRequestHead } from './hook-test-fixtures.case.js';

const servers = new TestServers();
afterEach(() => servers.closeAll());

/** Serves one canned 200 per connection and returns the request heads seen. */
async function captureServer(): Promise<{ port: number; heads: string[] }> {
  const heads: string[] = [];
  const { port } = await servers.tcp((socket: net.Socket) => {
    void readRequestHead(socket).then((head) => {
      heads.push(head);
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
  });
  return { port, heads };
}

async function headFor(get: (port: number) => HTTPGetAction, ctxOver = {}): Promise<string> {
  const { port, heads } = await captureServer();
  const r = await runHook({ httpGet: get(port) }, hookContext(ctxOver), hookDeps());
  expect(r).toMatchObject({ ok: true, kind: 'httpGet' });
  expect(heads).toHaveLength(1);
  return heads[0]!;
}

describe('lifecycle httpGet request on the wire', () => {
  it('R1.5: default request: host is the pod IP, UA and Accept defaults, Go header order, no Connection', async () => {
    let port = 0;
    const head = await headFor((p) => ((port = p), { port: p, path: '/pre-stop?drain=1', scheme: 'HTTP' }));
    expect(head).toBe(
      'GET /pre-stop?drain=1 HTTP/1.1\r\n' +
        `Host: 127.0.0.1:${port}\r\n` +
        'User-Agent: kube-lifecycle/1.32\r\n' +
        'Accept: */*\r\n' +
        'Accept-Encoding: gzip\r\n\r\n',
    );
  });

  it('R1.5: headers are canonicalised, repeats kept, sorted as Go writes them', async () => {
    const head = await headFor((port) => ({
      port,
      path: '/',
      httpHeaders: [
        { name: 'x-foo', value: 'a' },
        { name: 'authorization', value: 'Bearer t' },
        { name: 'X-FOO', value: 'b' },
      ],
    }));
    expect(head).toContain('Accept: */*\r\nAuthorization: Bearer t\r\nX-Foo: a\r\nX-Foo: b\r\nAccept-Encoding: gzip\r\n');
  });

  it('R1.5: a user User-Agent replaces the default; Accept "" removes Accept', async () => {
    const head = await headFor((port) => ({
      port,
      httpHeaders: [
        { name: 'User-Agent', value: 'probe/9' },
        { name: 'Accept', value: '' },
      ],
    }));
    expect(head).toContain('User-Agent: probe/9\r\n');
    expect(head).not.toMatch(/^Accept:/im);
    expect(head).not.toContain('kube-lifecycle');
  });

  it('R1.5: a Host header becomes the request Host (virtual host)', async () => {
    const head = await headFor((port) => ({ port, path: '/', httpHeaders: [{ name: 'host', value: 'app.example' }] }));
    expect(head).toMatch(/^GET \/ HTTP\/1\.1\r\nHost: app\.example\r\n/);
    expect(head.match(/^Host:/gim)).toHaveLength(1);
  });

  it('R1.5: a path without a leading slash gets one', async () => {
    const head = await headFor((port) => ({ port, path: 'shutdown' }));
    expect(head).toMatch(/^GET \/shutdown HTTP\/1\.1\r\n/);
  });

  it('R1.5: a named port resolves through the container ports', async () => {
    const { port, heads } = await captureServer();
    const ctx = hookContext({ containerPorts: [{ name: 'admin', containerPort: port }] });
    const r = await runHook({ httpGet: { port: 'admin', path: '/named' } }, ctx, hookDeps());
    expect(r.ok).toBe(true);
    expect(heads[0]).toMatch(/^GET \/named /);
  });

  it('R1.5: a numeric string port is parsed when no port has that name', async () => {
    const { port, heads } = await captureServer();
    const r = await runHook({ httpGet: { port: String(port), path: '/numeric' } }, hookContext(), hookDeps());
    expect(r.ok).toBe(true);
    expect(heads[0]).toMatch(/^GET \/numeric /);
  });

  it('R1.5: httpGet.host overrides the pod IP', async () => {
    const { port, heads } = await captureServer();
    const r = await runHook({ httpGet: { port, host: '127.0.0.1', path: '/' } }, hookContext({ podIP: '' }), hookDeps());
    expect(r.ok).toBe(true);
    expect(heads[0]).toContain(`Host: 127.0.0.1:${port}\r\n`);
  });

  it('R1.5: an unknown port name fails before any connection', async () => {
    const r = await runHook({ httpGet: { port: 'metrics', path: '/x' } }, hookContext({ podUid: 'u' }), hookDeps());
    expect(r).toEqual({
      ok: false,
      kind: 'httpGet',
      error: 'strconv.Atoi: parsing "metrics": invalid syntax',
      message:
        'HTTP lifecycle hook (/x) for Container "app" in Pod "web_default(u)" failed - error: strconv.Atoi: parsing "metrics": invalid syntax',
    });
  });

  it('R1.5: an out-of-range port fails with invalid port number', async () => {
    const r = await runHook({ httpGet: { port: 70000 } }, hookContext(), hookDeps());
    expect(r).toMatchObject({ ok: false, error: 'invalid port number: 70000' });
  });

  it('R1.6: a header value Go would refuse fails before dialing', async () => {
    const r = await runHook(
      { httpGet: { port: 9, path: '/', httpHeaders: [{ name: 'X-Bad', value: 'a\nb' }] } },
      hookContext(),
      hookDeps(),
    );
    expect(r).toMatchObject({ ok: false, error: 'Get "http://127.0.0.1:9/": net/http: invalid header field value for "X-Bad"' });
  });
});
