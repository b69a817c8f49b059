import type { Pod } from '../api/types.js';
import type { Clock } from '../clock/clock.js';
import type { HookContext, HookDeps } from '../lifecycle/hook-runner.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { ContainerRecord } from './container-record.js';
import type { Recorder } from './recorder.js';

/** What the start and kill paths need from their pod worker. */
export interface PodContext {
  /** The latest pod object (spec, deletion fields). */
  pod(): Pod;
  runtime: ContainerRuntime;
  clock: Clock;
  recorder: Recorder;
  podIP: string;
  /** False once the worker is detached (agent stopping or restarting): act no further. */
  alive(): boolean;
  /** Publishes the pod status after a record changed. */
  statusChanged(): void;
  hookContext(rec: ContainerRecord): HookContext;
  hookDeps(): HookDeps;
  /** Resolves when the runtime reports the instance exited (immediately if it has). */
  exited(rec: ContainerRecord, id: string): Promise<void>;
  /** Records the SIGKILL on the timeline once per instance (from the runtime's report, or inferred). */
  noteSigkill(rec: ContainerRecord, id: string, atMs: number, inferred: boolean): void;
}

/** The version the kubelet reports in `User-Agent: kube-lifecycle/<major>.<minor>` (R1.5). */
export const KUBELET_VERSION = '1.32';

/** The narrow view of a pod a hook needs (STYLE.md 3: not the whole Pod). */
export function hookContextOf(pod: Pod, rec: ContainerRecord, podIP: string): HookContext {
  return {
    podName: pod.metadata.name ?? '',
    podNamespace: pod.metadata.namespace ?? 'default',
    podUid: pod.metadata.uid ?? '',
    podIP,
    containerName: rec.name,
    containerId: rec.id ?? '',
    containerPorts: rec.spec.ports ?? [],
  };
}
