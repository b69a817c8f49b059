import type { ContainerStatus, Pod, PodCondition } from '../../api/types.js';
import { column, type RowData, type TableColumn } from './table.js';
import { timestampSince } from './human-duration.js';

export const podColumns: TableColumn[] = [
  column('Name', 'Name must be unique within a namespace.', 0, 'string', 'name'),
  column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  column('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
  column('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
  column('Node', 'NodeName is a request to schedule this pod onto a specific node.', 1),
  column('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
  column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
];

const succeeded = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const failed = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

/**
 * The cells of upstream `printPod` (pkg/printers/internalversion): READY,
 * STATUS with the init/waiting/terminated/Terminating rules, RESTARTS with
 * "(X ago)", AGE, then the wide columns.
 */
export function podRow(pod: Pod, nowMs: number): RowData {
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  let reason: string = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initSpecs = new Map((pod.spec.initContainers ?? []).map((c) => [c.name, c]));
  const isSidecar = (name: string): boolean => initSpecs.get(name)?.restartPolicy === 'Always';
  let totalContainers = pod.spec.containers.length;
  for (const c of initSpecs.values()) if (c.restartPolicy === 'Always') totalContainers++;

  let restarts = 0;
  let sidecarRestarts = 0;
  let readyContainers = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, lastTerminatedAt(c));
    if (isSidecar(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, lastTerminatedAt(c));
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (isSidecar(c.name) && c.started) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      if (!terminated.reason) {
        reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
      } else reason = `Init:${terminated.reason}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.size}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, lastTerminatedAt(c));
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart > 0) {
    restartsCell = `${restarts} (${timestampSince(new Date(lastRestart).toISOString(), nowMs)} ago)`;
  }

  const podIP = status.podIPs?.[0]?.ip || '<none>';
  let readinessGates = '<none>';
  const gates = pod.spec.readinessGates ?? [];
  if (gates.length > 0) {
    let trueCount = 0;
    for (const g of gates) {
      const cond = (status.conditions ?? []).find((c) => c.type === g.conditionType);
      if (cond?.status === 'True') trueCount++;
    }
    readinessGates = `${trueCount}/${gates.length}`;
  }

  const row: RowData = {
    cells: [
      pod.metadata.name ?? '',
      `${readyContainers}/${totalContainers}`,
      reason,
      restartsCell,
      timestampSince(pod.metadata.creationTimestamp, nowMs),
      podIP,
      pod.spec.nodeName || '<none>',
      status.nominatedNodeName || '<none>',
      readinessGates,
    ],
  };
  if (phase === 'Succeeded') row.conditions = succeeded;
  else if (phase === 'Failed') row.conditions = failed;
  return row;
}

function lastTerminatedAt(c: ContainerStatus): number {
  const at = c.lastState?.terminated?.finishedAt;
  if (!at) return 0;
  const t = Date.parse(at);
  return Number.isNaN(t) ? 0 : t;
}

function conditionTrue(conditions: PodCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).find((c) => c.type === type)?.status === 'True';
}
