import type { Pod } from '../../api/types.js';
import { badRequest, methodNotAllowed, pathNotFound } from '../http/api-error.js';
import type { ApiRequest } from '../http/api-request.js';
import { jsonResponse, type ApiResponse } from '../http/api-response.js';
import { readBody, readObjectBody } from '../http/read-body.js';
import { patchObject, patchTypeOf } from '../patch/patch-object.js';
import type { ResourcePath } from '../resource-path.js';
import type { ServerContext } from '../server-context.js';
import { conflict } from '../http/api-error.js';
import { deletePod, deletePods } from './pod-delete.js';
import { podObject } from './pod-fields.js';
import { getPod, listPods, mustGetPod } from './pod-read.js';
import { createPod, patchPod, replacePod, writeStatus } from './pod-write.js';

/** Dispatches the pods resource and its `status` subresource (log and exec route elsewhere). */
export function podRoutes(ctx: ServerContext, req: ApiRequest, path: ResourcePath): ApiResponse {
  const { namespace, name, subresource } = path;
  const m = req.method;
  if (name === undefined) {
    if (m === 'GET') return listPods(ctx, req, namespace, path.watchPrefix);
    if (namespace === undefined) throw methodNotAllowed(m);
    if (m === 'POST') return createPod(ctx, req, namespace);
    if (m === 'DELETE') return deletePods(ctx, req, namespace);
    throw methodNotAllowed(m);
  }
  if (namespace === undefined) throw pathNotFound();
  if (subresource === undefined) {
    if (m === 'GET') return getPod(ctx, req, namespace, name);
    if (m === 'PUT') return replacePod(ctx, req, namespace, name);
    if (m === 'PATCH') return patchPod(ctx, req, namespace, name);
    if (m === 'DELETE') return deletePod(ctx, req, namespace, name);
    throw methodNotAllowed(m);
  }
  if (subresource === 'status') return statusRoutes(ctx, req, namespace, name);
  throw pathNotFound();
}

/** GET/PUT/PATCH …/pods/NAME/status: only `status` changes. */
function statusRoutes(ctx: ServerContext, req: ApiRequest, namespace: string, name: string): ApiResponse {
  const old = mustGetPod(ctx, namespace, name);
  switch (req.method) {
    case 'GET':
      return jsonResponse(200, podObject(old));
    case 'PUT': {
      const body = readObjectBody(req) as unknown as Pod;
      const rv = body.metadata?.resourceVersion;
      if (rv && rv !== old.metadata.resourceVersion) {
        throw conflict('pods', name, 'the object has been modified; please apply your changes to the latest version and try again');
      }
      return writeStatus(ctx, old, body.status);
    }
    case 'PATCH': {
      const patched = patchObject(patchTypeOf(req.headers['content-type']), podObject(old), readBody(req)) as Pod | null;
      if (!patched || typeof patched !== 'object') throw badRequest('the patch did not produce an object');
      return writeStatus(ctx, old, patched.status);
    }
    default:
      throw methodNotAllowed(req.method);
  }
}
