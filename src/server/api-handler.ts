import { hasValidBearer } from './auth/bearer-auth.js';
import {
  aggregatedCoreDiscovery,
  aggregatedDiscoveryContentType,
  aggregatedGroupsDiscovery,
  coreV1ResourceList,
  legacyApiGroupList,
  legacyApiVersions,
  openapiV3CoreV1,
  openapiV3Index,
  versionInfo,
} from './discovery/discovery-documents.js';
import { eventRoutes } from './events/event-routes.js';
import { badRequest, methodNotAllowed, pathNotFound, unauthorized } from './http/api-error.js';
import type { ApiRequest } from './http/api-request.js';
import { jsonResponse, textResponse, type ApiResponse } from './http/api-response.js';
import { wantsAggregatedDiscovery } from './http/media-type.js';
import type { ApiHandler } from './http/node-adapter.js';
import { statusResponse } from './http/node-adapter.js';
import { toApiError } from './http/to-api-error.js';
import { podLog } from './logs/log-routes.js';
import { namespaceRoutes } from './namespaces/namespace-routes.js';
import { podRoutes } from './pods/pod-routes.js';
import { parseResourcePath } from './resource-path.js';
import type { ServerContext } from './server-context.js';
import { timelineRoute } from './timeline/timeline-routes.js';

export interface ApiHandlerOptions {
  /** Bearer token every request must carry (except health checks). Undefined: no authentication. */
  token?: string;
}

const healthPaths = new Set(['/healthz', '/livez', '/readyz']);
/** The methods that may decode, default and validate a Pod (ServerContext.admission). */
const admittingMethods = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The whole REST surface as one function from request to response, with
 * every failure turned into a Status. Runs in tests without a port; the
 * daemon puts it behind https.
 */
export function createApiHandler(ctx: ServerContext, options: ApiHandlerOptions = {}): ApiHandler {
  return async (req) => {
    try {
      if (healthPaths.has(req.path)) return textResponse(200, 'ok');
      if (options.token !== undefined && !hasValidBearer(req.headers['authorization'], options.token)) throw unauthorized();
      if (ctx.admissionReady && admittingMethods.has(req.method)) await ctx.admissionReady;
      return route(ctx, req);
    } catch (err) {
      return statusResponse(toApiError(err));
    }
  };
}

function route(ctx: ServerContext, req: ApiRequest): ApiResponse {
  const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
  const accept = req.headers['accept'];
  switch (path) {
    case '/version':
      return jsonResponse(200, versionInfo());
    case '/api': {
      const v = wantsAggregatedDiscovery(accept);
      return v ? jsonResponse(200, aggregatedCoreDiscovery(v), aggregatedDiscoveryContentType(v)) : jsonResponse(200, legacyApiVersions(ctx.serverAddress));
    }
    case '/apis': {
      const v = wantsAggregatedDiscovery(accept);
      return v ? jsonResponse(200, aggregatedGroupsDiscovery(v), aggregatedDiscoveryContentType(v)) : jsonResponse(200, legacyApiGroupList());
    }
    case '/api/v1':
      return jsonResponse(200, coreV1ResourceList());
    case '/openapi/v3':
      return jsonResponse(200, openapiV3Index());
    case '/openapi/v3/api/v1':
      return jsonResponse(200, openapiV3CoreV1());
  }
  if (path.startsWith('/apis/hooklet.dev/')) return timelineRoute(ctx, { ...req, path });
  const resource = parseResourcePath(path);
  if (!resource) throw pathNotFound();
  switch (resource.resource) {
    case 'pods':
      if (resource.subresource === 'log' && resource.namespace && resource.name) {
        return podLog(ctx, req, resource.namespace, resource.name);
      }
      if (resource.subresource === 'exec' || resource.subresource === 'attach') {
        if (req.method !== 'GET' && req.method !== 'POST') throw methodNotAllowed(req.method);
        throw badRequest('Upgrade request required');
      }
      return podRoutes(ctx, req, resource);
    case 'events':
      return eventRoutes(ctx, req, resource);
    case 'namespaces':
      if (resource.namespace === undefined) return namespaceRoutes(ctx, req, resource.name);
      throw pathNotFound();
    default:
      throw pathNotFound();
  }
}
