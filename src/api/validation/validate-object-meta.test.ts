import { describe, expect, it } from 'vitest';
import { errorsOf, podWith } from './fixtures.case.js';

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('metadata.name and namespace', () => {
  it('name is required', () => {
    expect(errorsOf(podWith((p) => delete p.metadata.name))).toEqual(['metadata.name: Required value: name or generateName is required']);
    expect(errorsOf(podWith((p) => delete p.metadata))).toEqual(['metadata.name: Required value: name or generateName is required']);
  });

  it('name must be a DNS-1123 subdomain (dots allowed)', () => {
    expect(errorsOf(podWith((p) => (p.metadata.name = 'web.v1')))).toEqual([]);
    expect(errorsOf(podWith((p) => (p.metadata.name = 'Web_1')))).toEqual([`metadata.name: Invalid value: "Web_1": ${SUBDOMAIN}`]);
  });

  it('generateName is checked as a prefix, but does not replace the name (the server generates it first)', () => {
    const pod = podWith((p) => {
      delete p.metadata.name;
      p.metadata.generateName = 'web-';
    });
    expect(errorsOf(pod)).toEqual(['metadata.name: Required value: name or generateName is required']);
    expect(errorsOf(podWith((p) => (p.metadata.generateName = 'Web-')))).toEqual([`metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN}`]);
  });

  it('namespace must be a DNS-1123 label', () => {
    expect(errorsOf(podWith((p) => (p.metadata.namespace = 'team.a')))).toEqual(['metadata.namespace: Invalid value: "team.a": must not contain dots']);
    expect(errorsOf(podWith((p) => (p.metadata.namespace = 'Team')))).toEqual([`metadata.namespace: Invalid value: "Team": ${LABEL}`]);
  });
});

describe('labels, annotations, finalizers, owner references', () => {
  it('label keys and values', () => {
    const pod = podWith((p) => (p.metadata.labels = { 'app.kubernetes.io/name': 'web', 'bad key': 'x', ok: '-bad' }));
    expect(errorsOf(pod)).toEqual([
      `metadata.labels: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      `metadata.labels: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);
  });

  it('annotation keys are case-insensitive; values are free', () => {
    expect(errorsOf(podWith((p) => (p.metadata.annotations = { 'Example.COM/Note': 'anything at all: {}' })))).toEqual([]);
    expect(errorsOf(podWith((p) => (p.metadata.annotations = { 'a/b/c': '' })))[0]).toMatch(/^metadata\.annotations: Invalid value: "a\/b\/c": a qualified name must consist/);
  });

  it('non-string label values are type errors', () => {
    expect(errorsOf(podWith((p) => (p.metadata.labels = { tier: 1 })))).toEqual(['metadata.labels[tier]: Invalid value: 1: must be a string']);
  });

  it('finalizers must be standard or fully qualified', () => {
    expect(errorsOf(podWith((p) => (p.metadata.finalizers = ['kubernetes', 'example.com/cleanup'])))).toEqual([]);
    expect(errorsOf(podWith((p) => (p.metadata.finalizers = ['cleanup'])))).toEqual([
      'metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('owner references need version, kind, name and uid', () => {
    expect(errorsOf(podWith((p) => (p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1' }])))).toEqual([]);
    expect(errorsOf(podWith((p) => (p.metadata.ownerReferences = [{ apiVersion: 'apps/' }])))).toEqual([
      'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]);
  });

  it('metadata of the wrong type is one error', () => {
    expect(errorsOf(podWith((p) => (p.metadata = 'web')))).toEqual(['metadata: Invalid value: "web": must be an object']);
  });
});
