import { describe, expect, it } from 'vitest';
import { httpsHookUnverified as rule } from './https-hook-unverified.js';
import { hitsOf } from './rule-test-kit.case.js';

describe('https-hook-unverified (R1.6)', () => {
  it('R1.6: flags HTTPS lifecycle hooks', () => {
    expect(hitsOf(rule, '{containers: [{name: a, image: i, lifecycle: {postStart: {httpGet: {path: /, port: 443, scheme: HTTPS}}}}]}')).toEqual([
      {
        path: 'spec.containers[0].lifecycle.postStart.httpGet.scheme',
        message: 'The kubelet does not verify the certificate of an HTTPS lifecycle hook, so HTTPS here encrypts but does not authenticate the server.',
      },
    ]);
  });

  it('leaves alone HTTP (also by default) and HTTPS probes', () => {
    expect(hitsOf(rule, '{containers: [{name: a, image: i, lifecycle: {preStop: {httpGet: {path: /, port: 80}}}}]}')).toEqual([]);
    expect(hitsOf(rule, '{containers: [{name: a, image: i, lifecycle: {preStop: {httpGet: {path: /, port: 80, scheme: HTTP}}}}]}')).toEqual([]);
    expect(hitsOf(rule, '{containers: [{name: a, image: i, readinessProbe: {httpGet: {path: /, port: 443, scheme: HTTPS}}}]}')).toEqual([]);
  });
});
