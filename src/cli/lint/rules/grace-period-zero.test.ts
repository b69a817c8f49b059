import { describe, expect, it } from 'vitest';
import { gracePeriodZero as rule } from './grace-period-zero.js';
import { hitsOf } from './rule-test-kit.case.js';

describe('grace-period-zero (R4.1, R4.3, R3.3)', () => {
  it('R4.3: with a preStop, the hook gets at most 1 s', () => {
    expect(hitsOf(rule, '{terminationGracePeriodSeconds: 0, containers: [{name: a, image: i, lifecycle: {preStop: {sleep: {seconds: 0}}}}]}')).toEqual([
      {
        path: 'spec.terminationGracePeriodSeconds',
        message: 'A grace period of 0 deletes the Pod object at once and gives each preStop hook at most 1 s, then 2 s after the stop signal before SIGKILL.',
      },
    ]);
  });

  it('R3.3: without hooks, the containers still get the 2 s floor', () => {
    expect(hitsOf(rule, '{terminationGracePeriodSeconds: 0, containers: [{name: a, image: i}]}')[0]!.message).toBe(
      'A grace period of 0 deletes the Pod object at once; the containers still get 2 s after the stop signal before SIGKILL.',
    );
  });

  it('leaves alone other grace periods and the default', () => {
    expect(hitsOf(rule, '{terminationGracePeriodSeconds: 1, containers: [{name: a, image: i}]}')).toEqual([]);
    expect(hitsOf(rule, '{containers: [{name: a, image: i}]}')).toEqual([]);
  });
});
