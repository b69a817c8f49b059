/**
 * R1.5: the request a lifecycle httpGet sends, as pkg/probe/http/request.go
 * (NewRequestForHTTPGetAction) and pkg/probe/util.go (ResolveContainerPort)
 * build it. Pure: no I/O.
 */
import type { ContainerPort, HTTPGetAction } from '../api/types.js';
import { goQuote } from './format-go.js';
import { GoHeader } from './go-header.js';
import { formatGoUrl, goUrlString, joinHostPort, type GoUrl } from './go-url.js';

export interface HttpTarget {
  url: GoUrl;
  /** req.Host: the user's `Host` header, or "" to use the URL's host. */
  host: string;
  header: GoHeader;
}

export type TargetResult = { ok: true; target: HttpTarget } | { ok: false; error: string };

export interface TargetInputs {
  podIP: string;
  podUid: string;
  podName: string;
  podNamespace: string;
  containerPorts: readonly ContainerPort[];
}

export const DEFAULT_KUBELET_VERSION = '1.32';

/** `kube-lifecycle/<major>.<minor>` from "1.32" or "v1.32.4". */
export function lifecycleUserAgent(kubeletVersion = DEFAULT_KUBELET_VERSION): string {
  const m = /^v?(\d+)\.(\d+\+?)/.exec(kubeletVersion);
  return `kube-lifecycle/${m ? `${m[1]}.${m[2]}` : kubeletVersion}`;
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** strconv.Atoi, with its error texts. */
export function goAtoi(s: string): { ok: true; value: bigint } | { ok: false; error: string } {
  if (!/^[+-]?[0-9]+$/.test(s)) return { ok: false, error: `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax` };
  const value = BigInt(s);
  if (value > INT64_MAX || value < INT64_MIN) {
    return { ok: false, error: `strconv.Atoi: parsing ${goQuote(s)}: value out of range` };
  }
  return { ok: true, value };
}

/**
 * probe.ResolveContainerPort as of Kubernetes 1.32: a name is looked up
 * among the container's ports, then parsed as a number. (Upstream main
 * dropped the numeric fallback in 2026, kubernetes#139791, returning
 * `port "<name>" not found` instead.)
 */
export function resolveContainerPort(
  port: number | string | undefined,
  ports: readonly ContainerPort[],
): { ok: true; port: number } | { ok: false; error: string } {
  let value: bigint;
  if (typeof port === 'number') {
    value = BigInt(Number.isFinite(port) ? Math.trunc(port) : 0);
  } else {
    const name = port ?? '';
    // An unnamed port has name "" in Go, so an empty port string matches it.
    const named = ports.find((p) => (p.name ?? '') === name);
    if (named) {
      value = BigInt(named.containerPort);
    } else {
      const parsed = goAtoi(name);
      if (!parsed.ok) return parsed;
      value = parsed.value;
    }
  }
  if (value > 0n && value < 65536n) return { ok: true, port: Number(value) };
  return { ok: false, error: `invalid port number: ${value}` };
}

/** Characters url.Parse accepts in a host (net/url shouldEscape, encodeHost). */
const HOST_OK = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"\u0080-\uffff]$/u;

function hostError(url: string, host: string): string | undefined {
  for (const ch of host) {
    if (!HOST_OK.test(ch)) return `parse ${goQuote(url)}: invalid character ${goQuote(ch)} in host name`;
  }
  return undefined;
}

/** R1.5. Errors are returned as the kubelet returns them: unwrapped. */
export function buildHttpTarget(get: HTTPGetAction, inputs: TargetInputs, userAgent: string): TargetResult {
  const scheme = (get.scheme ?? '').toLowerCase() || 'http';

  let host = get.host ?? '';
  if (host === '') {
    if (inputs.podIP === '') {
      // Go prints the runtime PodStatus struct here; hooklet has no such struct, so this dump is approximate.
      return {
        ok: false,
        error: `failed to find networking container: &{${inputs.podUid} ${inputs.podName} ${inputs.podNamespace} [] [] []}`,
      };
    }
    host = inputs.podIP;
  }

  const port = resolveContainerPort(get.port, inputs.containerPorts);
  if (!port.ok) return port;

  const url = formatGoUrl(scheme, joinHostPort(host, port.port), get.path ?? '');
  const bad = url.host === '' ? undefined : hostError(goUrlString(url), host);
  if (bad) return { ok: false, error: bad };

  const header = new GoHeader();
  for (const h of get.httpHeaders ?? []) header.add(h.name, h.value);
  if (!header.has('User-Agent')) header.set('User-Agent', userAgent);
  if (!header.has('Accept')) header.set('Accept', '*/*');
  else if (header.get('Accept') === '') header.del('Accept');

  return { ok: true, target: { url, host: header.get('Host'), header } };
}
