import type { TimelineEntry } from '../../store/pod-store.js';
import { methodNotAllowed, notFound, pathNotFound } from '../http/api-error.js';
import type { ApiRequest } from '../http/api-request.js';
import { jsonResponse, type ApiResponse } from '../http/api-response.js';
import { podObject } from '../pods/pod-fields.js';
import type { ServerContext } from '../server-context.js';

export const timelineGroupVersion = 'hooklet.dev/v1';

/** `/apis/hooklet.dev/v1/namespaces/{ns}/pods/{name}/timeline` → namespace and pod name. */
export function parseTimelinePath(path: string): { namespace: string; name: string } | undefined {
  const m = /^\/apis\/hooklet\.dev\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/timeline\/?$/.exec(path);
  return m ? { namespace: m[1]!, name: m[2]! } : undefined;
}

/**
 * hooklet's extension (README "Timeline API"): the millisecond timeline of one
 * pod. `?uid=` picks one incarnation; by default the live pod's, or, once it
 * is gone, the most recent one recorded under that name. The live pod (if
 * any) comes along so the CLI can render verdicts against its spec.
 */
export function timelineRoute(ctx: ServerContext, req: ApiRequest): ApiResponse {
  const target = parseTimelinePath(req.path);
  if (!target) throw pathNotFound();
  if (req.method !== 'GET') throw methodNotAllowed(req.method);
  const pod = ctx.store.getPod(target.namespace, target.name);
  const all = ctx.store.listTimeline(target.namespace, target.name);
  const uid = req.query.get('uid') || pod?.metadata.uid || latestUid(all);
  if (!pod && all.length === 0) throw notFound('pods', target.name);
  const items = uid ? all.filter((e) => e.podUid === uid) : all;
  return jsonResponse(200, {
    kind: 'TimelineEntryList',
    apiVersion: timelineGroupVersion,
    metadata: {},
    items,
    pods: pod && (!uid || pod.metadata.uid === uid) ? [podObject(pod)] : [],
  });
}

function latestUid(entries: TimelineEntry[]): string | undefined {
  let best: TimelineEntry | undefined;
  for (const e of entries) if (!best || e.timeMs >= best.timeMs) best = e;
  return best?.podUid;
}
