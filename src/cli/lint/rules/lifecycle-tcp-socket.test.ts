import { describe, expect, it } from 'vitest';
import { lifecycleTcpSocket as rule } from './lifecycle-tcp-socket.js';
import { hitsOf } from './rule-test-kit.case.js';

describe('lifecycle-tcp-socket (R1.1, V7)', () => {
  it('R1.1: a postStart tcpSocket always fails, and the container is killed', () => {
    expect(hitsOf(rule, '{containers: [{name: a, image: i, lifecycle: {postStart: {tcpSocket: {port: 80}}}}]}')).toEqual([
      {
        path: 'spec.containers[0].lifecycle.postStart.tcpSocket',
        message: 'A tcpSocket handler passes validation but always fails when it runs, so the kubelet kills the container right after it starts.',
      },
    ]);
  });

  it('R1.1: a preStop tcpSocket never does anything', () => {
    expect(hitsOf(rule, '{containers: [{name: a, image: i, lifecycle: {preStop: {tcpSocket: {port: 80}}}}]}')[0]!.message).toBe(
      'A tcpSocket handler passes validation but always fails when it runs, so this preStop hook never does anything.',
    );
  });

  it('leaves alone tcpSocket probes and handlers with a runnable action first', () => {
    expect(hitsOf(rule, '{containers: [{name: a, image: i, livenessProbe: {tcpSocket: {port: 80}}}]}')).toEqual([]);
    expect(hitsOf(rule, '{containers: [{name: a, image: i, lifecycle: {preStop: {exec: {command: [x]}, tcpSocket: {port: 80}}}}]}')).toEqual([]);
  });
});
