import type { Container, Pod } from '../api/types.js';
import type { ContainerConfig } from '../runtime/container-runtime.js';
import { constants } from 'node:os';

/** A container spec the runtime cannot be given (CreateContainerConfigError). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * generateContainerConfig: env with fieldRef values and $(VAR) expansion in
 * env values, command and args (as the kubelet does), and the stop signal.
 */
export function containerConfig(pod: Pod, c: Container, attempt: number, podIP: string, nodeName: string, baseEnv: Record<string, string>): ContainerConfig {
  const env: Record<string, string> = { ...baseEnv, HOSTNAME: pod.metadata.name ?? '' };
  for (const e of c.env ?? []) {
    if (e.value !== undefined) {
      env[e.name] = expand(e.value, env);
    } else if (e.valueFrom?.fieldRef) {
      env[e.name] = fieldRefValue(pod, e.valueFrom.fieldRef.fieldPath, podIP, nodeName);
    } else if (e.valueFrom) {
      throw new ConfigError(`env ${e.name}: only value and fieldRef are supported by hooklet (configMapKeyRef, secretKeyRef and resourceFieldRef need a cluster)`);
    } else {
      env[e.name] = '';
    }
  }
  return {
    podUid: pod.metadata.uid ?? '',
    podName: pod.metadata.name ?? '',
    podNamespace: pod.metadata.namespace ?? 'default',
    name: c.name,
    attempt,
    image: c.image ?? '',
    command: (c.command ?? []).map((s) => expand(s, env)),
    args: (c.args ?? []).map((s) => expand(s, env)),
    env,
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    stopSignal: stopSignalOf(c),
  };
}

export function stopSignalOf(c: Container): NodeJS.Signals {
  const s = c.lifecycle?.stopSignal;
  if (!s) return 'SIGTERM';
  if (!(s in constants.signals)) {
    throw new ConfigError(`stop signal ${s} is not supported on this machine`);
  }
  return s as NodeJS.Signals;
}

function fieldRefValue(pod: Pod, path: string, podIP: string, nodeName: string): string {
  const m = pod.metadata;
  switch (path) {
    case 'metadata.name': return m.name ?? '';
    case 'metadata.namespace': return m.namespace ?? 'default';
    case 'metadata.uid': return m.uid ?? '';
    case 'status.podIP': return podIP;
    case 'status.podIPs': return podIP;
    case 'status.hostIP': return podIP;
    case 'status.hostIPs': return podIP;
    case 'spec.nodeName': return pod.spec.nodeName ?? nodeName;
    case 'spec.serviceAccountName': return pod.spec.serviceAccountName ?? 'default';
  }
  const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (label) {
    const map = label[1] === 'labels' ? m.labels : m.annotations;
    return map?.[label[2]!] ?? '';
  }
  throw new ConfigError(`unsupported fieldRef ${path}`);
}

/**
 * Kubernetes $(VAR) expansion: defined names are replaced, undefined ones
 * are left as written, and $$ escapes a literal $.
 */
export function expand(input: string, env: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch === '$' && input[i + 1] === '$') {
      out += '$';
      i++;
    } else if (ch === '$' && input[i + 1] === '(') {
      const end = input.indexOf(')', i + 2);
      if (end < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, end);
      out += Object.prototype.hasOwnProperty.call(env, name) ? env[name] : input.slice(i, end + 1);
      i = end;
    } else {
      out += ch;
    }
  }
  return out;
}
