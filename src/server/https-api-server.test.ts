import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { Pod } from '../api/types.js';
import type { ContainerRuntime, ExecStreams } from '../runtime/container-runtime.js';
import { ensureToken } from './auth/ensure-token.js';
import { createApiEndpoints, type ApiEndpoints } from './api-endpoints.js';
import { HttpsApiServer } from './https-api-server.js';
import { makeHarness, podManifest } from './server-harness.case.js';
import { ensureCertificates } from './tls/ensure-certificates.js';

const echoRuntime = {
  name: 'process',
  async exec(_id: string, argv: string[], streams: ExecStreams): Promise<number> {
    streams.stdout?.(Buffer.from(argv.join(' ') + '\n'));
    return argv[0] === 'fail' ? 7 : 0;
  },
} as unknown as ContainerRuntime;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('HttpsApiServer on 127.0.0.1 (TLS, token, chunked watch, exec upgrade)', () => {
  let dir: string;
  let server: HttpsApiServer;
  let port: number;
  let ca: string;
  let token: string;
  const h = makeHarness({ runtime: echoRuntime });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hooklet-https-'));
    token = ensureToken(dir);
    const tls = await ensureCertificates(dir, [], h.clock.now());
    ca = tls.caCert;
    server = new HttpsApiServer(createApiEndpoints(h.ctx, { token }), { cert: tls.cert, key: tls.key });
    port = await server.listen(0, '127.0.0.1');
    const pod = (await h.call('POST', '/api/v1/namespaces/default/pods', { body: podManifest('web') })).json as Pod;
    h.store.updatePodStatus('default', 'web', pod.metadata.uid!, {
      phase: 'Running',
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'x', imageID: '', containerID: 'process://c1', state: { running: {} } }],
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function get(path: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }, onData?: (chunk: string, abort: () => void) => void): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, ca, headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
          onData?.(c.toString(), () => req.destroy());
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', (err) => (onData ? undefined : reject(err)));
      req.end();
    });
  }

  it('keeps the token and keys private and the CA verifies the serving certificate', async () => {
    expect(statSync(join(dir, 'token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    const r = await get('/version');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).minor).toBe('32');
  });

  it('refuses a missing or wrong token with a 401 Status, on requests and on upgrades', async () => {
    const r = await get('/api/v1/namespaces/default/pods', {});
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
    const ws = new WebSocket(`wss://127.0.0.1:${port}/api/v1/namespaces/default/pods/web/exec?command=true&stdout=true`, ['v5.channel.k8s.io'], { ca });
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
  });

  it('streams a watch as chunked JSON lines until the client leaves', async () => {
    const lines: string[] = [];
    const r = await get('/api/v1/namespaces/default/pods?watch=true&resourceVersion=0', { authorization: `Bearer ${token}` }, (chunk, abort) => {
      lines.push(...chunk.split('\n').filter(Boolean));
      if (lines.length >= 1) abort();
    });
    expect(r.status).toBe(200);
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'web' } } });
  });

  it('runs exec over WebSocket with v5.channel.k8s.io: stdout, Status on channel 3, close 1000', async () => {
    const ws = new WebSocket(
      `wss://127.0.0.1:${port}/api/v1/namespaces/default/pods/web/exec?command=fail&command=now&container=app&stderr=true&stdout=true`,
      ['v5.channel.k8s.io'],
      { ca, headers: { authorization: `Bearer ${token}` } },
    );
    const frames: Buffer[] = [];
    ws.on('message', (d: Buffer) => frames.push(d));
    const closeCode = await new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    expect(ws.protocol).toBe('v5.channel.k8s.io');
    expect(closeCode).toBe(1000);
    expect(frames[0]![0]).toBe(1);
    expect(frames[0]!.subarray(1).toString()).toBe('fail now\n');
    const last = frames.at(-1)!;
    expect(last[0]).toBe(3);
    expect(JSON.parse(last.subarray(1).toString())).toMatchObject({ reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '7' }] } });
  });

  it('answers exec errors before upgrading with the same Status to WebSocket and SPDY attempts', async () => {
    const url = `/api/v1/namespaces/default/pods/web/exec?command=true&container=zzz&stdout=true`;
    const ws = new WebSocket(`wss://127.0.0.1:${port}${url}`, ['v5.channel.k8s.io'], { ca, headers: { authorization: `Bearer ${token}` } });
    const body = await new Promise<string>((resolve) =>
      ws.on('unexpected-response', (_req, res) => {
        let b = '';
        res.on('data', (c: Buffer) => (b += c.toString()));
        res.on('end', () => resolve(b));
      }),
    );
    expect(JSON.parse(body)).toMatchObject({ code: 400, reason: 'BadRequest', message: 'container zzz is not valid for pod web' });
    const spdy = await new Promise<Reply>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1', port, path: url, method: 'POST', ca,
        headers: { authorization: `Bearer ${token}`, connection: 'Upgrade', upgrade: 'SPDY/3.1', 'content-length': '0' },
      });
      req.on('response', (res) => {
        let b = '';
        res.on('data', (c: Buffer) => (b += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(spdy.status).toBe(400);
    expect(JSON.parse(spdy.body).message).toBe('container zzz is not valid for pod web');
  });
});

describe('HttpsApiServer listening before the API has loaded', () => {
  let dir: string;
  let tls: { caCert: string; cert: string; key: string };
  const h = makeHarness({ runtime: echoRuntime });
  const token = 'early-token';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hooklet-https-early-'));
    tls = ensureCertificates(dir, [], h.clock.now());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function deferred(): { promise: Promise<ApiEndpoints>; resolve: (e: ApiEndpoints) => void; reject: (err: Error) => void } {
    let resolve!: (e: ApiEndpoints) => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<ApiEndpoints>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  }

  function get(port: number, path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, ca: tls.caCert, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('holds requests and exec upgrades that arrive first, then answers them once the API is there', async () => {
    const api = deferred();
    const server = new HttpsApiServer(api.promise, { cert: tls.cert, key: tls.key });
    try {
      const port = await server.listen(0, '127.0.0.1');
      let answered = false;
      const version = get(port, '/version').then((r) => ((answered = true), r));
      const ws = new WebSocket(`wss://127.0.0.1:${port}/api/v1/namespaces/default/pods/web/exec?command=hi&container=app&stdout=true`, ['v5.channel.k8s.io'], {
        ca: tls.caCert,
        headers: { authorization: `Bearer ${token}` },
      });
      const frames: Buffer[] = [];
      ws.on('message', (d: Buffer) => frames.push(d));
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      // Both are in (TLS done, request sent) before the API exists.
      await new Promise((r) => setTimeout(r, 100));
      expect(answered).toBe(false);

      const pod = (await h.call('POST', '/api/v1/namespaces/default/pods', { body: podManifest('web') })).json as Pod;
      h.store.updatePodStatus('default', 'web', pod.metadata.uid!, {
        phase: 'Running',
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'x', imageID: '', containerID: 'process://c1', state: { running: {} } }],
      });
      api.resolve(createApiEndpoints(h.ctx, { token }));
      expect((await version).status).toBe(200);
      expect(await closed).toBe(1000);
      expect(frames[0]!.subarray(1).toString()).toBe('hi\n');
      expect((await get(port, '/api/v1/namespaces/default/pods/web')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers 503 with a Status when the API cannot be loaded', async () => {
    const api = deferred();
    const server = new HttpsApiServer(api.promise, { cert: tls.cert, key: tls.key });
    try {
      const port = await server.listen(0, '127.0.0.1');
      const pending = get(port, '/version');
      await new Promise((r) => setTimeout(r, 50));
      api.reject(new Error('boom'));
      const r = await pending;
      expect(r.status).toBe(503);
      expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', code: 503, reason: 'ServiceUnavailable', message: 'the API could not be loaded: boom' });
    } finally {
      await server.close();
    }
  });

  it('closes while requests still wait for the API, and they end instead of hanging', async () => {
    const api = deferred();
    const server = new HttpsApiServer(api.promise, { cert: tls.cert, key: tls.key });
    const port = await server.listen(0, '127.0.0.1');
    const pending = get(port, '/version').then(
      () => 'answered',
      () => 'connection closed',
    );
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    expect(await pending).toBe('connection closed');
    api.resolve(createApiEndpoints(h.ctx, { token }));
  });
});
