import type { Container, LifecycleHandler, Pod } from '../../../api/types.js';

export type HookName = 'postStart' | 'preStop';

/** A container that may carry lifecycle hooks, with its field path. */
export interface HookContainer {
  container: Container;
  path: string;
  /** A restartable init container (`restartPolicy: Always`). */
  sidecar: boolean;
  /** Index in spec.containers (undefined for sidecars). */
  index?: number;
}

export interface Hook extends HookContainer {
  hook: HookName;
  handler: LifecycleHandler;
  /** Path of the handler, e.g. `spec.containers[0].lifecycle.preStop`. */
  handlerPath: string;
}

/**
 * Regular containers and sidecars: the containers whose hooks run. Plain init
 * containers may not have hooks (validation V1) and ephemeral ones never run them.
 */
export function hookContainers(pod: Pod): HookContainer[] {
  const out: HookContainer[] = [];
  (pod.spec.initContainers ?? []).forEach((container, i) => {
    if (container.restartPolicy === 'Always') out.push({ container, path: `spec.initContainers[${i}]`, sidecar: true });
  });
  (pod.spec.containers ?? []).forEach((container, i) => {
    out.push({ container, path: `spec.containers[${i}]`, sidecar: false, index: i });
  });
  return out;
}

export function podHooks(pod: Pod): Hook[] {
  const out: Hook[] = [];
  for (const c of hookContainers(pod)) {
    for (const hook of ['postStart', 'preStop'] as const) {
      const handler = c.container.lifecycle?.[hook];
      if (handler) out.push({ ...c, hook, handler, handlerPath: `${c.path}.lifecycle.${hook}` });
    }
  }
  return out;
}

/** The grace period the kubelet uses on deletion (R3.1): the spec value, 30 by default. */
export function gracePeriodSeconds(pod: Pod): number {
  const g = pod.spec.terminationGracePeriodSeconds;
  return typeof g === 'number' ? g : 30;
}

/**
 * The handler the kubelet would run (R1.1 order: exec, httpGet, sleep), or
 * tcpSocket when that is all there is (it then fails at run time).
 */
export function handlerKind(h: LifecycleHandler): 'exec' | 'httpGet' | 'sleep' | 'tcpSocket' | undefined {
  if (h.exec) return 'exec';
  if (h.httpGet) return 'httpGet';
  if (h.sleep) return 'sleep';
  if (h.tcpSocket) return 'tcpSocket';
  return undefined;
}
