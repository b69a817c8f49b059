/** R1.6 redirect policy against real servers on 127.0.0.1. */
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runHook } from './hook-runner.js';
import { TestServers, hookContext, hookDeps } from './hook-test-fixtures.case.js';

const servers = new TestServers();
afterEach(() => servers.closeAll());

interface Seen {
  url: string;
  headers: http.IncomingHttpHeaders;
}

async function server(route: (url: string, res: http.ServerResponse) => void): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const { port } = await servers.http((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    route(req.url ?? '', res);
  });
  return { port, seen };
}

function redirect(res: http.ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { Location: location });
  res.end('moved');
}

describe('lifecycle httpGet redirects', () => {
  it('R1.6: a redirect to the same host is followed with the original headers and a Referer', async () => {
    const { port, seen } = await server((url, res) => (url === '/a' ? redirect(res, '/b') : res.end('ok')));
    const r = await runHook(
      { httpGet: { port, path: '/a', httpHeaders: [{ name: 'X-Token', value: 't1' }] } },
      hookContext(),
      hookDeps(),
    );
    expect(r).toEqual({ ok: true, kind: 'httpGet', detail: 'HTTP 200 OK' });
    expect(seen.map((s) => s.url)).toEqual(['/a', '/b']);
    expect(seen[1]!.headers).toMatchObject({
      'x-token': 't1',
      'user-agent': 'kube-lifecycle/1.32',
      referer: `http://127.0.0.1:${port}/a`,
    });
  });

  it('R1.6: same hostname on another port is still the same host, so it is followed', async () => {
    const b = await server((_url, res) => res.end('b'));
    const a = await server((_url, res) => redirect(res, `http://127.0.0.1:${b.port}/landed`, 307));
    const r = await runHook({ httpGet: { port: a.port, path: '/' } }, hookContext(), hookDeps());
    expect(r.ok).toBe(true);
    expect(b.seen.map((s) => s.url)).toEqual(['/landed']);
  });

  it('R1.6: a redirect to another hostname is not followed and counts as success', async () => {
    const other = await server((_url, res) => res.end('other'));
    const a = await server((_url, res) => redirect(res, `http://localhost:${other.port}/elsewhere`, 301));
    const r = await runHook({ httpGet: { port: a.port, path: '/' } }, hookContext(), hookDeps());
    expect(r).toEqual({ ok: true, kind: 'httpGet', detail: 'HTTP 301 Moved Permanently' });
    expect(other.seen).toEqual([]);
  });

  it('R1.6: nine redirects then 200 succeed', async () => {
    const { port, seen } = await server((url, res) => {
      const n = Number(url.split('/')[2]);
      if (n < 9) redirect(res, `/r/${n + 1}`);
      else res.end('done');
    });
    const r = await runHook({ httpGet: { port, path: '/r/0' } }, hookContext(), hookDeps());
    expect(r.ok).toBe(true);
    expect(seen).toHaveLength(10);
  });

  it('R1.6: the tenth redirect is refused with stopped after 10 redirects (URL = the raw Location)', async () => {
    const { port, seen } = await server((url, res) => redirect(res, `/r/${Number(url.split('/')[2]) + 1}`));
    const r = await runHook({ httpGet: { port, path: '/r/0' } }, hookContext({ podUid: 'u' }), hookDeps());
    expect(r).toEqual({
      ok: false,
      kind: 'httpGet',
      error: 'Get "/r/10": stopped after 10 redirects',
      message:
        'HTTP lifecycle hook (/r/0) for Container "app" in Pod "web_default(u)" failed - error: Get "/r/10": stopped after 10 redirects',
    });
    expect(seen).toHaveLength(10);
  });

  it('R1.6: a custom Host survives a relative redirect but not an absolute one', async () => {
    const { port, seen } = await server((url, res) => {
      if (url === '/rel') redirect(res, '/rel-done');
      else if (url === '/abs') redirect(res, `http://127.0.0.1:${port}/abs-done`);
      else res.end('ok');
    });
    const hostHeader = [{ name: 'Host', value: 'vhost.example' }];
    await runHook({ httpGet: { port, path: '/rel', httpHeaders: hostHeader } }, hookContext(), hookDeps());
    await runHook({ httpGet: { port, path: '/abs', httpHeaders: hostHeader } }, hookContext(), hookDeps());
    expect(seen.map((s) => [s.url, s.headers.host])).toEqual([
      ['/rel', 'vhost.example'],
      ['/rel-done', 'vhost.example'],
      ['/abs', 'vhost.example'],
      ['/abs-done', `127.0.0.1:${port}`],
    ]);
  });

  it('R1.6: a 300 or a redirect without Location is a final response', async () => {
    const { port, seen } = await server((url, res) => {
      if (url === '/choices') redirect(res, '/never', 300);
      else {
        res.writeHead(302);
        res.end();
      }
    });
    expect(await runHook({ httpGet: { port, path: '/choices' } }, hookContext(), hookDeps())).toMatchObject({ ok: true });
    expect(await runHook({ httpGet: { port, path: '/no-location' } }, hookContext(), hookDeps())).toMatchObject({ ok: true });
    expect(seen.map((s) => s.url)).toEqual(['/choices', '/no-location']);
  });
});
