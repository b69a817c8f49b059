import type { LogOptions } from '../../runtime/container-runtime.js';
import { RuntimeError } from '../../runtime/container-runtime.js';
import { ApiError, badRequest, methodNotAllowed } from '../http/api-error.js';
import type { ApiRequest } from '../http/api-request.js';
import type { ApiResponse } from '../http/api-response.js';
import { logContainerID, parseContainerID, resolveContainerName } from '../containers/container-target.js';
import { mustGetPod } from '../pods/pod-read.js';
import type { ServerContext } from '../server-context.js';

function flag(v: string | null): boolean {
  return v === 'true' || v === '1';
}

function positiveInt(req: ApiRequest, key: string, min: number): number | undefined {
  const v = req.query.get(key);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    throw new ApiError(422, 'Invalid', `PodLogOptions "" is invalid: ${key}: Invalid value: ${n}: must be ${min === 0 ? 'greater than or equal to 0' : 'greater than 0'}`);
  }
  return n;
}

/**
 * GET …/pods/NAME/log (contract §14): picks the container instance as the
 * kubelet does, then streams the runtime's log as text/plain. With `follow`
 * the response stays open until the container exits or the client leaves.
 */
export function podLog(ctx: ServerContext, req: ApiRequest, namespace: string, name: string): ApiResponse {
  if (req.method !== 'GET') throw methodNotAllowed(req.method);
  const pod = mustGetPod(ctx, namespace, name);
  const container = resolveContainerName(pod, req.query.get('container'));
  const containerID = logContainerID(pod, container, flag(req.query.get('previous')));
  const ref = parseContainerID(containerID);
  const runtime = ctx.runtime;
  if (!ref || !runtime || ref.runtime !== runtime.name) {
    throw badRequest(`container "${container}" in pod "${name}" is not available`);
  }
  const options: LogOptions = {};
  const tailLines = positiveInt(req, 'tailLines', 0);
  if (tailLines !== undefined) options.tailLines = tailLines;
  const limitBytes = positiveInt(req, 'limitBytes', 1);
  if (limitBytes !== undefined) options.limitBytes = limitBytes;
  const sinceSeconds = positiveInt(req, 'sinceSeconds', 1);
  const sinceTime = req.query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw badRequest('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (sinceSeconds !== undefined) options.sinceTime = ctx.clock.now() - sinceSeconds * 1000;
  if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) throw badRequest(`invalid sinceTime: ${JSON.stringify(sinceTime)}`);
    options.sinceTime = t;
  }
  if (flag(req.query.get('timestamps'))) options.timestamps = true;
  if (flag(req.query.get('follow'))) options.follow = true;

  return {
    status: 200,
    headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
    stream: async (sink) => {
      try {
        await runtime.logs(ref.id, { ...options, signal: sink.signal }, (chunk) => sink.write(chunk));
      } catch (err) {
        if (sink.signal.aborted) return;
        if (err instanceof RuntimeError && err.reason === 'NotFound') {
          throw badRequest(`container "${container}" in pod "${name}" is not available`);
        }
        throw err;
      }
    },
  };
}
