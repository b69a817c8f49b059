import type { CoreEvent } from '../../api/types.js';
import { badRequest, methodNotAllowed, notFound, pathNotFound } from '../http/api-error.js';
import type { ApiRequest } from '../http/api-request.js';
import { jsonResponse, type ApiResponse } from '../http/api-response.js';
import { wantsTable } from '../http/media-type.js';
import { readObjectBody } from '../http/read-body.js';
import { toApiError } from '../http/to-api-error.js';
import { listOptions, watchContentType, type ListOptions } from '../list-options.js';
import type { ResourcePath } from '../resource-path.js';
import { matchesFields } from '../selectors/field-selector.js';
import { matchesLabels } from '../selectors/label-selector.js';
import type { ServerContext } from '../server-context.js';
import { eventColumns, eventRow } from '../table/event-table.js';
import { buildTable, parseIncludeObject } from '../table/table.js';
import { watchResponse } from '../watch/watch-response.js';

/** The event field selectors of the API server (pkg/registry/core/event ToSelectableFields). */
export const eventSelectableFields = [
  'metadata.name',
  'metadata.namespace',
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
] as const;

export function eventField(e: CoreEvent, field: string): string {
  const io = e.involvedObject;
  switch (field) {
    case 'metadata.name':
      return e.metadata.name ?? '';
    case 'metadata.namespace':
      return e.metadata.namespace ?? '';
    case 'involvedObject.kind':
      return io.kind ?? '';
    case 'involvedObject.namespace':
      return io.namespace ?? '';
    case 'involvedObject.name':
      return io.name ?? '';
    case 'involvedObject.uid':
      return io.uid ?? '';
    case 'involvedObject.apiVersion':
      return io.apiVersion ?? '';
    case 'involvedObject.resourceVersion':
      return io.resourceVersion ?? '';
    case 'involvedObject.fieldPath':
      return io.fieldPath ?? '';
    case 'reason':
      return e.reason ?? '';
    case 'reportingComponent':
      return e.reportingComponent ?? '';
    case 'source':
      return e.source?.component ?? '';
    case 'type':
      return e.type ?? '';
    default:
      return '';
  }
}

const eventKind = { apiVersion: 'v1', kind: 'Event' };

function eventObject(e: CoreEvent): CoreEvent {
  return { apiVersion: 'v1', kind: 'Event', ...e };
}

/** core/v1 events: list (Table for `get events`, EventList for `kubectl events` and describe), get, watch, create. */
export function eventRoutes(ctx: ServerContext, req: ApiRequest, path: ResourcePath): ApiResponse {
  const { namespace, name, subresource } = path;
  if (subresource !== undefined) throw pathNotFound();
  if (name === undefined) {
    if (req.method === 'GET') return listEvents(ctx, req, namespace, path.watchPrefix);
    if (req.method === 'POST' && namespace !== undefined) return createEvent(ctx, req, namespace);
    throw methodNotAllowed(req.method);
  }
  if (namespace === undefined) throw pathNotFound();
  if (req.method !== 'GET') throw methodNotAllowed(req.method);
  const event = ctx.store.listEvents(namespace).items.find((e) => e.metadata.name === name);
  if (!event) throw notFound('events', name);
  const table = wantsTable(req.headers['accept']);
  if (table) {
    const now = ctx.clock.now();
    return jsonResponse(200, buildTable(eventColumns, [event], (e) => eventRow(e, now), {
      version: table,
      includeObject: parseIncludeObject(req.query.get('includeObject')),
      resourceVersion: event.metadata.resourceVersion,
    }, eventKind));
  }
  return jsonResponse(200, eventObject(event));
}

function selects(opts: ListOptions, namespace: string | undefined): (e: CoreEvent) => boolean {
  return (e) =>
    (namespace === undefined || e.metadata.namespace === namespace) &&
    matchesLabels(opts.labelSelector, e.metadata.labels) &&
    matchesFields(opts.fieldSelector, (f) => eventField(e, f));
}

function listEvents(ctx: ServerContext, req: ApiRequest, namespace: string | undefined, watchPrefix: boolean): ApiResponse {
  const opts = listOptions(req, eventSelectableFields, watchPrefix);
  const matches = selects(opts, namespace);
  if (opts.watch) {
    return watchResponse<CoreEvent>(
      { list: () => ctx.store.listEvents(namespace), subscribe: (from, on) => ctx.store.watchEvents(from, on) },
      {
        resourceVersion: opts.resourceVersion,
        sendInitialEvents: opts.sendInitialEvents,
        allowBookmarks: opts.allowWatchBookmarks,
        timeoutSeconds: opts.timeoutSeconds,
        matches,
        key: (e) => `${e.metadata.namespace}/${e.metadata.name}`,
        render: (e, index) => {
          if (!opts.table) return eventObject(e);
          const now = ctx.clock.now();
          return buildTable(eventColumns, [e], (x) => eventRow(x, now), {
            version: opts.table,
            includeObject: opts.includeObject,
            resourceVersion: e.metadata.resourceVersion,
            omitColumns: index > 0,
          }, eventKind);
        },
        bookmark: (rv, annotations) => ({ kind: 'Event', apiVersion: 'v1', metadata: { resourceVersion: rv, ...(annotations ? { annotations } : {}) } }),
        contentType: watchContentType(opts.table),
        clock: ctx.clock,
        bookmarkIntervalMs: ctx.bookmarkIntervalMs,
      },
    );
  }
  const { items, resourceVersion } = ctx.store.listEvents(namespace);
  const selected = items.filter(matches);
  if (opts.table) {
    const now = ctx.clock.now();
    return jsonResponse(200, buildTable(eventColumns, selected, (e) => eventRow(e, now), {
      version: opts.table,
      includeObject: opts.includeObject,
      resourceVersion: String(resourceVersion),
    }, eventKind));
  }
  return jsonResponse(200, { kind: 'EventList', apiVersion: 'v1', metadata: { resourceVersion: String(resourceVersion) }, items: selected });
}

function createEvent(ctx: ServerContext, req: ApiRequest, namespace: string): ApiResponse {
  const body = readObjectBody(req) as unknown as CoreEvent;
  if (!body.involvedObject || typeof body.involvedObject !== 'object') {
    throw badRequest('Event in version "v1" cannot be handled as a Event: involvedObject is required');
  }
  if (body.metadata?.namespace && body.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const event: CoreEvent = { ...body, metadata: { ...(body.metadata ?? {}), namespace } };
  delete event.apiVersion;
  delete event.kind;
  try {
    return jsonResponse(201, eventObject(ctx.store.recordEvent(event)));
  } catch (err) {
    throw toApiError(err, { resource: 'events', name: event.metadata.name ?? '' });
  }
}
