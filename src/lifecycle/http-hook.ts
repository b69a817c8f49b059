import type { HTTPGetAction } from '../api/types.js';
import { LIFECYCLE_HTTP_FALLBACK_REASON, httpFailureMessage, httpFallbackEventMessage } from './hook-messages.js';
import type { HookContext, HookDeps, HookResult } from './hook-types.js';
import { goHttpDo, type DoResult } from './http-client.js';
import { buildHttpTarget, lifecycleUserAgent } from './http-request.js';

/** The inner error that triggers R1.7 (handlers.go isHTTPResponseError). */
const SCHEME_MISMATCH = 'server gave HTTP response to HTTPS client';

function failure(ctx: HookContext, get: HTTPGetAction, error: string): HookResult {
  return { ok: false, kind: 'httpGet', message: httpFailureMessage(ctx, get.path, error), error };
}

function success(r: Extract<DoResult, { ok: true }>, note = ''): HookResult {
  return { ok: true, kind: 'httpGet', detail: `HTTP ${r.statusCode} ${r.statusMessage}`.trimEnd() + note };
}

/**
 * R1.5–R1.8. Any HTTP status is a success; only transport errors fail.
 * An HTTPS request answered in plain HTTP is retried once over HTTP without
 * the Authorization header; if that works the hook succeeds and a Warning
 * LifecycleHTTPFallback event goes on the Pod, else the HTTPS error stands.
 */
export async function runHttpHook(
  get: HTTPGetAction,
  ctx: HookContext,
  deps: HookDeps,
  signal?: AbortSignal,
): Promise<HookResult> {
  const built = buildHttpTarget(get, ctx, lifecycleUserAgent(deps.kubeletVersion));
  if (!built.ok) return failure(ctx, get, built.error);
  const target = built.target;

  const first = await goHttpDo(target, signal);
  if (first.ok) return success(first);
  if (first.canceled || !first.inner.includes(SCHEME_MISMATCH)) return failure(ctx, get, first.error);

  const header = target.header.clone();
  header.del('Authorization');
  const retry = await goHttpDo({ url: { ...target.url, scheme: 'http' }, host: target.host, header }, signal);
  if (!retry.ok) return failure(ctx, get, first.error);
  try {
    deps.recordPodEvent('Warning', LIFECYCLE_HTTP_FALLBACK_REASON, httpFallbackEventMessage(target.url.host));
  } catch {
    // Losing an event must not turn a successful hook into a failed one.
  }
  return success(retry, ' (after HTTPS→HTTP fallback)');
}
