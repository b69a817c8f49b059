import { describe, expect, it } from 'vitest';
import { httpHookUnknownPort as rule } from './http-hook-unknown-port.js';
import { hitsOf } from './rule-test-kit.case.js';

const hook = (port: string, ports = '') => `
containers:
- name: web
  image: nginx
  ${ports}
  lifecycle:
    preStop: {httpGet: {path: /drain, port: ${port}}}
`;

describe('http-hook-unknown-port (R1.5)', () => {
  it('R1.5: flags a named port the container does not declare', () => {
    expect(hitsOf(rule, hook('admin', 'ports: [{name: http, containerPort: 80}]'))).toEqual([
      {
        path: 'spec.containers[0].lifecycle.preStop.httpGet.port',
        message: 'Port "admin" is not the name of a port of container "web", so the hook passes validation but fails when it runs.',
      },
    ]);
    expect(hitsOf(rule, hook('http'))).toHaveLength(1);
  });

  it('R1.5: names are looked up in the hook\'s own container only', () => {
    const spec = `
containers:
- {name: a, image: i, ports: [{name: metrics, containerPort: 9090}]}
- {name: b, image: i, lifecycle: {postStart: {httpGet: {path: /, port: metrics}}}}
`;
    expect(hitsOf(rule, spec).map((h) => h.path)).toEqual(['spec.containers[1].lifecycle.postStart.httpGet.port']);
  });

  it('leaves alone declared names and numbers', () => {
    expect(hitsOf(rule, hook('http', 'ports: [{name: http, containerPort: 80}]'))).toEqual([]);
    expect(hitsOf(rule, hook('8080'))).toEqual([]);
    expect(hitsOf(rule, hook('"8080"'))).toEqual([]);
  });
});
