import { describe, expect, it } from 'vitest';
import { dialError, responseError, tlsHandshakeError, urlError, type ConnInfo, type NodeNetError } from './go-net-errors.js';

function err(message: string, props: Partial<NodeNetError> = {}): NodeNetError {
  return Object.assign(new Error(message), props);
}

const conn = (bytes = 0): ConnInfo => ({ local: '127.0.0.1:40000', remote: '127.0.0.1:8080', bytesRead: () => bytes });

describe('Go renderings of Node network errors', () => {
  it('R1.8: DNS failure reads like a Go lookup error', () => {
    expect(dialError(err('getaddrinfo ENOTFOUND app.invalid', { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'app.invalid' }), 'app.invalid', 80)).toBe(
      'dial tcp: lookup app.invalid: no such host',
    );
  });

  it('R1.8: a happy-eyeballs aggregate reports the first address tried', () => {
    const agg = err('', {
      code: 'ECONNREFUSED',
      errors: [
        err('', { code: 'ECONNREFUSED', syscall: 'connect', address: '::1', port: 9 }),
        err('', { code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 9 }),
      ],
    });
    expect(dialError(agg, 'localhost', 9)).toBe('dial tcp [::1]:9: connect: connection refused');
  });

  it('R1.8: unreachable and timed-out connects use the Linux errno texts', () => {
    expect(dialError(err('', { code: 'EHOSTUNREACH', syscall: 'connect', address: '10.9.9.9', port: 80 }), '10.9.9.9', 80)).toBe(
      'dial tcp 10.9.9.9:80: connect: no route to host',
    );
    expect(dialError(err('', { code: 'ETIMEDOUT', syscall: 'connect', address: '10.9.9.9', port: 80 }), '10.9.9.9', 80)).toBe(
      'dial tcp 10.9.9.9:80: connect: connection timed out',
    );
  });

  it('R1.7: the record header decides between scheme mismatch and not-TLS', () => {
    const wrongVersion = err('wrong version number', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
    expect(tlsHandshakeError(wrongVersion, Buffer.from('HTTP/1.1 400'), conn(20))).toBe(
      'http: server gave HTTP response to HTTPS client',
    );
    expect(tlsHandshakeError(wrongVersion, Buffer.from('SSH-2'), conn(20))).toBe(
      'tls: first record does not look like a TLS handshake',
    );
  });

  it('R1.8: a TLS server closing during the handshake gives EOF; a TLS alert is a remote error', () => {
    const hangup = err('Client network socket disconnected before secure TLS connection was established', { code: 'ECONNRESET' });
    expect(tlsHandshakeError(hangup, Buffer.alloc(0), conn(0))).toBe('EOF');
    const alert = err('alert', { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', reason: 'sslv3 alert handshake failure' });
    expect(tlsHandshakeError(alert, Buffer.from([22, 3, 3, 0, 2]), conn(7))).toBe('remote error: tls: handshake failure');
  });

  it('R1.8: oversized response headers use Go’s 10 MiB limit text', () => {
    expect(responseError(err('Parse Error: Header overflow', { code: 'HPE_HEADER_OVERFLOW' }), conn(1))).toBe(
      'net/http: server response headers exceeded 10485760 bytes; aborted',
    );
  });

  it('R1.8: a server that stops mid-response breaks the connection', () => {
    expect(responseError(err('socket hang up', { code: 'ECONNRESET' }), conn(12))).toBe(
      'net/http: HTTP/1.x transport connection broken: unexpected EOF',
    );
    expect(responseError(err('socket hang up', { code: 'ECONNRESET' }), conn(0))).toBe('EOF');
  });

  it('R1.8: url.Error quotes the URL with Go %q', () => {
    expect(urlError('http://h:1/a"b', 'EOF')).toBe('Get "http://h:1/a\\"b": EOF');
  });
});
