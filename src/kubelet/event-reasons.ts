/**
 * Every event reason the engine records, in one place (the kubelet keeps its
 * own in pkg/kubelet/events/event.go). Messages are built beside each use.
 */
export const Reason = {
  Created: 'Created',
  Started: 'Started',
  Failed: 'Failed',
  Killing: 'Killing',
  FailedPostStartHook: 'FailedPostStartHook',
  FailedPreStopHook: 'FailedPreStopHook',
  BackOff: 'BackOff',
  FailedKillPod: 'FailedKillPod',
  LifecycleHTTPFallback: 'LifecycleHTTPFallback',
  // hooklet's own additions (the kubelet leaves signals to the runtime and records nothing):
  /** The stop signal was sent: which signal, and how long until SIGKILL. */
  StopSignalSent: 'StopSignalSent',
  /** The grace ran out and the runtime had to SIGKILL the container. */
  ForceKilled: 'ForceKilled',
} as const;

/** Container status waiting/terminated reasons (exact kubelet strings). */
export const ContainerReason = {
  ContainerCreating: 'ContainerCreating',
  PostStartHookError: 'PostStartHookError',
  CreateContainerError: 'CreateContainerError',
  CreateContainerConfigError: 'CreateContainerConfigError',
  RunContainerError: 'RunContainerError',
  CrashLoopBackOff: 'CrashLoopBackOff',
  Completed: 'Completed',
  Error: 'Error',
} as const;

/** The kubelet's kill reasons (containerKillReason). */
export type KillReason = 'StartupProbe' | 'LivenessProbe' | 'FailedPostStartHook' | 'Unknown';
