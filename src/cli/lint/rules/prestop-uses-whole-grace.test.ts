import { describe, expect, it } from 'vitest';
import { prestopUsesWholeGrace as rule } from './prestop-uses-whole-grace.js';
import { hitsOf, pathsOf } from './rule-test-kit.case.js';

const withPreStop = (grace: string, handler: string) => `
${grace}
containers:
- name: app
  image: nginx
  lifecycle:
    preStop:
      ${handler}
`;

describe('prestop-uses-whole-grace (R3.3: the 2-second floor)', () => {
  it('R3.3: flags a native sleep equal to the default 30 s grace period', () => {
    expect(hitsOf(rule, withPreStop('', 'sleep: {seconds: 30}'))).toEqual([
      {
        path: 'spec.containers[0].lifecycle.preStop.sleep',
        message: 'The preStop hook sleeps 30 s, the whole 30 s grace period, so the container gets its stop signal only 2 s before it is killed.',
      },
    ]);
  });

  it('R3.3: flags a sleep that leaves 2 s or less (the floor gives 2 s anyway)', () => {
    expect(hitsOf(rule, withPreStop('terminationGracePeriodSeconds: 10', 'sleep: {seconds: 8}'))[0]!.message).toBe(
      'The preStop hook sleeps 8 s of the 10 s grace period, so the container gets its stop signal only 2 s before it is killed.',
    );
  });

  it('R3.3: flags exec sleep and sh -c "sleep N", even longer than the grace period', () => {
    expect(pathsOf(rule, withPreStop('terminationGracePeriodSeconds: 20', 'exec: {command: [sleep, "20"]}'))).toEqual([
      'spec.containers[0].lifecycle.preStop.exec.command',
    ]);
    expect(hitsOf(rule, withPreStop('terminationGracePeriodSeconds: 20', 'exec: {command: [sh, -c, "sleep 60 && nginx -s quit"]}'))[0]!.message).toBe(
      'The preStop hook sleeps 60 s, the whole 20 s grace period, so the container gets its stop signal only 2 s before it is killed.',
    );
    expect(hitsOf(rule, withPreStop('', 'exec: {command: [sleep, infinity]}'))[0]!.message).toMatch(/^The preStop hook sleeps forever, the whole 30 s/);
  });

  it('flags sidecars too', () => {
    const spec = `
initContainers:
- name: proxy
  image: envoy
  restartPolicy: Always
  lifecycle: {preStop: {sleep: {seconds: 30}}}
containers:
- {name: app, image: nginx}
`;
    expect(pathsOf(rule, spec)).toEqual(['spec.initContainers[0].lifecycle.preStop.sleep']);
  });

  it('leaves alone a sleep with more than 2 s to spare, postStart sleeps, and other handlers', () => {
    expect(hitsOf(rule, withPreStop('', 'sleep: {seconds: 27}'))).toEqual([]);
    expect(hitsOf(rule, withPreStop('terminationGracePeriodSeconds: 60', 'exec: {command: [sleep, "30"]}'))).toEqual([]);
    expect(hitsOf(rule, withPreStop('', 'httpGet: {path: /drain, port: 80}'))).toEqual([]);
    expect(hitsOf(rule, withPreStop('', 'exec: {command: [nginx, -s, quit]}'))).toEqual([]);
    expect(hitsOf(rule, '{containers: [{name: a, image: i, lifecycle: {postStart: {sleep: {seconds: 30}}}}]}')).toEqual([]);
  });

  it('leaves the cases other checks own: a native sleep over the grace period (validation) and grace 0', () => {
    expect(hitsOf(rule, withPreStop('terminationGracePeriodSeconds: 10', 'sleep: {seconds: 40}'))).toEqual([]);
    expect(hitsOf(rule, withPreStop('terminationGracePeriodSeconds: 0', 'exec: {command: [sleep, "5"]}'))).toEqual([]);
  });
});
