import type { CoreEvent } from '../api/types.js';

/**
 * client-go's event correlator (`getEventKey` in tools/record/events_cache.go):
 * two events are the same occurrence when source, involved object, type,
 * reason and message all match. A NUL separator keeps fields from running
 * into each other (client-go joins with "", which can collide).
 */
export function eventDedupKey(event: CoreEvent): string {
  const o = event.involvedObject;
  return [
    event.source?.component,
    event.source?.host,
    o.kind,
    o.namespace,
    o.name,
    o.fieldPath,
    o.uid,
    o.apiVersion,
    event.type,
    event.reason,
    event.message,
  ]
    .map((part) => part ?? '')
    .join('\u0000');
}

/**
 * The stored event after a duplicate arrives. client-go then PATCHes only
 * `count`, `lastTimestamp` and `message`; the name, firstTimestamp and
 * eventTime of the first occurrence stay.
 */
export function mergeDuplicateEvent(existing: CoreEvent, incoming: CoreEvent, lastTimestamp: string): CoreEvent {
  return {
    ...existing,
    count: (existing.count ?? 1) + 1,
    lastTimestamp,
    message: incoming.message,
  };
}
