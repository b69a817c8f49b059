/**
 * pkg/probe/tcp: success iff a TCP connection opens within the timeout; the
 * dial error is the failure output. Dialing reuses the hook runner's
 * connect, which already words errors as Go's net package does.
 */
import type { ContainerPort, TCPSocketAction } from '../../api/types.js';
import { joinHostPort } from '../../lifecycle/go-url.js';
import { connect } from '../../lifecycle/http-connect.js';
import { resolveContainerPort } from '../../lifecycle/http-request.js';
import { ProbeDeadline } from './probe-deadline.js';
import { dialTimeout } from './probe-messages.js';
import type { ProbeAttempt, ProbeDeps } from './probe-types.js';

export async function runTcpProbe(
  action: TCPSocketAction,
  podIP: string,
  ports: readonly ContainerPort[],
  timeoutSeconds: number,
  deps: ProbeDeps,
  signal?: AbortSignal,
): Promise<ProbeAttempt> {
  const port = resolveContainerPort(action.port, ports);
  if (!port.ok) return { outcome: 'error', output: port.error };
  const host = action.host || podIP;

  const deadline = new ProbeDeadline(deps.clock, timeoutSeconds * 1000, signal);
  try {
    const r = await connect('http', host, port.port, deadline.signal);
    if (r.ok) {
      r.conn.destroy();
      return { outcome: 'success', output: '' };
    }
    if (r.canceled) {
      return deadline.expired
        ? { outcome: 'failure', output: dialTimeout(joinHostPort(host, port.port)) }
        : { outcome: 'error', output: r.error };
    }
    return { outcome: 'failure', output: r.error };
  } finally {
    deadline.dispose();
  }
}
