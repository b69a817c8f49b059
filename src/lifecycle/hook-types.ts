import type { ContainerPort } from '../api/types.js';
import type { Clock } from '../clock/clock.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';

/**
 * What a hook needs to know about its container. Deliberately not a Pod, so a
 * hook can be re-run after an agent restart from what the runtime remembers
 * (STYLE.md item 3).
 */
export interface HookContext {
  podName: string;
  podNamespace: string;
  podUid: string;
  /** Host default for httpGet (hooklet: 127.0.0.1). */
  podIP: string;
  containerName: string;
  /** Runtime id, for execSync. */
  containerId: string;
  /** For named httpGet ports. */
  containerPorts: ContainerPort[];
}

export interface HookDeps {
  runtime: Pick<ContainerRuntime, 'execSync'>;
  clock: Clock;
  /** Records an event on the Pod (used for LifecycleHTTPFallback, R1.7). */
  recordPodEvent(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** kubelet version for the default User-Agent `kube-lifecycle/<major>.<minor>`; defaults to "1.32". */
  kubeletVersion?: string;
}

export type HookKind = 'exec' | 'httpGet' | 'sleep';

/**
 * `message` is the kubelet's formatted failure text (R1.1, R1.4, R1.8, R1.9),
 * which goes to logs and the postStart container status, never to events.
 * `error` is the inner error text alone.
 */
export type HookResult =
  | { ok: true; kind: HookKind; detail?: string }
  | { ok: false; kind: HookKind | 'invalid'; message: string; error: string };
