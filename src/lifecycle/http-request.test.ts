import { describe, expect, it } from 'vitest';
import type { HTTPGetAction } from '../api/types.js';
import { canonicalHeaderKey } from './go-header.js';
import { goUrlString } from './go-url.js';
import {
  buildHttpTarget,
  goAtoi,
  lifecycleUserAgent,
  resolveContainerPort,
  type HttpTarget,
  type TargetInputs,
} from './http-request.js';

const inputs: TargetInputs = {
  podIP: '10.0.0.5',
  podUid: 'u',
  podName: 'web',
  podNamespace: 'default',
  containerPorts: [
    { name: 'http', containerPort: 8080 },
    { name: 'admin', containerPort: 9090 },
  ],
};
const UA = 'kube-lifecycle/1.32';

function target(get: HTTPGetAction, over: Partial<TargetInputs> = {}): HttpTarget {
  const r = buildHttpTarget(get, { ...inputs, ...over }, UA);
  if (!r.ok) throw new Error(r.error);
  return r.target;
}

function error(get: HTTPGetAction): string {
  const r = buildHttpTarget(get, inputs, UA);
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('R1.5 target', () => {
  it('R1.5: host defaults to the pod IP', () => {
    expect(goUrlString(target({ port: 80, path: '/x' }).url)).toBe('http://10.0.0.5:80/x');
  });

  it('R1.5: httpGet.host wins over the pod IP', () => {
    expect(goUrlString(target({ port: 80, host: 'db.local', path: '/' }).url)).toBe('http://db.local:80/');
  });

  it('R1.5: an IPv6 host is bracketed', () => {
    expect(goUrlString(target({ port: 80, path: '/' }, { podIP: 'fd00::5' }).url)).toBe('http://[fd00::5]:80/');
  });

  it('R1.5: the scheme is lower-cased and an empty one means http', () => {
    expect(target({ port: 443, scheme: 'HTTPS', path: '/' }).url.scheme).toBe('https');
    expect(target({ port: 80, scheme: '', path: '/' }).url.scheme).toBe('http');
    expect(target({ port: 80 }).url.scheme).toBe('http');
  });

  it('R1.5: no host and no pod IP is an error', () => {
    const r = buildHttpTarget({ port: 80 }, { ...inputs, podIP: '' }, UA);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^failed to find networking container: /);
  });
});

describe('R1.5 port resolution (probe.ResolveContainerPort)', () => {
  it('R1.5: an int port is used as is', () => {
    expect(resolveContainerPort(8081, inputs.containerPorts)).toEqual({ ok: true, port: 8081 });
  });

  it('R1.5: a named port resolves through container ports', () => {
    expect(resolveContainerPort('admin', inputs.containerPorts)).toEqual({ ok: true, port: 9090 });
    expect(goUrlString(target({ port: 'http', path: '/' }).url)).toBe('http://10.0.0.5:8080/');
  });

  it('R1.5: a numeric string that names no port is parsed as a number', () => {
    expect(resolveContainerPort('8082', inputs.containerPorts)).toEqual({ ok: true, port: 8082 });
  });

  it('R1.5: an unknown name fails with the strconv.Atoi error', () => {
    expect(error({ port: 'metrics' })).toBe('strconv.Atoi: parsing "metrics": invalid syntax');
    expect(error({ port: '' })).toBe('strconv.Atoi: parsing "": invalid syntax');
  });

  it('R1.5: out-of-range ports fail with invalid port number', () => {
    expect(error({ port: 0 })).toBe('invalid port number: 0');
    expect(error({ port: 65536 })).toBe('invalid port number: 65536');
    expect(error({ port: -1 })).toBe('invalid port number: -1');
    expect(error({ port: '70000' })).toBe('invalid port number: 70000');
  });

  it('R1.5: Atoi rejects what Go rejects and reports overflow', () => {
    expect(goAtoi('+80')).toEqual({ ok: true, value: 80n });
    expect(goAtoi('8_0')).toEqual({ ok: false, error: 'strconv.Atoi: parsing "8_0": invalid syntax' });
    expect(goAtoi('99999999999999999999')).toEqual({
      ok: false,
      error: 'strconv.Atoi: parsing "99999999999999999999": value out of range',
    });
  });
});

describe('R1.5 headers', () => {
  it('R1.5: names are canonicalised like Go Header.Add', () => {
    expect(canonicalHeaderKey('x-foo')).toBe('X-Foo');
    expect(canonicalHeaderKey('X-FOO-bar')).toBe('X-Foo-Bar');
    expect(canonicalHeaderKey('content-md5')).toBe('Content-Md5');
    expect(canonicalHeaderKey('x foo')).toBe('x foo');
  });

  it('R1.5: repeated headers are all kept, under one canonical key', () => {
    const t = target({ port: 80, httpHeaders: [{ name: 'x-foo', value: 'a' }, { name: 'X-FOO', value: 'b' }] });
    expect(t.header.entries()).toContainEqual(['X-Foo', ['a', 'b']]);
  });

  it('R1.5: default User-Agent and Accept', () => {
    const t = target({ port: 80 });
    expect(t.header.get('User-Agent')).toBe('kube-lifecycle/1.32');
    expect(t.header.get('Accept')).toBe('*/*');
  });

  it('R1.5: user User-Agent and Accept are kept', () => {
    const t = target({ port: 80, httpHeaders: [{ name: 'user-agent', value: 'me' }, { name: 'accept', value: 'text/plain' }] });
    expect(t.header.get('User-Agent')).toBe('me');
    expect(t.header.get('Accept')).toBe('text/plain');
  });

  it('R1.5: an empty Accept removes the header', () => {
    expect(target({ port: 80, httpHeaders: [{ name: 'Accept', value: '' }] }).header.has('Accept')).toBe(false);
  });

  it('R1.5: a Host header becomes the request Host', () => {
    expect(target({ port: 80, httpHeaders: [{ name: 'host', value: 'app.example' }] }).host).toBe('app.example');
    expect(target({ port: 80 }).host).toBe('');
  });

  it('R1.5: the User-Agent carries the kubelet major.minor', () => {
    expect(lifecycleUserAgent()).toBe('kube-lifecycle/1.32');
    expect(lifecycleUserAgent('v1.33.2')).toBe('kube-lifecycle/1.33');
  });
});
