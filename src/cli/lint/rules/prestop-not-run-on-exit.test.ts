import { describe, expect, it } from 'vitest';
import { prestopNotRunOnExit as rule } from './prestop-not-run-on-exit.js';
import { hitsOf } from './rule-test-kit.case.js';

const spec = (policy: string) => `
${policy}
initContainers:
- {name: proxy, image: envoy, restartPolicy: Always, lifecycle: {preStop: {sleep: {seconds: 1}}}}
containers:
- {name: job, image: i, lifecycle: {preStop: {exec: {command: [cleanup]}}}}
`;

describe('prestop-not-run-on-exit (R3.7)', () => {
  it('R3.7: flags a preStop under restartPolicy Never and OnFailure', () => {
    expect(hitsOf(rule, spec('restartPolicy: Never'))).toEqual([
      {
        path: 'spec.containers[0].lifecycle.preStop',
        message:
          'With restartPolicy Never, this preStop hook runs only when the Pod is deleted or the container is killed, not when the container exits by itself.',
      },
    ]);
    expect(hitsOf(rule, spec('restartPolicy: OnFailure'))[0]!.message).toMatch(/^With restartPolicy OnFailure,/);
  });

  it('leaves alone restartPolicy Always (also by default) and sidecars, which the kubelet stops (R5.4)', () => {
    expect(hitsOf(rule, spec('restartPolicy: Always'))).toEqual([]);
    expect(hitsOf(rule, spec(''))).toEqual([]);
  });
});
