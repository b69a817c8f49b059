import type { ContainerRuntime } from '../../runtime/container-runtime.js';
import { badRequest } from '../http/api-error.js';
import { containerStatus, parseContainerID, resolveContainerName } from '../containers/container-target.js';
import { mustGetPod } from '../pods/pod-read.js';
import type { ServerContext } from '../server-context.js';

export interface ExecRequest {
  runtime: ContainerRuntime;
  containerId: string;
  argv: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

function flag(v: string | null): boolean {
  return v === 'true' || v === '1';
}

/**
 * Checks an exec request before any upgrade (contract §15): the same Status
 * goes to the WebSocket GET and to kubectl's SPDY fallback POST, since the
 * user sees the latter's.
 */
export function resolveExec(ctx: ServerContext, namespace: string, name: string, query: URLSearchParams): ExecRequest {
  const pod = mustGetPod(ctx, namespace, name);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    throw badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  }
  const container = resolveContainerName(pod, query.get('container'));
  const argv = query.getAll('command');
  if (argv.length === 0) throw badRequest('you must specify at least 1 command');
  const status = containerStatus(pod, container);
  const ref = status?.state?.running && status.containerID ? parseContainerID(status.containerID) : undefined;
  if (!ref || !ctx.runtime || ref.runtime !== ctx.runtime.name) {
    throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
  }
  const stdout = flag(query.get('stdout'));
  const stderr = flag(query.get('stderr'));
  const stdin = flag(query.get('stdin'));
  if (!stdout && !stderr && !stdin) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return { runtime: ctx.runtime, containerId: ref.id, argv, stdin, stdout, stderr, tty: flag(query.get('tty')) };
}
