/**
 * pkg/probe/exec through the runtime's ExecSync, as prober.go runs it:
 * the command's `$(VAR)` references expanded from the container's plain env
 * values, the probe's timeout handed to the runtime, stdout then stderr as
 * the output (at most 10 KiB).
 */
import type { EnvVar, ExecAction } from '../../api/types.js';
import { execOrCancel } from '../../lifecycle/exec-hook.js';
import { RuntimeError } from '../../runtime/container-runtime.js';
import { expand } from '../container-config.js';
import { execTimedOut } from './probe-messages.js';
import type { ProbeAttempt, ProbeDeps } from './probe-types.js';

/** exec.go maxReadLength. */
export const MAX_EXEC_OUTPUT_BYTES = 10 * 1024;

/** What grpc-go reports when the caller gives up on ExecSync (the worker stopped). */
const EXEC_CANCELED = 'rpc error: code = Canceled desc = context canceled';

/** kubecontainer.ExpandContainerCommandOnlyStatic. */
export function expandProbeCommand(command: readonly string[], env: readonly EnvVar[] | undefined): string[] {
  const values: Record<string, string> = {};
  for (const e of env ?? []) values[e.name] = e.value ?? '';
  return command.map((arg) => expand(arg, values));
}

export async function runExecProbe(
  action: ExecAction,
  containerId: string,
  env: readonly EnvVar[] | undefined,
  timeoutSeconds: number,
  deps: ProbeDeps,
  signal?: AbortSignal,
): Promise<ProbeAttempt> {
  const argv = expandProbeCommand(action.command ?? [], env);
  // An abort only stops the wait; the command is left to the runtime's own timeout.
  const outcome = await execOrCancel(deps.runtime, containerId, argv, timeoutSeconds * 1000, signal);
  if ('canceled' in outcome) return { outcome: 'error', output: EXEC_CANCELED };
  if ('thrown' in outcome) {
    const e = outcome.thrown;
    // The runtime contract words a deadline exactly as cri-client does; that
    // is a probe failure (ExecProbeTimeout), any other exec trouble an error.
    if (e instanceof RuntimeError && e.reason === 'ExecFailed' && e.message === `command ${JSON.stringify(argv.join(' '))} timed out`) {
      return { outcome: 'failure', output: execTimedOut(argv) };
    }
    return { outcome: 'error', output: e instanceof Error ? e.message : String(e) };
  }
  const { exitCode, stdout, stderr } = outcome.result;
  // ioutils.LimitWriter keeps the first bytes; a cut rune is shown as U+FFFD.
  const output = Buffer.from(stdout + stderr, 'utf8').subarray(0, MAX_EXEC_OUTPUT_BYTES).toString('utf8');
  return { outcome: exitCode === 0 ? 'success' : 'failure', output };
}
