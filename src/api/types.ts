/**
 * core/v1 types hooklet consumes. The tree comes from the published
 * `kubernetes-types` package (1.30); fields newer than it are added here:
 * `lifecycle.stopSignal` (1.33, KEP-4960) and `containerStatuses[].stopSignal`.
 */
import type * as k8s from 'kubernetes-types/core/v1.js';
import type * as meta from 'kubernetes-types/meta/v1.js';

export type ObjectMeta = meta.ObjectMeta;
export type ExecAction = k8s.ExecAction;
export type HTTPGetAction = k8s.HTTPGetAction;
export type HTTPHeader = k8s.HTTPHeader;
export type SleepAction = k8s.SleepAction;
export type TCPSocketAction = k8s.TCPSocketAction;
export type LifecycleHandler = k8s.LifecycleHandler;
export type Probe = k8s.Probe;
export type ContainerPort = k8s.ContainerPort;
export type EnvVar = k8s.EnvVar;
export type ContainerState = k8s.ContainerState;
export type PodCondition = k8s.PodCondition;
export type ObjectReference = k8s.ObjectReference;

export interface Lifecycle extends k8s.Lifecycle {
  /** Signal sent by the runtime at stop (KEP-4960); requires spec.os.name. */
  stopSignal?: string;
}

export interface Container extends Omit<k8s.Container, 'lifecycle'> {
  lifecycle?: Lifecycle;
  /** Sidecar marker on init containers (`Always`). Present in 1.30 types, repeated for clarity. */
  restartPolicy?: string;
}

export interface EphemeralContainer extends Omit<k8s.EphemeralContainer, 'lifecycle'> {
  lifecycle?: Lifecycle;
}

export interface PodSpec extends Omit<k8s.PodSpec, 'containers' | 'initContainers' | 'ephemeralContainers'> {
  containers: Container[];
  initContainers?: Container[];
  ephemeralContainers?: EphemeralContainer[];
}

export interface ContainerStatus extends k8s.ContainerStatus {
  stopSignal?: string;
}

export interface PodStatus extends Omit<k8s.PodStatus, 'containerStatuses' | 'initContainerStatuses'> {
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
}

export interface Pod {
  apiVersion?: 'v1';
  kind?: 'Pod';
  metadata: ObjectMeta;
  spec: PodSpec;
  status?: PodStatus;
}

/** core/v1 Event as hooklet records it (with eventTime, microsecond precision). */
export interface CoreEvent {
  apiVersion?: 'v1';
  kind?: 'Event';
  metadata: ObjectMeta;
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
  action?: string;
}
