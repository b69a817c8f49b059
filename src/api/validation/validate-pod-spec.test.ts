import { describe, expect, it } from 'vitest';
import { errorsOf, podWith, rawErrorsOf } from './fixtures.case.js';

describe('pod-level fields', () => {
  it('restartPolicy: Always, OnFailure or Never (Required when empty and not defaulted)', () => {
    expect(errorsOf(podWith((p) => (p.spec.restartPolicy = 'OnFailure')))).toEqual([]);
    expect(errorsOf(podWith((p) => (p.spec.restartPolicy = 'always')))).toEqual([
      'spec.restartPolicy: Unsupported value: "always": supported values: "Always", "OnFailure", "Never"',
    ]);
    expect(rawErrorsOf(podWith((p) => (p.spec.restartPolicy = '')))).toContain('spec.restartPolicy: Required value');
  });

  it('dnsPolicy is one of four; None needs a dnsConfig with a nameserver', () => {
    expect(errorsOf(podWith((p) => (p.spec.dnsPolicy = 'Host')))).toEqual([
      'spec.dnsPolicy: Unsupported value: "Host": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ]);
    expect(errorsOf(podWith((p) => (p.spec.dnsPolicy = 'None')))).toEqual(['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']);
    expect(errorsOf(podWith((p) => Object.assign(p.spec, { dnsPolicy: 'None', dnsConfig: {} })))).toEqual([
      'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    ]);
    expect(errorsOf(podWith((p) => Object.assign(p.spec, { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } })))).toEqual([]);
  });

  it('open point 14: a negative terminationGracePeriodSeconds is accepted (current validation does not reject it)', () => {
    expect(errorsOf(podWith((p) => (p.spec.terminationGracePeriodSeconds = -1)))).toEqual([]);
    expect(errorsOf(podWith((p) => (p.spec.terminationGracePeriodSeconds = 0)))).toEqual([]);
  });

  it('terminationGracePeriodSeconds of the wrong type is a type error', () => {
    expect(errorsOf(podWith((p) => (p.spec.terminationGracePeriodSeconds = '30')))).toEqual([
      'spec.terminationGracePeriodSeconds: Invalid value: "30": must be an integer',
    ]);
  });

  it('activeDeadlineSeconds must be 1..MaxInt32', () => {
    expect(errorsOf(podWith((p) => (p.spec.activeDeadlineSeconds = 0)))).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
    ]);
    expect(errorsOf(podWith((p) => (p.spec.activeDeadlineSeconds = 60)))).toEqual([]);
  });

  it('with hostNetwork, hostPort must equal containerPort (defaulting copies it)', () => {
    expect(errorsOf(podWith((p) => Object.assign(p.spec, { hostNetwork: true, containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80 }] }] })))).toEqual([]);
    const pod = podWith((p) => Object.assign(p.spec, { hostNetwork: true, containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 81 }] }] }));
    expect(errorsOf(pod)).toEqual(['spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true']);
  });

  it('names of other objects are DNS names', () => {
    const pod = podWith((p) => Object.assign(p.spec, { serviceAccountName: 'SA', nodeName: 'node.local', hostname: 'h.x', subdomain: 'sub' }));
    expect(errorsOf(pod)).toEqual([
      `spec.serviceAccountName: Invalid value: "SA": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      'spec.hostname: Invalid value: "h.x": must not contain dots',
    ]);
  });

  it('security context ids and the shareProcessNamespace/hostPID conflict', () => {
    const pod = podWith((p) => Object.assign(p.spec, { hostPID: true, shareProcessNamespace: true, securityContext: { runAsUser: -1 } }));
    expect(errorsOf(pod)).toEqual([
      'spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 4294967295, inclusive',
      'spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled',
    ]);
  });

  it('spec.os.name must be linux or windows', () => {
    expect(errorsOf(podWith((p) => (p.spec.os = { name: 'linux' })))).toEqual([]);
    expect(errorsOf(podWith((p) => (p.spec.os = { name: 'plan9' })))).toEqual(['spec.os: Unsupported value: "plan9": supported values: "linux", "windows"']);
    expect(errorsOf(podWith((p) => (p.spec.os = { name: '' })))).toEqual(['spec.os.name: Required value: cannot be empty']);
  });

  it('readiness and scheduling gates', () => {
    const pod = podWith((p) => Object.assign(p.spec, { readinessGates: [{ conditionType: 'example.com/ready' }], schedulingGates: [{ name: 'a/b' }, { name: 'a/b' }] }));
    expect(errorsOf(pod)).toEqual(['spec.schedulingGates[1]: Duplicate value: "a/b"']);
  });

  it('a nodeName with scheduling gates cannot be set on create', () => {
    const pod = podWith((p) => Object.assign(p.spec, { nodeName: 'n1', schedulingGates: [{ name: 'example.com/wait' }] }));
    expect(errorsOf(pod)).toEqual(['spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared']);
  });
});
