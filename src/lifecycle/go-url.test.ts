import { describe, expect, it } from 'vitest';
import { formatGoUrl, goRequestUri, goUrlString, joinHostPort, splitGoHostPort } from './go-url.js';

function build(path: string): { url: string; requestUri: string } {
  const u = formatGoUrl('http', '10.0.0.5:8080', path);
  return { url: goUrlString(u), requestUri: goRequestUri(u) };
}

describe('formatGoUrl (request.go formatURL + http.NewRequest)', () => {
  it.each([
    ['/', 'http://10.0.0.5:8080/', '/'],
    ['', 'http://10.0.0.5:8080', '/'],
    ['/pre-stop', 'http://10.0.0.5:8080/pre-stop', '/pre-stop'],
    ['pre-stop', 'http://10.0.0.5:8080/pre-stop', '/pre-stop'],
    ['/drain?timeout=5s&force', 'http://10.0.0.5:8080/drain?timeout=5s&force', '/drain?timeout=5s&force'],
    ['/x?', 'http://10.0.0.5:8080/x?', '/x?'],
    ['/x#frag', 'http://10.0.0.5:8080/x#frag', '/x'],
    ['/a b', 'http://10.0.0.5:8080/a%20b', '/a%20b'],
    ['/caf\u00e9', 'http://10.0.0.5:8080/caf%C3%A9', '/caf%C3%A9'],
    ['/already%20escaped', 'http://10.0.0.5:8080/already%20escaped', '/already%20escaped'],
    ['/keep%2Fslash', 'http://10.0.0.5:8080/keep%2Fslash', '/keep%2Fslash'],
    ["/sub-delims!$&'()*+,;=:@", "http://10.0.0.5:8080/sub-delims!$&'()*+,;=:@", "/sub-delims!$&'()*+,;=:@"],
    ['//other-host/p', 'http://10.0.0.5:8080/p', '/p'],
    ['https://elsewhere:9/p?q', 'http://10.0.0.5:8080/p?q', '/p?q'],
  ])('R1.5: path %j → %s (request line %s)', (path, url, requestUri) => {
    expect(build(path)).toEqual({ url, requestUri });
  });

  it('R1.5: a path Go cannot parse is used whole as the path, so its ? and % are escaped', () => {
    expect(build('/bad%zz?x=1')).toEqual({
      url: 'http://10.0.0.5:8080/bad%25zz%3Fx=1',
      requestUri: '/bad%25zz%3Fx=1',
    });
    expect(build('/line\nbreak')).toEqual({
      url: 'http://10.0.0.5:8080/line%0Abreak',
      requestUri: '/line%0Abreak',
    });
  });

  it('R1.5: a rootless path after a scheme stays opaque and loses the host', () => {
    const u = formatGoUrl('http', '10.0.0.5:8080', 'mailto:ops');
    expect(goUrlString(u)).toBe('http:ops');
    expect(u.host).toBe('');
  });
});

describe('host and port helpers', () => {
  it('R1.5: JoinHostPort brackets IPv6 hosts', () => {
    expect(joinHostPort('::1', 80)).toBe('[::1]:80');
    expect(joinHostPort('10.0.0.5', 80)).toBe('10.0.0.5:80');
  });

  it('splits host and port like net/url', () => {
    expect(splitGoHostPort('[::1]:8080')).toEqual({ hostname: '::1', port: '8080' });
    expect(splitGoHostPort('example.com')).toEqual({ hostname: 'example.com', port: '' });
    expect(splitGoHostPort('127.0.0.1:80')).toEqual({ hostname: '127.0.0.1', port: '80' });
  });
});
