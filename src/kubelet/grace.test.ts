import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.js';
import { baseGraceSeconds, effectiveGraceSeconds, stopGraceAfterPreStop } from './grace.js';

function pod(over: Partial<Pod["metadata"]> = {}, grace: number | null = 30): Pod {
  return {
    metadata: { name: 'web', namespace: 'default', ...over },
    spec: {
      ...(grace === null ? {} : { terminationGracePeriodSeconds: grace }),
      containers: [{ name: 'app', image: 'x', livenessProbe: { terminationGracePeriodSeconds: 45 }, startupProbe: { terminationGracePeriodSeconds: 7 } }],
    },
  };
}

describe('baseGraceSeconds (R3.1)', () => {
  it('R3.1: deletionGracePeriodSeconds wins over everything', () => {
    expect(baseGraceSeconds(pod({ deletionGracePeriodSeconds: 5 }), 'app', 'LivenessProbe')).toBe(5);
  });
  it('R3.1: probe-level grace for liveness and startup kills, even when larger than the pod value', () => {
    expect(baseGraceSeconds(pod(), 'app', 'LivenessProbe')).toBe(45);
    expect(baseGraceSeconds(pod(), 'app', 'StartupProbe')).toBe(7);
  });
  it('R3.1: the pod value for other reasons', () => {
    expect(baseGraceSeconds(pod(), 'app', 'FailedPostStartHook')).toBe(30);
  });
  it('R3.1: 2 when the pod has no grace at all', () => {
    expect(baseGraceSeconds(pod({}, null), 'app', 'Unknown')).toBe(2);
  });
});

describe('effectiveGraceSeconds (R4.3)', () => {
  it('R4.3: first time takes deletionGracePeriodSeconds', () => {
    expect(effectiveGraceSeconds(0, pod({ deletionGracePeriodSeconds: 60 }))).toEqual({ grace: 60, shortened: false });
  });
  it('R4.3: grace only goes down, and a shorter value counts as shortened', () => {
    expect(effectiveGraceSeconds(30, pod({ deletionGracePeriodSeconds: 5 }))).toEqual({ grace: 5, shortened: true });
    expect(effectiveGraceSeconds(5, pod({ deletionGracePeriodSeconds: 30 }))).toEqual({ grace: 5, shortened: false });
  });
  it('R4.3: a force delete (0) becomes 1', () => {
    expect(effectiveGraceSeconds(0, pod({ deletionGracePeriodSeconds: 0 })).grace).toBe(1);
  });
  it('R4.3: an override (eviction, orphan) lowers it too', () => {
    expect(effectiveGraceSeconds(0, pod({ deletionGracePeriodSeconds: 30 }), 1).grace).toBe(1);
  });
  it('R4.3: falls back to the spec grace when nothing overrides', () => {
    expect(effectiveGraceSeconds(0, pod({}, 12)).grace).toBe(12);
  });
});

describe('stopGraceAfterPreStop (R3.2, R3.3, R3.4)', () => {
  it('R3.4: elapsed seconds are truncated: 55.9 s counts as 55', () => {
    expect(stopGraceAfterPreStop(60, 55_900)).toBe(5);
  });
  it('R3.3: never below the 2 s floor, even when the preStop used everything', () => {
    expect(stopGraceAfterPreStop(30, 30_000)).toBe(2);
    expect(stopGraceAfterPreStop(1, 1_000)).toBe(2);
  });
});
