import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../api/types.js';
import { eventDedupKey, mergeDuplicateEvent } from './event-dedup.js';
import { eventName } from './event-name.js';

const base: CoreEvent = {
  metadata: { name: 'web.18a7f0c2d1e3b4a5', namespace: 'default' },
  involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', fieldPath: 'spec.containers{app}' },
  reason: 'BackOff',
  message: 'Back-off restarting failed container app',
  type: 'Warning',
  source: { component: 'kubelet', host: 'hooklet' },
  count: 4,
  firstTimestamp: '2026-11-29T00:00:00Z',
  lastTimestamp: '2026-11-29T00:01:00Z',
  eventTime: '2026-11-29T00:00:00.123456Z',
};

describe('eventDedupKey (client-go getEventKey)', () => {
  it('is equal for the same occurrence and ignores name, timestamps, count and reporting fields', () => {
    const again: CoreEvent = {
      ...base,
      metadata: { namespace: 'default' },
      count: 1,
      lastTimestamp: undefined,
      eventTime: undefined,
      reportingInstance: 'elsewhere',
      action: 'Other',
    };
    expect(eventDedupKey(again)).toBe(eventDedupKey(base));
  });

  it.each([
    ['reason', { reason: 'Killing' }],
    ['message', { message: 'other' }],
    ['type', { type: 'Normal' as const }],
    ['source.component', { source: { component: 'other', host: 'hooklet' } }],
    ['source.host', { source: { component: 'kubelet', host: 'other' } }],
    ['involvedObject.fieldPath', { involvedObject: { ...base.involvedObject, fieldPath: 'spec.containers{b}' } }],
    ['involvedObject.uid', { involvedObject: { ...base.involvedObject, uid: 'u2' } }],
    ['involvedObject.kind', { involvedObject: { ...base.involvedObject, kind: 'Node' } }],
    ['involvedObject.apiVersion', { involvedObject: { ...base.involvedObject, apiVersion: 'v2' } }],
  ])('differs when %s differs', (_field, patch) => {
    expect(eventDedupKey({ ...base, ...patch })).not.toBe(eventDedupKey(base));
  });

  it('fields cannot run into each other', () => {
    const a = { ...base, reason: 'AB', message: 'C' };
    const b = { ...base, reason: 'A', message: 'BC' };
    expect(eventDedupKey(a)).not.toBe(eventDedupKey(b));
  });
});

describe('mergeDuplicateEvent', () => {
  it('increments count and moves lastTimestamp; name, firstTimestamp and eventTime stay', () => {
    const merged = mergeDuplicateEvent(base, { ...base, eventTime: '2026-11-29T00:09:00.000001Z' }, '2026-11-29T00:09:00Z');
    expect(merged).toEqual({ ...base, count: 5, lastTimestamp: '2026-11-29T00:09:00Z' });
  });

  it('counts a stored event without count as 1', () => {
    expect(mergeDuplicateEvent({ ...base, count: undefined }, base, 'x').count).toBe(2);
  });
});

describe('eventName', () => {
  it('is `<name>.<UnixNano in hex>` like client-go, 16 hex digits for current dates', () => {
    const ms = Date.UTC(2026, 10, 29, 0, 34, 36, 123) + 0.5;
    const expectedNanos = BigInt(Date.UTC(2026, 10, 29, 0, 34, 36, 123)) * 1_000_000n + 500_000n;
    expect(eventName('web', ms)).toBe(`web.${expectedNanos.toString(16)}`);
    expect(eventName('web', ms)).toMatch(/^web\.[0-9a-f]{16}$/);
    expect(eventName('web', ms, 1)).toBe(`web.${(expectedNanos + 1n).toString(16)}`);
  });
});
