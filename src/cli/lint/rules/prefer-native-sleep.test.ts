import { describe, expect, it } from 'vitest';
import { preferNativeSleep as rule } from './prefer-native-sleep.js';
import { hitsOf } from './rule-test-kit.case.js';

const preStop = (handler: string, grace = '') => `
${grace}
containers:
- name: app
  image: nginx
  lifecycle:
    preStop: ${handler}
`;

describe('prefer-native-sleep', () => {
  it('suggests the sleep action for exec ["sleep", N]', () => {
    expect(hitsOf(rule, preStop('{exec: {command: ["sleep", "5"]}}'))).toEqual([
      {
        path: 'spec.containers[0].lifecycle.preStop.exec.command',
        message: 'Use `sleep: {seconds: 5}` instead of running sleep in the container: it works in images without a sleep binary or shell.',
      },
    ]);
  });

  it('suggests it for sh -c "sleep N"', () => {
    expect(hitsOf(rule, preStop('{exec: {command: [/bin/sh, -c, "sleep 10"]}}'))[0]!.message).toMatch(/^Use `sleep: \{seconds: 10\}`/);
  });

  it('words the suggestion generally when N is not whole seconds within the grace period', () => {
    expect(hitsOf(rule, preStop('{exec: {command: [sleep, "2.5"]}}'))[0]!.message).toBe(
      'Use the native `sleep` action (whole seconds, at most the grace period) instead of running sleep in the container: it works in images without a sleep binary or shell.',
    );
    expect(hitsOf(rule, preStop('{exec: {command: [sleep, "50"]}}', 'terminationGracePeriodSeconds: 40'))[0]!.message).toMatch(/^Use the native `sleep` action/);
  });

  it('leaves alone scripts that do more than sleep, the native action, and postStart', () => {
    expect(hitsOf(rule, preStop('{exec: {command: [sh, -c, "sleep 5 && nginx -s quit"]}}'))).toEqual([]);
    expect(hitsOf(rule, preStop('{sleep: {seconds: 5}}'))).toEqual([]);
    expect(hitsOf(rule, '{containers: [{name: a, image: i, lifecycle: {postStart: {exec: {command: [sleep, "5"]}}}}]}')).toEqual([]);
  });
});
