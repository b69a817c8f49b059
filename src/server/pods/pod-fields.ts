import type { Pod } from '../../api/types.js';

/** The pod field selectors the API server indexes (pkg/registry/core/pod PodToSelectableFields). */
export const podSelectableFields = [
  'metadata.name',
  'metadata.namespace',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.nominatedNodeName',
] as const;

export function podField(pod: Pod, field: string): string {
  switch (field) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.restartPolicy':
      return pod.spec.restartPolicy ?? '';
    case 'spec.schedulerName':
      return pod.spec.schedulerName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'spec.hostNetwork':
      return String(pod.spec.hostNetwork ?? false);
    case 'status.phase':
      return pod.status?.phase ?? '';
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.nominatedNodeName':
      return pod.status?.nominatedNodeName ?? '';
    default:
      return '';
  }
}

/** A Pod as the API returns it, with its kind. */
export function podObject(pod: Pod): Pod {
  return { apiVersion: 'v1', kind: 'Pod', ...pod };
}
