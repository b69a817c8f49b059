import type { CoreEvent } from '../../api/types.js';
import { column, type RowData, type TableColumn } from './table.js';
import { microTimestampSince, timestampSince } from './human-duration.js';

/** The real server's order (contract §7); priority-1 columns show with `-o wide`. */
export const eventColumns: TableColumn[] = [
  column('Last Seen', 'Time when this Event was last observed.'),
  column('Type', "Type of this event (Normal, Warning), new types could be added in the future."),
  column('Reason', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
  column('Object', 'The object that this event is about.'),
  column('Subobject', 'The subobject (field path) of the object this event is about.', 1),
  column('Source', 'The component reporting this event.', 1),
  column('Message', 'A human-readable description of the status of this operation.'),
  column('First Seen', 'The time at which the event was first recorded.', 1),
  column('Count', 'The number of times this event has occurred.', 1, 'integer'),
  column('Name', 'Name must be unique within a namespace.', 1, 'string', 'name'),
];

/** Upstream `printEvent`, wide. */
export function eventRow(e: CoreEvent, nowMs: number): RowData {
  const first = e.firstTimestamp ? timestampSince(e.firstTimestamp, nowMs) : microTimestampSince(e.eventTime, nowMs);
  const last = e.lastTimestamp ? timestampSince(e.lastTimestamp, nowMs) : first;
  const kind = (e.involvedObject.kind ?? '').toLowerCase();
  const target = e.involvedObject.name ? `${kind}/${e.involvedObject.name}` : kind;
  return {
    cells: [
      last,
      e.type,
      e.reason,
      target,
      e.involvedObject.fieldPath ?? '',
      eventSource(e),
      (e.message ?? '').trim(),
      first,
      e.count || 1,
      e.metadata.name ?? '',
    ],
  };
}

function eventSource(e: CoreEvent): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  if (!component && !instance) return '';
  return instance ? `${component}, ${instance}` : component;
}
