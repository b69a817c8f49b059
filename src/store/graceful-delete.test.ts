import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.js';
import { decideGracefulDelete } from './graceful-delete.js';

const NOW = Date.UTC(2026, 10, 29, 0, 34, 36, 900);

function pod(spec: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}, phase = 'Running'): Pod {
  return {
    metadata: { name: 'web', namespace: 'default', ...meta },
    spec: { nodeName: 'hooklet', terminationGracePeriodSeconds: 30, containers: [], ...spec },
    status: { phase },
  };
}

const terminating = (grace: number | undefined, timestamp = '2026-11-29T00:35:06Z'): Pod =>
  pod({}, { deletionTimestamp: timestamp, deletionGracePeriodSeconds: grace });

describe('decideGracefulDelete (R4.1)', () => {
  it('R4.1: the requested period wins over the spec; timestamp = now + period, truncated to seconds', () => {
    expect(decideGracefulDelete(pod(), 10, NOW)).toEqual({
      action: 'terminate',
      deletionTimestamp: '2026-11-29T00:34:46Z',
      deletionGracePeriodSeconds: 10,
      first: true,
    });
  });

  it('R4.1: without a requested period, spec.terminationGracePeriodSeconds; without either, 0 (remove)', () => {
    expect(decideGracefulDelete(pod({ terminationGracePeriodSeconds: 45 }), undefined, NOW)).toMatchObject({
      action: 'terminate',
      deletionGracePeriodSeconds: 45,
    });
    expect(decideGracefulDelete(pod({ terminationGracePeriodSeconds: undefined }), undefined, NOW)).toEqual({
      action: 'remove',
      deletionTimestamp: '2026-11-29T00:34:36Z',
      deletionGracePeriodSeconds: 0,
    });
  });

  it('R4.1: forced to 0 when unscheduled, Succeeded or Failed', () => {
    expect(decideGracefulDelete(pod({ nodeName: undefined }), 30, NOW).action).toBe('remove');
    expect(decideGracefulDelete(pod({ nodeName: '' }), 30, NOW).action).toBe('remove');
    expect(decideGracefulDelete(pod({}, {}, 'Succeeded'), 30, NOW).action).toBe('remove');
    expect(decideGracefulDelete(pod({}, {}, 'Failed'), 30, NOW).action).toBe('remove');
    expect(decideGracefulDelete(pod({}, {}, 'Pending'), 30, NOW).action).toBe('terminate');
  });

  it('R4.1 V10: negative requested or spec periods become 1; 0 requested stays 0', () => {
    expect(decideGracefulDelete(pod(), -1, NOW)).toMatchObject({ action: 'terminate', deletionGracePeriodSeconds: 1 });
    expect(decideGracefulDelete(pod({ terminationGracePeriodSeconds: -7 }), undefined, NOW)).toMatchObject({
      deletionGracePeriodSeconds: 1,
      deletionTimestamp: '2026-11-29T00:34:37Z',
    });
    expect(decideGracefulDelete(pod(), 0, NOW).action).toBe('remove');
    // Forced to 0 first, and 0 is not negative: an unscheduled pod with a negative request is still removed.
    expect(decideGracefulDelete(pod({ nodeName: '' }), -1, NOW).action).toBe('remove');
  });

  it('R4.1 timeline (d): a strictly shorter second delete gives oldTimestamp − oldGrace + new', () => {
    expect(decideGracefulDelete(terminating(30), 5, NOW + 10_000)).toEqual({
      action: 'terminate',
      deletionTimestamp: '2026-11-29T00:34:41Z',
      deletionGracePeriodSeconds: 5,
      first: false,
    });
  });

  it('R4.1: a second delete with an equal, longer or absent period is ignored', () => {
    expect(decideGracefulDelete(terminating(30), 30, NOW)).toEqual({ action: 'ignore' });
    expect(decideGracefulDelete(terminating(30), 31, NOW)).toEqual({ action: 'ignore' });
    expect(decideGracefulDelete(terminating(30), undefined, NOW)).toEqual({ action: 'ignore' });
  });

  it('R4.1: a second delete with 0 removes now, stamping the original request time', () => {
    expect(decideGracefulDelete(terminating(30), 0, NOW)).toEqual({
      action: 'remove',
      deletionTimestamp: '2026-11-29T00:34:36Z',
      deletionGracePeriodSeconds: 0,
    });
  });

  it('R4.1: a terminating pod whose stored grace is nil or 0 is removed at once, whatever is asked', () => {
    expect(decideGracefulDelete(terminating(undefined), 30, NOW)).toEqual({ action: 'remove' });
    expect(decideGracefulDelete(terminating(0), undefined, NOW)).toEqual({ action: 'remove' });
  });

  it('R4.1 V10: a stored negative grace counts as 1: only 0 is shorter', () => {
    expect(decideGracefulDelete(terminating(-4), 1, NOW)).toEqual({ action: 'ignore' });
    expect(decideGracefulDelete(terminating(-4, '2026-11-29T00:34:37Z'), 0, NOW)).toEqual({
      action: 'remove',
      deletionTimestamp: '2026-11-29T00:34:36Z',
      deletionGracePeriodSeconds: 0,
    });
  });

  it('R4.1 V10: a negative second request is 1, which shortens a longer grace', () => {
    expect(decideGracefulDelete(terminating(30), -1, NOW)).toMatchObject({
      action: 'terminate',
      deletionGracePeriodSeconds: 1,
      deletionTimestamp: '2026-11-29T00:34:37Z',
    });
  });
});
