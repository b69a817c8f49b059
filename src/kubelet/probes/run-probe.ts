/**
 * One probe attempt (prober.go runProbe): the handler is chosen in the
 * kubelet's order, exec, httpGet, tcpSocket, grpc. Never throws.
 */
import type { Probe } from '../../api/types.js';
import { runExecProbe } from './exec-probe.js';
import { runGrpcProbe } from './grpc-probe.js';
import { runHttpProbe } from './http-probe.js';
import { probeTimeoutSeconds } from './probe-deadline.js';
import { MISSING_HANDLER } from './probe-messages.js';
import type { ProbeAttempt, ProbeDeps, ProbeTarget } from './probe-types.js';
import { runTcpProbe } from './tcp-probe.js';

export type { ProbeAttempt, ProbeDeps, ProbeOutcome, ProbeTarget, ProbeType } from './probe-types.js';

/**
 * `signal` abandons the attempt (the worker stopped); the result is then an
 * `error` that nobody should report. The timeout is the probe's own
 * `timeoutSeconds` (default 1), measured on `deps.clock`.
 */
export async function runProbe(probe: Probe, target: ProbeTarget, deps: ProbeDeps, signal?: AbortSignal): Promise<ProbeAttempt> {
  const timeoutSeconds = probeTimeoutSeconds(probe.timeoutSeconds);
  try {
    if (probe.exec) return await runExecProbe(probe.exec, target.containerId, target.env, timeoutSeconds, deps, signal);
    if (probe.httpGet) return await runHttpProbe(probe.httpGet, target.podIP, target.ports, timeoutSeconds, deps, signal);
    if (probe.tcpSocket) return await runTcpProbe(probe.tcpSocket, target.podIP, target.ports, timeoutSeconds, deps, signal);
    if (probe.grpc) return await runGrpcProbe(probe.grpc, target.podIP, timeoutSeconds, deps, signal);
    return { outcome: 'error', output: MISSING_HANDLER };
  } catch (e) {
    // A bug here must cost one attempt, not the worker.
    return { outcome: 'error', output: e instanceof Error ? e.message : String(e) };
  }
}
