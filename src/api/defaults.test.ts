import { describe, expect, it } from 'vitest';
import { applyDefaults, defaultImagePullPolicy, imageTag, normalizeDeleteGrace } from './defaults.js';
import type { Pod } from './types.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- defaulting must cope with any JSON */
function defaulted(pod: any): any {
  return applyDefaults(pod as Pod);
}

function minimal(): any {
  return { metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } };
}

describe('pod and spec defaults (SetDefaults_PodSpec, SetDefaults_Pod)', () => {
  const pod = defaulted(minimal());

  it('metadata.namespace defaults to "default"', () => {
    expect(pod.metadata.namespace).toBe('default');
    expect(defaulted({ ...minimal(), metadata: { name: 'web', namespace: 'prod' } }).metadata.namespace).toBe('prod');
  });

  it('restartPolicy defaults to Always', () => expect(pod.spec.restartPolicy).toBe('Always'));
  it('terminationGracePeriodSeconds defaults to 30', () => expect(pod.spec.terminationGracePeriodSeconds).toBe(30));
  it('dnsPolicy defaults to ClusterFirst', () => expect(pod.spec.dnsPolicy).toBe('ClusterFirst'));
  it('schedulerName defaults to default-scheduler', () => expect(pod.spec.schedulerName).toBe('default-scheduler'));
  it('securityContext defaults to {}', () => expect(pod.spec.securityContext).toEqual({}));
  it('enableServiceLinks defaults to true', () => expect(pod.spec.enableServiceLinks).toBe(true));

  it('a negative or zero grace period is kept on create (only deletes normalise it)', () => {
    expect(defaulted({ ...minimal(), spec: { ...minimal().spec, terminationGracePeriodSeconds: -5 } }).spec.terminationGracePeriodSeconds).toBe(-5);
    expect(defaulted({ ...minimal(), spec: { ...minimal().spec, terminationGracePeriodSeconds: 0 } }).spec.terminationGracePeriodSeconds).toBe(0);
  });

  it('explicit values are kept', () => {
    const p = defaulted({ metadata: { name: 'x' }, spec: { restartPolicy: 'Never', dnsPolicy: 'Default', schedulerName: 'mine', securityContext: { runAsUser: 1 }, enableServiceLinks: false, containers: [] } });
    expect(p.spec).toMatchObject({ restartPolicy: 'Never', dnsPolicy: 'Default', schedulerName: 'mine', securityContext: { runAsUser: 1 }, enableServiceLinks: false });
  });

  it('missing metadata and spec become objects; wrong types are left for validation', () => {
    expect(defaulted({})).toMatchObject({ metadata: { namespace: 'default' }, spec: { restartPolicy: 'Always' } });
    expect(defaulted({ metadata: 'x', spec: 5 })).toEqual({ metadata: 'x', spec: 5 });
    expect(defaulted({ spec: { restartPolicy: 7 } }).spec.restartPolicy).toBe(7);
    expect(defaulted(null)).toBeNull();
    expect(defaulted('pod')).toBe('pod');
  });
});

describe('container defaults (SetDefaults_Container and generated defaults)', () => {
  it('applies to containers, init containers and ephemeral containers', () => {
    const p = defaulted({
      metadata: { name: 'x' },
      spec: { containers: [{ name: 'a', image: 'nginx' }], initContainers: [{ name: 'b', image: 'busybox:1' }], ephemeralContainers: [{ name: 'c', image: 'busybox' }] },
    });
    for (const c of [p.spec.containers[0], p.spec.initContainers[0], p.spec.ephemeralContainers[0]]) {
      expect(c.terminationMessagePath).toBe('/dev/termination-log');
      expect(c.terminationMessagePolicy).toBe('File');
    }
    expect(p.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(p.spec.initContainers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(p.spec.ephemeralContainers[0].imagePullPolicy).toBe('Always');
  });

  it('imagePullPolicy is Always for a latest or missing tag, else IfNotPresent', () => {
    const cases: Array<[string, string]> = [
      ['nginx', 'Always'],
      ['nginx:latest', 'Always'],
      ['docker.io/library/nginx', 'Always'],
      ['localhost:5000/app', 'Always'],
      ['nginx:1.27', 'IfNotPresent'],
      ['localhost:5000/app:v1', 'IfNotPresent'],
      [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
      [`nginx:latest@sha256:${'a'.repeat(64)}`, 'Always'],
      ['NGINX', 'IfNotPresent'],
      ['', 'IfNotPresent'],
      [`nginx@sha256:${'a'.repeat(10)}`, 'IfNotPresent'],
    ];
    for (const [image, policy] of cases) expect([image, defaultImagePullPolicy(image)]).toEqual([image, policy]);
    expect(defaultImagePullPolicy(42)).toBe('IfNotPresent');
    expect(imageTag('registry.example.com:443/team/app:2.0-rc.1')).toBe('2.0-rc.1');
  });

  it('an explicit imagePullPolicy, path or policy is kept', () => {
    const p = defaulted({ metadata: {}, spec: { containers: [{ image: 'nginx', imagePullPolicy: 'Never', terminationMessagePath: '/tmp/t', terminationMessagePolicy: 'FallbackToLogsOnError' }] } });
    expect(p.spec.containers[0]).toMatchObject({ imagePullPolicy: 'Never', terminationMessagePath: '/tmp/t', terminationMessagePolicy: 'FallbackToLogsOnError' });
  });

  it('ports[].protocol defaults to TCP; a null entry becomes a defaulted empty port', () => {
    const p = defaulted({ metadata: {}, spec: { containers: [{ image: 'x', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }, null] }] } });
    expect(p.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }, { protocol: 'TCP' }]);
  });

  it('env fieldRef apiVersion defaults to v1', () => {
    const p = defaulted({ metadata: {}, spec: { containers: [{ image: 'x', env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] } });
    expect(p.spec.containers[0].env[0].valueFrom.fieldRef).toEqual({ apiVersion: 'v1', fieldPath: 'metadata.name' });
  });

  it('lifecycle httpGet defaults path "/" and scheme HTTP', () => {
    const p = defaulted({ metadata: {}, spec: { containers: [{ image: 'x', lifecycle: { postStart: { httpGet: { port: 80 } }, preStop: { httpGet: { port: 80, path: '/quit', scheme: 'HTTPS' } } } }] } });
    expect(p.spec.containers[0].lifecycle.postStart.httpGet).toEqual({ port: 80, path: '/', scheme: 'HTTP' });
    expect(p.spec.containers[0].lifecycle.preStop.httpGet).toEqual({ port: 80, path: '/quit', scheme: 'HTTPS' });
  });

  it('probes default timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3, and httpGet path/scheme', () => {
    const p = defaulted({
      metadata: {},
      spec: { containers: [{ image: 'x', livenessProbe: { httpGet: { port: 80 } }, readinessProbe: { exec: { command: ['true'] }, timeoutSeconds: 0, periodSeconds: 3 }, startupProbe: { grpc: { port: 9 } } }] },
    });
    const c = p.spec.containers[0];
    expect(c.livenessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.readinessProbe).toMatchObject({ timeoutSeconds: 1, periodSeconds: 3, successThreshold: 1, failureThreshold: 3 });
    expect(c.startupProbe.grpc).toEqual({ port: 9, service: '' });
  });

  it('requests default to limits where unset', () => {
    const p = defaulted({ metadata: {}, spec: { containers: [{ image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }] } });
    expect(p.spec.containers[0].resources.requests).toEqual({ cpu: '500m', memory: '1Gi' });
  });

  it('with hostNetwork, hostPort defaults to containerPort', () => {
    const p = defaulted({ metadata: {}, spec: { hostNetwork: true, containers: [{ image: 'x', ports: [{ containerPort: 8080 }] }] } });
    expect(p.spec.containers[0].ports[0]).toEqual({ containerPort: 8080, hostPort: 8080, protocol: 'TCP' });
  });
});

describe('volume defaults', () => {
  it('a volume without a source becomes emptyDir; file modes default to 0644', () => {
    const p = defaulted({ metadata: {}, spec: { containers: [], volumes: [{ name: 'a' }, { name: 'b', secret: { secretName: 's' } }, { name: 'c', configMap: { name: 'c', defaultMode: 0o400 } }, { name: 'd', hostPath: { path: '/x' } }] } });
    expect(p.spec.volumes).toEqual([
      { name: 'a', emptyDir: {} },
      { name: 'b', secret: { secretName: 's', defaultMode: 420 } },
      { name: 'c', configMap: { name: 'c', defaultMode: 256 } },
      { name: 'd', hostPath: { path: '/x', type: '' } },
    ]);
  });
});

describe('purity', () => {
  it('returns a deep copy and leaves the input untouched', () => {
    const input = minimal();
    const before = JSON.stringify(input);
    const out = defaulted(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(out.spec.containers[0]).not.toBe(input.spec.containers[0]);
  });

  it('keeps a literal "__proto__" key as data', () => {
    const input = JSON.parse('{"metadata":{"name":"x","labels":{"__proto__":"v"}},"spec":{"containers":[]}}');
    const out = defaulted(input);
    expect(Object.prototype.hasOwnProperty.call(out.metadata.labels, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out.metadata.labels)).toBe(Object.prototype);
  });
});

describe('normalizeDeleteGrace', () => {
  it('V10 / R4.1: a negative delete grace period becomes 1', () => {
    expect(normalizeDeleteGrace(-1)).toBe(1);
    expect(normalizeDeleteGrace(-30)).toBe(1);
  });

  it('V10: zero and positive values are used as given', () => {
    expect(normalizeDeleteGrace(0)).toBe(0);
    expect(normalizeDeleteGrace(5)).toBe(5);
  });
});
