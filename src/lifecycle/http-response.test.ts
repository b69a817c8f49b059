/**
 * The two ways a response body is read, and the transport switches the
 * prober uses, through exchange() against raw servers on 127.0.0.1.
 */
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GoHeader } from './go-header.js';
import { formatGoUrl } from './go-url.js';
import { exchange, type ExchangeOptions } from './http-exchange.js';
import { TestServers, readRequestHead } from './hook-test-fixtures.case.js';
import { MAX_RESP_BODY_LENGTH, type ExchangeResponse } from './http-response.js';

const servers = new TestServers();
afterEach(() => servers.closeAll());

/** Answers every request with `reply` and records the request heads. */
async function rawServer(reply: string): Promise<{ port: number; heads: string[] }> {
  const heads: string[] = [];
  const { port } = await servers.tcp((socket: net.Socket) => {
    void readRequestHead(socket).then((head) => {
      heads.push(head);
      socket.end(reply);
    });
  });
  return { port, heads };
}

async function get(port: number, options: ExchangeOptions, header = new GoHeader()): Promise<ExchangeResponse> {
  const r = await exchange({ url: formatGoUrl('http', `127.0.0.1:${port}`, '/x'), host: '', header }, options);
  if (!r.ok) throw new Error(`exchange failed: ${r.error}`);
  return r.response;
}

describe('exchange options and response bodies', () => {
  it('compression off and keep-alives off: no Accept-Encoding, Connection: close last', async () => {
    const { port, heads } = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    const header = new GoHeader();
    header.add('X-A', '1');
    await (await get(port, { compression: false, keepAlive: false }, header)).drain();
    expect(heads).toEqual([`GET /x HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-A: 1\r\nConnection: close\r\n\r\n`]);
  });

  it('keep-alives off with a caller asking to close already: one Connection line, not two', async () => {
    const { port, heads } = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    const header = new GoHeader();
    header.add('Connection', 'close');
    await (await get(port, { compression: false, keepAlive: false }, header)).drain();
    expect(heads[0]!.match(/^Connection:.*$/gim)).toEqual(['Connection: close']);
  });

  it('readBody keeps the first limitBytes even when the declared length is larger', async () => {
    const body = 'y'.repeat(2 * MAX_RESP_BODY_LENGTH);
    const { port } = await rawServer(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    const res = await get(port, { compression: false });
    expect(res.contentLength).toBe(body.length);
    expect(await res.readBody(MAX_RESP_BODY_LENGTH)).toEqual({ ok: true, body: Buffer.from(body.slice(0, MAX_RESP_BODY_LENGTH)) });
  });

  it('readBody reports a body cut before its declared end as unexpected EOF', async () => {
    const { port } = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort');
    const res = await get(port, {});
    expect(await res.readBody(MAX_RESP_BODY_LENGTH)).toEqual({ ok: false, error: 'unexpected EOF' });
  });

  it('readBody with an aborted signal is canceled and reads nothing', async () => {
    const { port } = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    const res = await get(port, {});
    expect(await res.readBody(MAX_RESP_BODY_LENGTH, AbortSignal.abort())).toEqual({ ok: false, error: 'context canceled', canceled: true });
  });
});
