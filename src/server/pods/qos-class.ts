import type { Container, Pod } from '../../api/types.js';

type Quantities = Record<string, string | number> | undefined;

const tracked = ['cpu', 'memory'];

function nonZero(q: Quantities, r: string): boolean {
  const v = q?.[r];
  return v !== undefined && v !== '0' && v !== 0;
}

/**
 * The pod's QoS class as the API server sets it at create (qos.GetPodQOS,
 * simplified to cpu/memory and textual quantity comparison).
 */
export function qosClass(pod: Pod): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const containers: Container[] = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let anySet = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = c.resources?.requests as Quantities;
    const limits = c.resources?.limits as Quantities;
    for (const r of tracked) {
      if (nonZero(requests, r) || nonZero(limits, r)) anySet = true;
      if (!nonZero(limits, r)) guaranteed = false;
      else if (requests?.[r] !== undefined && String(requests[r]) !== String(limits![r])) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
