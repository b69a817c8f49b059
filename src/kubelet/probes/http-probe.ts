/**
 * pkg/probe/http DoHTTPProbe: the request is the hook runner's
 * (NewRequestForHTTPGetAction with the `probe` User-Agent); the status code
 * decides: 200–399 succeed, 3xx (a redirect the prober stopped at) with a
 * warning, anything else fails.
 */
import type { ContainerPort, HTTPGetAction } from '../../api/types.js';
import { CONTEXT_CANCELED } from '../../lifecycle/hook-messages.js';
import { buildHttpTarget } from '../../lifecycle/http-request.js';
import { probeHttpDo } from './probe-http-client.js';
import { httpRedirectWarning, httpStatusFailure, probeUserAgent } from './probe-messages.js';
import type { ProbeAttempt, ProbeDeps } from './probe-types.js';

export async function runHttpProbe(
  get: HTTPGetAction,
  podIP: string,
  ports: readonly ContainerPort[],
  timeoutSeconds: number,
  deps: ProbeDeps,
  signal?: AbortSignal,
): Promise<ProbeAttempt> {
  const built = buildHttpTarget(
    get,
    { podIP, podUid: '', podName: '', podNamespace: '', containerPorts: ports },
    probeUserAgent(deps.kubeletVersion),
  );
  if (!built.ok) return { outcome: 'error', output: built.error };

  const r = await probeHttpDo(built.target, timeoutSeconds * 1000, deps.clock, signal);
  switch (r.kind) {
    case 'canceled':
      return { outcome: 'error', output: CONTEXT_CANCELED };
    case 'request-error':
      // "Convert errors into failures to catch timeouts."
      return { outcome: 'failure', output: r.error };
    case 'body-error':
      return { outcome: 'error', output: r.error };
    case 'response':
      if (r.statusCode >= 200 && r.statusCode < 400) {
        return r.statusCode >= 300
          ? { outcome: 'warning', output: httpRedirectWarning(r.body) }
          : { outcome: 'success', output: r.body };
      }
      return { outcome: 'failure', output: httpStatusFailure(r.statusCode) };
  }
}
