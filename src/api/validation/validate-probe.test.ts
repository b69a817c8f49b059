import { describe, expect, it } from 'vitest';
import { containerWith, errorsOf } from './fixtures.case.js';

function withProbe(kind: 'livenessProbe' | 'readinessProbe' | 'startupProbe', probe: unknown) {
  return containerWith((c) => (c[kind] = probe));
}

const P = 'spec.containers[0]';

describe('probe handlers', () => {
  it('a probe needs a handler; exec, httpGet, tcpSocket and grpc count, sleep does not', () => {
    expect(errorsOf(withProbe('livenessProbe', {}))).toEqual([`${P}.livenessProbe: Required value: must specify a handler type`]);
    expect(errorsOf(withProbe('livenessProbe', { sleep: { seconds: 1 } }))).toEqual([`${P}.livenessProbe: Required value: must specify a handler type`]);
    for (const handler of [{ exec: { command: ['true'] } }, { httpGet: { port: 80 } }, { tcpSocket: { port: 80 } }, { grpc: { port: 9000 } }]) {
      expect(errorsOf(withProbe('readinessProbe', handler))).toEqual([]);
    }
  });

  it('handler cardinality includes grpc, which comes after tcpSocket', () => {
    expect(errorsOf(withProbe('startupProbe', { grpc: { port: 9000 }, tcpSocket: { port: 80 } }))).toEqual([
      `${P}.startupProbe.grpc: Forbidden: may not specify more than 1 handler type`,
    ]);
  });

  it('grpc ports must be 1..65535 and numeric', () => {
    expect(errorsOf(withProbe('livenessProbe', { grpc: { port: 0 } }))).toEqual([
      `${P}.livenessProbe.grpc.port: Invalid value: 0: must be between 1 and 65535, inclusive`,
    ]);
    expect(errorsOf(withProbe('livenessProbe', { grpc: { port: 'grpc' } }))).toEqual([
      `${P}.livenessProbe.grpc.port: Invalid value: "grpc": must be an integer`,
    ]);
  });
});

describe('probe numbers', () => {
  it('counters must be non-negative (0 is defaulted first)', () => {
    const probe = { exec: { command: ['true'] }, initialDelaySeconds: -1, timeoutSeconds: -2, periodSeconds: -3, failureThreshold: -4 };
    expect(errorsOf(withProbe('readinessProbe', probe))).toEqual([
      `${P}.readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0`,
      `${P}.readinessProbe.timeoutSeconds: Invalid value: -2: must be greater than or equal to 0`,
      `${P}.readinessProbe.periodSeconds: Invalid value: -3: must be greater than or equal to 0`,
      `${P}.readinessProbe.failureThreshold: Invalid value: -4: must be greater than or equal to 0`,
    ]);
  });

  it('V9: liveness and startup successThreshold must be 1', () => {
    expect(errorsOf(withProbe('livenessProbe', { exec: { command: ['true'] }, successThreshold: 2 }))).toEqual([
      `${P}.livenessProbe.successThreshold: Invalid value: 2: must be 1`,
    ]);
    expect(errorsOf(withProbe('startupProbe', { exec: { command: ['true'] }, successThreshold: -1 }))).toEqual([
      `${P}.startupProbe.successThreshold: Invalid value: -1: must be greater than or equal to 0`,
      `${P}.startupProbe.successThreshold: Invalid value: -1: must be 1`,
    ]);
    expect(errorsOf(withProbe('readinessProbe', { exec: { command: ['true'] }, successThreshold: 3 }))).toEqual([]);
  });

  it('V9: probe terminationGracePeriodSeconds must be greater than 0', () => {
    expect(errorsOf(withProbe('livenessProbe', { exec: { command: ['true'] }, terminationGracePeriodSeconds: 0 }))).toEqual([
      `${P}.livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0`,
    ]);
    expect(errorsOf(withProbe('livenessProbe', { exec: { command: ['true'] }, terminationGracePeriodSeconds: 1 }))).toEqual([]);
  });

  it('V9: readiness probes may not set terminationGracePeriodSeconds at all', () => {
    expect(errorsOf(withProbe('readinessProbe', { exec: { command: ['true'] }, terminationGracePeriodSeconds: 10 }))).toEqual([
      `${P}.readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes`,
    ]);
    expect(errorsOf(withProbe('readinessProbe', { exec: { command: ['true'] }, terminationGracePeriodSeconds: -1 }))).toEqual([
      `${P}.readinessProbe.terminationGracePeriodSeconds: Invalid value: -1: must be greater than 0`,
      `${P}.readinessProbe.terminationGracePeriodSeconds: Invalid value: -1: must not be set for readinessProbes`,
    ]);
  });

  it('wrong types are field errors', () => {
    expect(errorsOf(withProbe('livenessProbe', { exec: { command: ['true'] }, periodSeconds: '10s' }))).toEqual([
      `${P}.livenessProbe.periodSeconds: Invalid value: "10s": must be an integer`,
    ]);
    expect(errorsOf(withProbe('livenessProbe', 'yes'))).toEqual([`${P}.livenessProbe: Invalid value: "yes": must be an object`]);
  });
});
