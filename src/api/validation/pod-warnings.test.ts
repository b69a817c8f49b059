import { describe, expect, it } from 'vitest';
import type { Pod } from '../types.js';
import { basePod, podWith } from './fixtures.case.js';
import { podWarnings } from './pod-warnings.js';

describe('podWarnings', () => {
  it('open point 14 / V10: a negative grace period is accepted with a warning', () => {
    const pod = podWith((p) => (p.spec.terminationGracePeriodSeconds = -1));
    expect(podWarnings(pod as Pod)).toEqual(['spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1']);
  });

  it('no warning otherwise, and none for malformed input', () => {
    expect(podWarnings(basePod() as Pod)).toEqual([]);
    expect(podWarnings(podWith((p) => (p.spec.terminationGracePeriodSeconds = 0)) as Pod)).toEqual([]);
    expect(podWarnings('x' as unknown as Pod)).toEqual([]);
  });
});
