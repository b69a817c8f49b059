import { methodNotAllowed, notFound } from '../http/api-error.js';
import type { ApiRequest } from '../http/api-request.js';
import { jsonResponse, type ApiResponse } from '../http/api-response.js';
import type { ServerContext } from '../server-context.js';

/**
 * Namespaces are implicit in hooklet (any name works, as contract §17 allows);
 * GET answers with a synthetic Active namespace so clients that check for one
 * (e.g. `kubectl get ns`) see those in use plus `default`.
 */
export function namespaceRoutes(ctx: ServerContext, req: ApiRequest, name: string | undefined): ApiResponse {
  if (req.method !== 'GET') throw methodNotAllowed(req.method);
  const names = new Set(['default']);
  for (const p of ctx.store.listPods().items) names.add(p.metadata.namespace ?? 'default');
  for (const e of ctx.store.listEvents().items) names.add(e.metadata.namespace ?? 'default');
  const ns = (n: string): unknown => ({
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: { name: n, labels: { 'kubernetes.io/metadata.name': n } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  if (name !== undefined) {
    if (!names.has(name)) throw notFound('namespaces', name);
    return jsonResponse(200, ns(name));
  }
  return jsonResponse(200, { kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: [...names].sort().map(ns) });
}
