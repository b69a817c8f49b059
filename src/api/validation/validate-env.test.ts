import { describe, expect, it } from 'vitest';
import { containerWith, errorsOf } from './fixtures.case.js';

const E = 'spec.containers[0].env';

function withEnv(...env: unknown[]) {
  return containerWith((c) => (c.env = env));
}

describe('env names', () => {
  it('names are required; the relaxed (1.32+) rule allows any printable ASCII but "="', () => {
    expect(errorsOf(withEnv({ value: 'x' }))).toEqual([`${E}[0].name: Required value`]);
    expect(errorsOf(withEnv({ name: '1-starts.with digit' }))).toEqual([]);
    expect(errorsOf(withEnv({ name: 'A=B' }))).toEqual([
      `${E}[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    ]);
  });
});

describe('env valueFrom', () => {
  it('fieldRef: supported paths pass; apiVersion is defaulted to v1', () => {
    for (const fieldPath of ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs', "metadata.labels['app']", "metadata.annotations['Example.com/Key']", 'spec.host']) {
      expect(errorsOf(withEnv({ name: 'X', valueFrom: { fieldRef: { fieldPath } } }))).toEqual([]);
    }
  });

  it('fieldRef: convertible but not allowed for env is Unsupported', () => {
    expect(errorsOf(withEnv({ name: 'X', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }))).toEqual([
      `${E}[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"`,
    ]);
  });

  it('fieldRef: unknown paths and versions fail conversion', () => {
    expect(errorsOf(withEnv({ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.foo' } } }))).toEqual([
      `${E}[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.foo": error converting fieldPath: field label not supported: spec.foo`,
    ]);
    expect(errorsOf(withEnv({ name: 'X', valueFrom: { fieldRef: { apiVersion: 'v2', fieldPath: 'metadata.name' } } }))).toEqual([
      `${E}[0].valueFrom.fieldRef.fieldPath: Invalid value: "metadata.name": error converting fieldPath: unsupported pod version: v2`,
    ]);
    expect(errorsOf(withEnv({ name: 'X', valueFrom: { fieldRef: { fieldPath: "spec.nodeName['x']" } } }))).toEqual([
      `${E}[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nodeName['x']": error converting fieldPath: field label does not support subscript: spec.nodeName['x']`,
    ]);
    expect(errorsOf(withEnv({ name: 'X', valueFrom: { fieldRef: {} } }))).toEqual([`${E}[0].valueFrom.fieldRef.fieldPath: Required value`]);
  });

  it('fieldRef: a bad label key in a subscript is reported on fieldRef', () => {
    expect(errorsOf(withEnv({ name: 'X', valueFrom: { fieldRef: { fieldPath: "metadata.labels['-x']" } } }))).toEqual([
      `${E}[0].valueFrom.fieldRef: Invalid value: "-x": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]);
  });

  it('exactly one source, and not together with value', () => {
    expect(errorsOf(withEnv({ name: 'X', valueFrom: {} }))).toEqual([
      `${E}[0].valueFrom: Invalid value: "": must specify one of: \`fieldRef\`, \`resourceFieldRef\`, \`configMapKeyRef\` or \`secretKeyRef\``,
    ]);
    expect(errorsOf(withEnv({ name: 'X', value: 'v', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }))).toEqual([
      `${E}[0].valueFrom: Invalid value: "": may not be specified when \`value\` is not empty`,
    ]);
    expect(errorsOf(withEnv({ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' }, configMapKeyRef: { name: 'c', key: 'k' } } }))).toEqual([
      `${E}[0].valueFrom: Invalid value: "": may not have more than one field specified at a time`,
    ]);
  });

  it('key selectors need a DNS-subdomain name and a config key', () => {
    expect(errorsOf(withEnv({ name: 'X', valueFrom: { configMapKeyRef: { name: 'Cfg' } } }))).toEqual([
      `${E}[0].valueFrom.configMapKeyRef.name: Invalid value: "Cfg": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      `${E}[0].valueFrom.configMapKeyRef.key: Required value`,
    ]);
  });

  it('resourceFieldRef needs a supported resource', () => {
    expect(errorsOf(withEnv({ name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }))).toEqual([]);
    expect(errorsOf(withEnv({ name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.hugepages-2Mi' } } }))).toEqual([]);
    expect(errorsOf(withEnv({ name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } }))).toEqual([
      `${E}[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"`,
    ]);
  });
});

describe('envFrom', () => {
  it('needs exactly one of configMapRef and secretRef, reported on the list', () => {
    const none = containerWith((c) => (c.envFrom = [{ prefix: 'P_' }]));
    expect(errorsOf(none)).toEqual(['spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`']);
    const both = containerWith((c) => (c.envFrom = [{ configMapRef: { name: 'a' }, secretRef: { name: 'b' } }]));
    expect(errorsOf(both)).toEqual(['spec.containers[0].envFrom: Invalid value: "": may not have more than one field specified at a time']);
  });

  it('reference names are required; prefixes follow the env-name rule', () => {
    const pod = containerWith((c) => (c.envFrom = [{ prefix: 'A=', configMapRef: {} }]));
    expect(errorsOf(pod)).toEqual([
      `spec.containers[0].envFrom[0].prefix: Invalid value: "A=": a valid environment variable name must consist only of printable ASCII characters other than '='`,
      'spec.containers[0].envFrom[0].configMapRef.name: Required value',
    ]);
  });
});
