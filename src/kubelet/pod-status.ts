import { constants } from 'node:os';
import { rfc3339Seconds as rfc3339 } from '../api/rfc3339.js';
import type { ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from '../api/types.js';
import type { ContainerRecord, TerminatedInfo } from './container-record.js';

export interface StatusInput {
  pod: Pod;
  records: ContainerRecord[];
  runtimeName: string;
  podIP: string;
  startTimeMs: number;
  /** Previous status, to keep condition transition times stable. */
  previous?: PodStatus;
  nowMs: number;
}

/** The PodStatus the API server would show for these containers (kubelet generateAPIPodStatus). */
export function buildPodStatus(input: StatusInput): PodStatus {
  const { pod, records } = input;
  const init = records.filter((r) => r.kind !== 'main');
  const main = records.filter((r) => r.kind === 'main');
  const initStatuses = init.map((r) => containerStatus(r, input));
  const mainStatuses = main.map((r) => containerStatus(r, input));
  const phase = podPhase(pod, init, main);
  const initialized = init.every((r) => (r.kind === 'sidecar' ? r.phase === 'running' || r.restartCount > 0 || r.terminated !== undefined : r.terminated?.exitCode === 0));
  const containersReady = mainStatuses.length > 0 && mainStatuses.every((s) => s.ready) && init.filter((r) => r.kind === 'sidecar').every((r) => r.phase === 'running');
  const terminating = pod.metadata.deletionTimestamp != null;
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', true, input),
    condition('Initialized', initialized, input, initialized ? undefined : 'ContainersNotInitialized'),
    condition('Ready', containersReady && !terminating && phase === 'Running', input, containersReady ? undefined : 'ContainersNotReady'),
    condition('ContainersReady', containersReady, input, containersReady ? undefined : 'ContainersNotReady'),
    condition('PodScheduled', true, input),
  ];
  return {
    phase,
    conditions,
    hostIP: input.podIP,
    hostIPs: [{ ip: input.podIP }],
    podIP: input.podIP,
    podIPs: [{ ip: input.podIP }],
    startTime: rfc3339(input.startTimeMs),
    qosClass: 'BestEffort',
    ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: mainStatuses,
  };
}

function condition(type: string, ok: boolean, input: StatusInput, reason?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const prev = input.previous?.conditions?.find((c) => c.type === type);
  const lastTransitionTime = prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(input.nowMs);
  return { type, status, lastTransitionTime, ...(reason && !ok ? { reason } : {}) };
}

function terminatedState(t: TerminatedInfo): ContainerState {
  return {
    terminated: {
      exitCode: t.exitCode,
      ...(t.signal ? { signal: signalNumber(t.signal) } : {}),
      reason: t.reason,
      ...(t.message ? { message: t.message } : {}),
      startedAt: rfc3339(t.startedAt),
      finishedAt: rfc3339(t.finishedAt),
      containerID: t.containerID,
    },
  };
}

function containerStatus(r: ContainerRecord, input: StatusInput): ContainerStatus {
  let state: ContainerState;
  if (r.phase === 'running') {
    state = { running: { startedAt: rfc3339(r.startedAt ?? input.nowMs) } };
  } else if (r.phase === 'exited' && r.terminated && !r.waitingReason) {
    state = terminatedState(r.terminated);
  } else {
    state = { waiting: { reason: r.waitingReason ?? 'ContainerCreating', ...(r.waitingMessage ? { message: r.waitingMessage } : {}) } };
  }
  // Between instances the status shows the instance that just ended as lastState.
  const last = r.phase === 'exited' && r.waitingReason ? r.terminated : r.lastTerminated;
  const running = r.phase === 'running';
  return {
    name: r.name,
    state,
    lastState: last ? terminatedState(last) : {},
    ready: running && (r.probeReady ?? true),
    restartCount: r.restartCount,
    image: r.spec.image ?? '',
    imageID: '',
    ...(r.id ? { containerID: `${input.runtimeName}://${r.id}` } : {}),
    started: running && (r.probeStarted ?? true),
    stopSignal: r.stopSignal,
  };
}

/** kubelet getPhase for regular containers, with init containers first. */
function podPhase(pod: Pod, init: ContainerRecord[], main: ContainerRecord[]): string {
  const policy = pod.spec.restartPolicy ?? 'Always';
  for (const r of init) {
    if (r.kind === 'sidecar') continue;
    if (r.terminated && r.terminated.exitCode !== 0 && policy === 'Never') return 'Failed';
    if (r.terminated?.exitCode !== 0) return 'Pending';
  }
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const r of main) {
    if (r.phase === 'running') {
      running++;
    } else if (r.phase === 'starting') {
      // postStart in flight: not Running yet (R2.1); a restart counts as stopped.
      if (r.lastTerminated) stopped++;
      else waiting++;
    } else if (r.phase === 'exited' && r.terminated) {
      stopped++;
      if (r.terminated.exitCode === 0) succeeded++;
    } else if (r.lastTerminated || r.terminated) {
      stopped++;
    } else {
      waiting++;
    }
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'OnFailure') return 'Running';
    return 'Failed';
  }
  return 'Pending';
}

function signalNumber(sig: NodeJS.Signals): number {
  return constants.signals[sig] ?? 0;
}
