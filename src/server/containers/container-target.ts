import type { ContainerStatus, Pod } from '../../api/types.js';
import { badRequest } from '../http/api-error.js';

/** Every container name of a pod in the API server's visiting order: init, regular, ephemeral. */
function allContainerNames(pod: Pod): string[] {
  return [
    ...(pod.spec.initContainers ?? []).map((c) => c.name),
    ...pod.spec.containers.map((c) => c.name),
    ...(pod.spec.ephemeralContainers ?? []).map((c) => c.name),
  ];
}

/**
 * The API server's validateContainer for log and exec: an omitted container
 * is the only one; otherwise it must name one of the pod's containers.
 */
export function resolveContainerName(pod: Pod, container: string | null): string {
  const podName = pod.metadata.name ?? '';
  if (!container) {
    if (pod.spec.containers.length === 1) return pod.spec.containers[0]!.name;
    if (pod.spec.containers.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
    throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${allContainerNames(pod).join(' ')}]`);
  }
  if (!allContainerNames(pod).includes(container)) throw badRequest(`container ${container} is not valid for pod ${podName}`);
  return container;
}

export function containerStatus(pod: Pod, name: string): ContainerStatus | undefined {
  const s = pod.status ?? {};
  const ephemeral = (s as { ephemeralContainerStatuses?: ContainerStatus[] }).ephemeralContainerStatuses;
  return [...(s.containerStatuses ?? []), ...(s.initContainerStatuses ?? []), ...(ephemeral ?? [])].find((c) => c.name === name);
}

/** A runtime container reference `<runtime>://<id>` split in two. */
export function parseContainerID(containerID: string): { runtime: string; id: string } | undefined {
  const m = /^([^:]+):\/\/(.+)$/.exec(containerID);
  return m ? { runtime: m[1]!, id: m[2]! } : undefined;
}

/**
 * Which container instance `kubectl logs` reads: the kubelet's
 * validateContainerLogStatus, with its exact messages.
 */
export function logContainerID(pod: Pod, name: string, previous: boolean): string {
  const podName = pod.metadata.name ?? '';
  const status = containerStatus(pod, name);
  if (!status) throw badRequest(`container "${name}" in pod "${podName}" is not available`);
  const last = status.lastState?.terminated;
  const { waiting, running, terminated } = status.state ?? {};
  if (previous) {
    if (!last?.containerID) throw badRequest(`previous terminated container "${name}" in pod "${podName}" not found`);
    return last.containerID;
  }
  if (running) {
    if (status.containerID) return status.containerID;
  } else if (terminated) {
    if (terminated.containerID) return terminated.containerID;
    if (status.containerID) return status.containerID;
    if (last?.containerID) return last.containerID;
    throw badRequest(`container "${name}" in pod "${podName}" is terminated`);
  } else if (last) {
    if (!last.containerID) throw badRequest(`container "${name}" in pod "${podName}" is terminated`);
    return last.containerID;
  } else if (waiting) {
    throw badRequest(`container "${name}" in pod "${podName}" is waiting to start: ${waiting.reason ?? ''}`);
  }
  throw badRequest(`container "${name}" in pod "${podName}" is waiting to start - no logs yet`);
}
