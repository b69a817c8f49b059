import type { Pod } from '../../api/types.js';
import { StoreError } from '../../store/pod-store.js';
import { badRequest, notFound } from '../http/api-error.js';
import type { ApiRequest } from '../http/api-request.js';
import { jsonResponse, type ApiResponse } from '../http/api-response.js';
import { bodyJson, readBody } from '../http/read-body.js';
import { toApiError } from '../http/to-api-error.js';
import { patchObject, patchTypeOf } from '../patch/patch-object.js';
import type { ServerContext } from '../server-context.js';
import { admitCreate, admitUpdate, decodePod, fieldValidation, podDecodePrefix } from './pod-admit.js';
import { podObject } from './pod-fields.js';
import { mustGetPod } from './pod-read.js';

function dryRun(req: ApiRequest): boolean {
  return req.query.getAll('dryRun').includes('All');
}

/** `Warning: 299 - "<text>"` headers, which kubectl prints as `Warning: <text>`. */
export function warningHeaders(warnings: string[]): Record<string, string> {
  if (warnings.length === 0) return {};
  return { warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
}

function withWarnings(status: number, body: unknown, warnings: string[]): ApiResponse {
  const r = jsonResponse(status, body);
  Object.assign(r.headers, warningHeaders(warnings));
  return r;
}

/** POST …/pods → 201 with the stored pod (contract §9). */
export function createPod(ctx: ServerContext, req: ApiRequest, namespace: string): ApiResponse {
  const { pod, warnings } = admitCreate(ctx, bodyJson(req), namespace, fieldValidation(req.query.get('fieldValidation')));
  if (dryRun(req)) return withWarnings(201, podObject(pod), warnings);
  try {
    return withWarnings(201, podObject(ctx.store.createPod(pod)), warnings);
  } catch (err) {
    throw toApiError(err, { resource: 'pods', name: pod.metadata.name ?? '' });
  }
}

/** PUT …/pods/NAME. */
export function replacePod(ctx: ServerContext, req: ApiRequest, namespace: string, name: string): ApiResponse {
  const { pod, warnings } = decodePod(ctx, bodyJson(req), fieldValidation(req.query.get('fieldValidation')), podDecodePrefix);
  const old = mustGetPod(ctx, namespace, name);
  const next = admitUpdate(ctx, pod, old);
  if (dryRun(req)) return withWarnings(200, podObject(next), warnings);
  try {
    return withWarnings(200, podObject(ctx.store.updatePod(next, pod.metadata.resourceVersion)), warnings);
  } catch (err) {
    throw toApiError(err, { resource: 'pods', name });
  }
}

/**
 * PATCH …/pods/NAME: strategic merge (kubectl apply), merge, JSON patch, or
 * server-side apply (upsert). Retried on a concurrent write unless the patch
 * itself pins a resourceVersion, as the API server's GuaranteedUpdate does.
 */
export function patchPod(ctx: ServerContext, req: ApiRequest, namespace: string, name: string): ApiResponse {
  const type = patchTypeOf(req.headers['content-type']);
  const patch = readBody(req);
  const validation = fieldValidation(req.query.get('fieldValidation'));
  for (let attempt = 0; ; attempt++) {
    const live = ctx.store.getPod(namespace, name);
    if (!live) {
      // Server-side apply is an upsert: the applied configuration creates the pod.
      if (type !== 'apply' || patch === null || typeof patch !== 'object') throw notFound('pods', name);
      return createPod(ctx, { ...req, body: Buffer.from(JSON.stringify(patch)), headers: { ...req.headers, 'content-type': 'application/json' } }, namespace);
    }
    const patched = patchObject(type, podObject(live), patch);
    if (patched === null || typeof patched !== 'object' || Array.isArray(patched)) throw badRequest('the patch did not produce an object');
    const { pod, warnings } = decodePod(ctx, JSON.stringify(patched), validation, '');
    const pinnedRV = pod.metadata.resourceVersion !== live.metadata.resourceVersion ? pod.metadata.resourceVersion : undefined;
    const next = admitUpdate(ctx, pod, live);
    if (dryRun(req)) return withWarnings(200, podObject(next), warnings);
    try {
      return withWarnings(200, podObject(ctx.store.updatePod(next, pinnedRV ?? live.metadata.resourceVersion)), warnings);
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'Conflict' && pinnedRV === undefined && attempt < 5) continue;
      throw toApiError(err, { resource: 'pods', name });
    }
  }
}

/** The pod after a status write through the status subresource. */
export function writeStatus(ctx: ServerContext, old: Pod, status: Pod['status']): ApiResponse {
  const updated = ctx.store.updatePodStatus(old.metadata.namespace ?? '', old.metadata.name ?? '', old.metadata.uid ?? '', status ?? {});
  if (!updated) throw toApiError(new StoreError('Conflict', 'gone'), { resource: 'pods', name: old.metadata.name ?? '' });
  return jsonResponse(200, podObject(updated));
}
