import type { ExecAction } from '../api/types.js';
import type { ExecResult } from '../runtime/container-runtime.js';
import { EXEC_CANCELED_ERROR, execExitError, execFailureMessage } from './hook-messages.js';
import type { HookContext, HookDeps, HookResult } from './hook-types.js';

/** How an ExecSync call ended: a result, a throw, or the caller gave up waiting. */
export type ExecOutcome = { result: ExecResult } | { thrown: unknown } | { canceled: true };

/**
 * R1.3/R1.4: the command runs through the runtime's ExecSync with no deadline
 * (timeout 0). The output is stdout followed by stderr, never interleaved.
 */
export async function runExecHook(
  action: ExecAction,
  ctx: HookContext,
  runtime: HookDeps['runtime'],
  signal?: AbortSignal,
): Promise<HookResult> {
  const command = action.command ?? [];
  const outcome = await execOrCancel(runtime, ctx.containerId, command, 0, signal);

  if ('canceled' in outcome) return failure(ctx, command, EXEC_CANCELED_ERROR, '');
  if ('thrown' in outcome) {
    const e = outcome.thrown;
    // The kubelet gets no output back when the CRI call itself fails.
    return failure(ctx, command, e instanceof Error ? e.message : String(e), '');
  }
  const { exitCode, stdout, stderr } = outcome.result;
  const output = stdout + stderr;
  if (exitCode !== 0) return failure(ctx, command, execExitError(command, exitCode, stderr), output);
  return { ok: true, kind: 'exec', detail: output };
}

function failure(ctx: HookContext, command: string[], error: string, output: string): HookResult {
  return { ok: false, kind: 'exec', message: execFailureMessage(ctx, command, error, output), error };
}

/**
 * The runtime's execSync takes no signal, so an abort only stops the wait, as
 * a cancelled CRI call does in the kubelet; the exec'd process is left to
 * the runtime (its own timeout, or it dies with the container). Shared with
 * the exec probe.
 */
export function execOrCancel(
  runtime: HookDeps['runtime'],
  id: string,
  command: string[],
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<ExecOutcome> {
  if (signal?.aborted) return Promise.resolve({ canceled: true });
  return new Promise<ExecOutcome>((resolve) => {
    const onAbort = (): void => resolve({ canceled: true });
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (o: ExecOutcome): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve(o);
    };
    let pending: Promise<ExecResult>;
    try {
      pending = runtime.execSync(id, command, timeoutMs);
    } catch (thrown) {
      done({ thrown });
      return;
    }
    pending.then(
      (result) => done({ result }),
      (thrown: unknown) => done({ thrown }),
    );
  });
}
