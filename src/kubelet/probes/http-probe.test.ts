/** httpGet probes through runProbe against real HTTP(S) servers on 127.0.0.1 (pkg/probe/http). */
import type http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TestServers, closedPort, readRequestHead } from '../../lifecycle/hook-test-fixtures.case.js';
import { hangingPort, probeDeps, probeTarget } from './probe-test-fixtures.case.js';
import { runProbe } from './run-probe.js';

const servers = new TestServers();
afterEach(() => servers.closeAll());

function respond(status: number, body = '', headers: http.OutgoingHttpHeaders = {}): http.RequestListener {
  return (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

/** A promise that settles flag, to show an attempt is still running. */
function track<T>(p: Promise<T>): { p: Promise<T>; settled: () => boolean } {
  let done = false;
  void p.then(() => (done = true));
  return { p, settled: () => done };
}

describe('httpGet probe: the status code decides', () => {
  it('200 is a success whose output is the body', async () => {
    const { port } = await servers.http(respond(200, 'ok'));
    const deps = probeDeps();
    const r = await runProbe({ httpGet: { port, path: '/healthz' } }, probeTarget(), deps);
    expect(r).toEqual({ outcome: 'success', output: 'ok' });
    expect(deps.clock.pendingCount).toBe(0);
  });

  it.each([404, 500, 503])('%i is a failure; the body stays out of the output', async (status) => {
    const { port } = await servers.http(respond(status, 'secret details'));
    const r = await runProbe({ httpGet: { port, path: '/healthz' } }, probeTarget(), probeDeps());
    expect(r).toEqual({ outcome: 'failure', output: `HTTP probe failed with statuscode: ${status}` });
  });

  it('a 302 to the same host is followed (success when the target answers 200)', async () => {
    const { port } = await servers.http((req, res) => {
      if (req.url === '/healthz') respond(302, '', { location: '/ready' })(req, res);
      else respond(200, 'ready')(req, res);
    });
    expect(await runProbe({ httpGet: { port, path: '/healthz' } }, probeTarget(), probeDeps())).toEqual({ outcome: 'success', output: 'ready' });
  });

  it('a 302 to another host is not followed: a warning carrying the redirect’s body', async () => {
    const other = await servers.http(respond(500));
    const { port } = await servers.http(respond(302, '<a href="/login">Found</a>.', { location: `http://localhost:${other.port}/login` }));
    const r = await runProbe({ httpGet: { port, path: '/' } }, probeTarget(), probeDeps());
    expect(r).toEqual({ outcome: 'warning', output: 'Probe terminated redirects, Response body: <a href="/login">Found</a>.' });
  });

  it('a 3xx without Location is a warning too; the body is cut at 10 KiB', async () => {
    const big = 'x'.repeat(20 * 1024);
    const { port } = await servers.http(respond(301, big));
    const r = await runProbe({ httpGet: { port, path: '/' } }, probeTarget(), probeDeps());
    expect(r).toEqual({ outcome: 'warning', output: `Probe terminated redirects, Response body: ${'x'.repeat(10 * 1024)}` });
  });

  it('the tenth same-host redirect fails with `stopped after 10 redirects`', async () => {
    const { port } = await servers.http(respond(302, '', { location: '/loop' }));
    const r = await runProbe({ httpGet: { port, path: '/' } }, probeTarget(), probeDeps());
    expect(r).toEqual({ outcome: 'failure', output: 'Get "/loop": stopped after 10 redirects' });
  });
});

describe('httpGet probe: the request', () => {
  async function headFor(get: (port: number) => NonNullable<Parameters<typeof runProbe>[0]['httpGet']>, kubeletVersion?: string): Promise<{ head: string; port: number }> {
    const heads: string[] = [];
    const { port } = await servers.tcp((socket: net.Socket) => {
      void readRequestHead(socket).then((head) => {
        heads.push(head);
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      });
    });
    const deps = { ...probeDeps(), kubeletVersion };
    expect(await runProbe({ httpGet: get(port) }, probeTarget(), deps)).toMatchObject({ outcome: 'success' });
    expect(heads).toHaveLength(1);
    return { head: heads[0]!, port };
  }

  it('goes to the pod IP with the kube-probe User-Agent, Accept */*, Connection: close and no gzip', async () => {
    const { head, port } = await headFor((port) => ({ port, path: '/healthz?full=1', scheme: 'HTTP' }));
    expect(head).toBe(
      'GET /healthz?full=1 HTTP/1.1\r\n' +
        `Host: 127.0.0.1:${port}\r\n` +
        'User-Agent: kube-probe/1.32\r\n' +
        'Accept: */*\r\n' +
        'Connection: close\r\n\r\n',
    );
  });

  it('takes the version from kubeletVersion and the user’s headers (Host as the virtual host)', async () => {
    const { head } = await headFor(
      (port) => ({ port, path: '/', httpHeaders: [{ name: 'host', value: 'app.example' }, { name: 'x-probe', value: '1' }] }),
      'v1.33.2',
    );
    expect(head).toBe('GET / HTTP/1.1\r\nHost: app.example\r\nUser-Agent: kube-probe/1.33\r\nAccept: */*\r\nX-Probe: 1\r\nConnection: close\r\n\r\n');
  });

  it('resolves a named port; an unknown name is a prober error', async () => {
    const { port } = await servers.http(respond(200));
    const target = probeTarget({ ports: [{ name: 'http', containerPort: port }] });
    expect(await runProbe({ httpGet: { port: 'http', path: '/' } }, target, probeDeps())).toEqual({ outcome: 'success', output: '' });
    expect(await runProbe({ httpGet: { port: 'metrics', path: '/' } }, target, probeDeps())).toEqual({
      outcome: 'error',
      output: 'strconv.Atoi: parsing "metrics": invalid syntax',
    });
  });

  it('HTTPS skips certificate verification', async () => {
    const { port } = await servers.https(respond(200, 'secure'));
    const r = await runProbe({ httpGet: { port, path: '/', scheme: 'HTTPS' } }, probeTarget(), probeDeps());
    expect(r).toEqual({ outcome: 'success', output: 'secure' });
  });

  it('HTTPS answered in plain HTTP fails: probes have no HTTP fallback (unlike hooks, R1.7)', async () => {
    const { port } = await servers.http(respond(200));
    const r = await runProbe({ httpGet: { port, path: '/', scheme: 'HTTPS' } }, probeTarget(), probeDeps());
    expect(r).toEqual({ outcome: 'failure', output: `Get "https://127.0.0.1:${port}/": http: server gave HTTP response to HTTPS client` });
  });
});

describe('httpGet probe: transport failures and timeoutSeconds', () => {
  it('a closed port fails with the Go dial error', async () => {
    const port = await closedPort();
    const r = await runProbe({ httpGet: { port, path: '/' } }, probeTarget(), probeDeps());
    expect(r).toEqual({ outcome: 'failure', output: `Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused` });
  });

  it('a server slower than timeoutSeconds fails at the timeout, not before', async () => {
    let arrived!: () => void;
    const requested = new Promise<void>((r) => (arrived = r));
    const { port } = await servers.http(() => arrived());
    const deps = probeDeps();
    const attempt = track(runProbe({ httpGet: { port, path: '/slow' }, timeoutSeconds: 2 }, probeTarget(), deps));
    await requested;
    await deps.clock.advance(1999);
    expect(attempt.settled()).toBe(false);
    await deps.clock.advance(1);
    expect(await attempt.p).toEqual({
      outcome: 'failure',
      output: `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
  });

  it('a connect that hangs past the timeout fails with the dial timeout text', async () => {
    const hanging = await hangingPort();
    try {
      const deps = probeDeps();
      const pending = runProbe({ httpGet: { port: hanging.port, path: '/' } }, probeTarget(), deps);
      await deps.clock.advance(1000);
      expect(await pending).toEqual({
        outcome: 'failure',
        output: `Get "http://127.0.0.1:${hanging.port}/": dial tcp 127.0.0.1:${hanging.port}: i/o timeout (Client.Timeout exceeded while awaiting headers)`,
      });
    } finally {
      await hanging.close();
    }
  });

  it('a body still arriving at the timeout is a prober error (the result is thrown away)', async () => {
    let headSent!: () => void;
    const sent = new Promise<void>((r) => (headSent = r));
    const { port } = await servers.http((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => headSent());
    });
    const deps = probeDeps();
    const pending = runProbe({ httpGet: { port, path: '/' } }, probeTarget(), deps);
    await sent;
    // Let the head and the first bytes reach the client before time moves.
    await new Promise((r) => setTimeout(r, 30));
    await deps.clock.advance(1000);
    expect(await pending).toEqual({
      outcome: 'error',
      output: 'context deadline exceeded (Client.Timeout or context cancellation while reading body)',
    });
  });

  it('a body cut short by the server is a prober error: unexpected EOF', async () => {
    const { port } = await servers.tcp((socket) => {
      void readRequestHead(socket).then(() => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this'));
    });
    const r = await runProbe({ httpGet: { port, path: '/' } }, probeTarget(), probeDeps());
    expect(r).toEqual({ outcome: 'error', output: 'unexpected EOF' });
  });

  it('an abort (the worker stopping) ends the attempt at once as an error', async () => {
    let arrived!: () => void;
    const requested = new Promise<void>((r) => (arrived = r));
    const { port } = await servers.http(() => arrived());
    const controller = new AbortController();
    const pending = runProbe({ httpGet: { port, path: '/' } }, probeTarget(), probeDeps(), controller.signal);
    await requested;
    controller.abort();
    expect(await pending).toEqual({ outcome: 'error', output: 'context canceled' });
  });
});
