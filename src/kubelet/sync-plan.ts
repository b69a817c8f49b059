import type { Pod } from '../api/types.js';
import type { ContainerRecord } from './container-record.js';

export type SyncStep =
  | { type: 'start'; rec: ContainerRecord; restart: boolean }
  | { type: 'backoff'; rec: ContainerRecord }
  | { type: 'retryLater'; rec: ContainerRecord; atMs: number }
  | { type: 'restartChanged'; rec: ContainerRecord }
  | { type: 'probeKill'; rec: ContainerRecord; reason: 'LivenessProbe' | 'StartupProbe' }
  | { type: 'killSidecars' };

export interface PlanInput {
  pod: Pod;
  records: ContainerRecord[];
  nowMs: number;
  /** R6.3 IsInBackOffSince for this container's last exit. */
  inBackOff(rec: ContainerRecord): boolean;
  /** When a failed create/start may be retried. */
  retryAtMs(rec: ContainerRecord): number | undefined;
}

/**
 * computePodActions, as a pure function: what to start, restart, refuse by
 * back-off, or kill, in the order the kubelet does it (init containers one
 * at a time, sidecars kept running, then the regular containers in order).
 */
export function planSync(input: PlanInput): SyncStep[] {
  const steps: SyncStep[] = [];
  const policy = input.pod.spec.restartPolicy ?? 'Always';
  const init = input.records.filter((r) => r.kind !== 'main');
  const main = input.records.filter((r) => r.kind === 'main');

  for (const r of init) {
    if (r.stopping) return steps;
    if (r.kind === 'sidecar') {
      // Sidecars are always restarted, whatever the pod policy (R5.3).
      if (r.phase === 'running' && r.probeFailure) steps.push({ type: 'probeKill', rec: r, reason: r.probeFailure });
      if (r.phase === 'running') continue;
      if (r.phase === 'starting') return steps;
      steps.push(startOrWait(r, input, r.phase === 'exited'));
      return steps;
    }
    if (r.phase === 'exited' && r.terminated?.exitCode === 0) continue;
    if (r.phase === 'running' || r.phase === 'starting') return steps;
    if (r.phase === 'exited') {
      if (policy === 'Never') return steps; // the pod has failed
      steps.push(startOrWait(r, input, true));
      return steps;
    }
    steps.push(startOrWait(r, input, false));
    return steps;
  }

  for (const r of main) {
    if (r.stopping) continue;
    if (r.phase === 'running' && r.startedSpecJson !== undefined && r.startedSpecJson !== JSON.stringify(r.spec)) {
      steps.push({ type: 'restartChanged', rec: r });
      continue;
    }
    // R7.2: after a definition change, a liveness failure, then a startup failure.
    if (r.phase === 'running' && r.probeFailure) {
      steps.push({ type: 'probeKill', rec: r, reason: r.probeFailure });
      continue;
    }
    if (r.phase === 'running' || r.phase === 'starting') continue;
    if (r.phase === 'exited') {
      if (!shouldRestart(policy, r)) continue;
      steps.push(startOrWait(r, input, true));
      continue;
    }
    steps.push(startOrWait(r, input, false));
  }

  const mainDone = main.length > 0 && main.every((r) => r.phase === 'exited' && !shouldRestart(policy, r));
  if (mainDone && init.some((r) => r.kind === 'sidecar' && (r.phase === 'running' || r.phase === 'starting'))) {
    steps.push({ type: 'killSidecars' });
  }
  return steps;
}

function startOrWait(r: ContainerRecord, input: PlanInput, restart: boolean): SyncStep {
  if (!restart || r.phase !== 'exited') {
    const at = input.retryAtMs(r);
    if (at !== undefined && at > input.nowMs) return { type: 'retryLater', rec: r, atMs: at };
    return { type: 'start', rec: r, restart };
  }
  return input.inBackOff(r) ? { type: 'backoff', rec: r } : { type: 'start', rec: r, restart };
}

/** R6.1 ShouldContainerBeRestarted for an exited container of a live pod. */
export function shouldRestart(policy: string, r: ContainerRecord): boolean {
  if (r.kind === 'sidecar') return true;
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && r.terminated?.exitCode === 0) return false;
  return true;
}

/** True when the pod has reached Succeeded/Failed: nothing runs and nothing will be restarted. */
export function podFinished(pod: Pod, records: ContainerRecord[]): boolean {
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (policy === 'Always') return false;
  const initFailed = records.some((r) => r.kind === 'init' && r.phase === 'exited' && r.terminated?.exitCode !== 0 && policy === 'Never');
  const main = records.filter((r) => r.kind === 'main');
  const mainDone = main.every((r) => r.phase === 'exited' && !shouldRestart(policy, r));
  const nothingRuns = records.every((r) => r.phase === 'exited' || (r.phase === 'waiting' && r.id === undefined));
  return (initFailed || mainDone) && nothingRuns;
}
