/**
 * The probe module's contract with the engine: one attempt (`runProbe`) and
 * a periodic worker per container and probe type (`ProbeWorker`).
 */
import type { ContainerPort, EnvVar } from '../../api/types.js';
import type { Clock } from '../../clock/clock.js';
import type { ContainerRuntime } from '../../runtime/container-runtime.js';

export type ProbeType = 'liveness' | 'readiness' | 'startup';

/**
 * One attempt's outcome, as pkg/probe's Result plus the error return:
 * `warning` is a success with something to report (a redirect the prober
 * would not follow); `error` means the prober itself could not run the probe
 * (bad port, exec machinery failure) and the worker throws the result away.
 */
export type ProbeOutcome = 'success' | 'failure' | 'warning' | 'error';

/** `output` is the probe's output text, or the error text for `error`. */
export interface ProbeAttempt {
  outcome: ProbeOutcome;
  output: string;
}

/** What a probe needs to know about its container. */
export interface ProbeTarget {
  /** Runtime id, for exec probes. */
  containerId: string;
  /** Default host for httpGet and tcpSocket, and the gRPC host (hooklet: 127.0.0.1). */
  podIP: string;
  /** For named ports. */
  ports: ContainerPort[];
  /**
   * The container's env entries, for `$(VAR)` in exec probe commands
   * (kubelet ExpandContainerCommandOnlyStatic: plain `value`s only; a
   * `valueFrom` entry expands to "").
   */
  env?: EnvVar[];
}

export interface ProbeDeps {
  runtime: Pick<ContainerRuntime, 'execSync'>;
  clock: Clock;
  /** For the User-Agent `kube-probe/<major>.<minor>`; defaults to "1.32". */
  kubeletVersion?: string;
}
