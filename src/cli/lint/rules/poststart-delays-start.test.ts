import { describe, expect, it } from 'vitest';
import { poststartDelaysStart as rule } from './poststart-delays-start.js';
import { hitsOf } from './rule-test-kit.case.js';

describe('poststart-delays-start (R2.2)', () => {
  it('R2.2: flags a postStart on a container that is not the last, naming who waits', () => {
    const spec = `
containers:
- {name: a, image: i, lifecycle: {postStart: {httpGet: {path: /, port: 80}}}}
- {name: b, image: i}
- {name: c, image: i}
`;
    expect(hitsOf(rule, spec)).toEqual([
      {
        path: 'spec.containers[0].lifecycle.postStart',
        message: 'The kubelet starts containers one at a time and waits for this postStart hook to finish, so it delays the start of container "b" and 1 more.',
      },
    ]);
  });

  it('R2.2: a postStart that sleeps is a certain delay: a warning', () => {
    const native = hitsOf(rule, '{containers: [{name: a, image: i, lifecycle: {postStart: {sleep: {seconds: 5}}}}, {name: b, image: i}]}');
    expect(native[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/container "b"\.$/) });
    const exec = hitsOf(rule, '{containers: [{name: a, image: i, lifecycle: {postStart: {exec: {command: [sleep, "5"]}}}}, {name: b, image: i}]}');
    expect(exec[0]!.severity).toBe('warning');
  });

  it('leaves alone the last container, single-container pods and preStop hooks', () => {
    expect(hitsOf(rule, '{containers: [{name: a, image: i}, {name: b, image: i, lifecycle: {postStart: {exec: {command: [x]}}}}]}')).toEqual([]);
    expect(hitsOf(rule, '{containers: [{name: a, image: i, lifecycle: {postStart: {exec: {command: [x]}}}}]}')).toEqual([]);
    expect(hitsOf(rule, '{containers: [{name: a, image: i, lifecycle: {preStop: {exec: {command: [x]}}}}, {name: b, image: i}]}')).toEqual([]);
  });
});
