import type { Pod } from '../../api/types.js';
import { notFound } from '../http/api-error.js';
import type { ApiRequest } from '../http/api-request.js';
import { jsonResponse, type ApiResponse } from '../http/api-response.js';
import { wantsTable } from '../http/media-type.js';
import { listOptions, watchContentType, type ListOptions } from '../list-options.js';
import { matchesFields } from '../selectors/field-selector.js';
import { matchesLabels } from '../selectors/label-selector.js';
import type { ServerContext } from '../server-context.js';
import { podColumns, podRow } from '../table/pod-table.js';
import { buildTable, parseIncludeObject } from '../table/table.js';
import { watchResponse } from '../watch/watch-response.js';
import { podField, podObject, podSelectableFields } from './pod-fields.js';

const podKind = { apiVersion: 'v1', kind: 'Pod' };

export function mustGetPod(ctx: ServerContext, namespace: string, name: string): Pod {
  const pod = ctx.store.getPod(namespace, name);
  if (!pod) throw notFound('pods', name);
  return pod;
}

/** GET one pod: the Pod, or a one-row Table when kubectl asks for one. */
export function getPod(ctx: ServerContext, req: ApiRequest, namespace: string, name: string): ApiResponse {
  const pod = mustGetPod(ctx, namespace, name);
  const table = wantsTable(req.headers['accept']);
  if (table) {
    const now = ctx.clock.now();
    return jsonResponse(
      200,
      buildTable(podColumns, [pod], (p) => podRow(p, now), {
        version: table,
        includeObject: parseIncludeObject(req.query.get('includeObject')),
        resourceVersion: pod.metadata.resourceVersion,
      }, podKind),
    );
  }
  return jsonResponse(200, podObject(pod));
}

function selects(opts: ListOptions): (pod: Pod) => boolean {
  return (pod) =>
    matchesLabels(opts.labelSelector, pod.metadata.labels) &&
    matchesFields(opts.fieldSelector, (f) => podField(pod, f));
}

/** GET the collection: PodList, Table, or a watch stream. */
export function listPods(ctx: ServerContext, req: ApiRequest, namespace: string | undefined, watchPrefix: boolean): ApiResponse {
  const opts = listOptions(req, podSelectableFields, watchPrefix);
  const matches = (pod: Pod): boolean => (namespace === undefined || pod.metadata.namespace === namespace) && selects(opts)(pod);
  if (opts.watch) return watchPods(ctx, opts, namespace, matches);

  const { items, resourceVersion } = ctx.store.listPods(namespace);
  const selected = items.filter(matches);
  if (opts.table) {
    const now = ctx.clock.now();
    return jsonResponse(
      200,
      buildTable(podColumns, selected, (p) => podRow(p, now), {
        version: opts.table,
        includeObject: opts.includeObject,
        resourceVersion: String(resourceVersion),
      }, podKind),
    );
  }
  return jsonResponse(200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: String(resourceVersion) }, items: selected });
}

function watchPods(ctx: ServerContext, opts: ListOptions, namespace: string | undefined, matches: (p: Pod) => boolean): ApiResponse {
  return watchResponse<Pod>(
    {
      list: () => ctx.store.listPods(namespace),
      subscribe: (from, onEvent) => ctx.store.watchPods(from, onEvent),
    },
    {
      resourceVersion: opts.resourceVersion,
      sendInitialEvents: opts.sendInitialEvents,
      allowBookmarks: opts.allowWatchBookmarks,
      timeoutSeconds: opts.timeoutSeconds,
      matches,
      key: (p) => p.metadata.uid ?? `${p.metadata.namespace}/${p.metadata.name}`,
      render: (pod, index) => {
        if (!opts.table) return podObject(pod);
        const now = ctx.clock.now();
        return buildTable(podColumns, [pod], (p) => podRow(p, now), {
          version: opts.table,
          includeObject: opts.includeObject,
          resourceVersion: pod.metadata.resourceVersion,
          omitColumns: index > 0,
        }, podKind);
      },
      bookmark: (rv, annotations) => ({
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { resourceVersion: rv, ...(annotations ? { annotations } : {}) },
      }),
      contentType: watchContentType(opts.table),
      clock: ctx.clock,
      bookmarkIntervalMs: ctx.bookmarkIntervalMs,
    },
  );
}
