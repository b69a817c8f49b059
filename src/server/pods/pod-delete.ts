import type { Pod } from '../../api/types.js';
import { badRequest, conflict } from '../http/api-error.js';
import type { ApiRequest } from '../http/api-request.js';
import { jsonResponse, type ApiResponse } from '../http/api-response.js';
import { readBody } from '../http/read-body.js';
import { listOptions } from '../list-options.js';
import { matchesFields } from '../selectors/field-selector.js';
import { matchesLabels } from '../selectors/label-selector.js';
import type { ServerContext } from '../server-context.js';
import { podField, podObject, podSelectableFields } from './pod-fields.js';
import { mustGetPod } from './pod-read.js';

interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

/**
 * DeleteOptions from the body (where kubectl puts them, contract §11) or the
 * query (`gracePeriodSeconds`, as curl and some clients send it).
 */
function deleteOptions(req: ApiRequest): DeleteOptions {
  const body = readBody(req) as Record<string, unknown> | null;
  const opts: DeleteOptions = { dryRun: req.query.getAll('dryRun').includes('All') };
  const fromBody = body && typeof body === 'object' ? body['gracePeriodSeconds'] : undefined;
  const fromQuery = req.query.get('gracePeriodSeconds');
  const grace = fromBody ?? (fromQuery !== null && fromQuery !== '' ? Number(fromQuery) : undefined);
  if (grace !== undefined && grace !== null) {
    if (typeof grace !== 'number' || !Number.isInteger(grace)) throw badRequest(`invalid gracePeriodSeconds: ${JSON.stringify(grace)}`);
    opts.gracePeriodSeconds = grace;
  }
  const pre = body && typeof body === 'object' ? body['preconditions'] : undefined;
  if (pre && typeof pre === 'object') opts.preconditions = pre as DeleteOptions['preconditions'];
  if (body && typeof body === 'object' && Array.isArray(body['dryRun']) && (body['dryRun'] as unknown[]).includes('All')) opts.dryRun = true;
  return opts;
}

function checkPreconditions(pod: Pod, pre: DeleteOptions['preconditions']): void {
  const name = pod.metadata.name ?? '';
  if (pre?.uid && pre.uid !== pod.metadata.uid) {
    throw conflict('pods', name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== pod.metadata.resourceVersion) {
    throw conflict('pods', name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${pod.metadata.resourceVersion ?? ''}`);
  }
}

function deleteOne(ctx: ServerContext, pod: Pod, opts: DeleteOptions): Pod {
  checkPreconditions(pod, opts.preconditions);
  if (opts.dryRun) return pod;
  const outcome = ctx.store.deletePod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', opts.gracePeriodSeconds, new Date(ctx.clock.now()));
  return outcome.pod;
}

/**
 * DELETE …/pods/NAME: graceful delete as R4.1 (the store decides). Answers 200
 * with the pod: terminating (deletionTimestamp set) or, when removed now, its
 * last state. kubectl then waits for the DELETED event.
 */
export function deletePod(ctx: ServerContext, req: ApiRequest, namespace: string, name: string): ApiResponse {
  const opts = deleteOptions(req);
  const pod = mustGetPod(ctx, namespace, name);
  return jsonResponse(200, podObject(deleteOne(ctx, pod, opts)));
}

/** DELETE …/pods (deletecollection) with label/field selectors. */
export function deletePods(ctx: ServerContext, req: ApiRequest, namespace: string | undefined): ApiResponse {
  const opts = deleteOptions(req);
  const sel = listOptions(req, podSelectableFields);
  const { items, resourceVersion } = ctx.store.listPods(namespace);
  const out: Pod[] = [];
  for (const pod of items) {
    if (!matchesLabels(sel.labelSelector, pod.metadata.labels)) continue;
    if (!matchesFields(sel.fieldSelector, (f) => podField(pod, f))) continue;
    out.push(deleteOne(ctx, pod, opts));
  }
  return jsonResponse(200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: String(resourceVersion) }, items: out });
}
