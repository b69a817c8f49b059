/**
 * The lifecycle hook runner (pkg/kubelet/lifecycle/handlers.go Run). It
 * returns a result and never throws; the caller decides which event to
 * record (FailedPostStartHook, FailedPreStopHook).
 */
import type { LifecycleHandler } from '../api/types.js';
import { runExecHook } from './exec-hook.js';
import {
  execFailureMessage,
  httpFailureMessage,
  invalidHandlerError,
  invalidHandlerMessage,
  sleepFailureMessage,
} from './hook-messages.js';
import type { HookContext, HookDeps, HookResult } from './hook-types.js';
import { runHttpHook } from './http-hook.js';
import { runSleepHook } from './sleep-hook.js';

export type { HookContext, HookDeps, HookKind, HookResult } from './hook-types.js';

/**
 * R1.1: exec, then httpGet, then sleep; the first one set runs. Anything
 * else (a lone tcpSocket, an empty handler) fails as invalid.
 * `signal` stands for the kubelet's context: aborting it ends a sleep
 * (R1.9), an exec wait or an HTTP request still in flight.
 */
export async function runHook(
  handler: LifecycleHandler | null | undefined,
  ctx: HookContext,
  deps: HookDeps,
  signal?: AbortSignal,
): Promise<HookResult> {
  try {
    if (handler?.exec) return await runExecHook(handler.exec, ctx, deps.runtime, signal);
    if (handler?.httpGet) return await runHttpHook(handler.httpGet, ctx, deps, signal);
    if (handler?.sleep) return await runSleepHook(handler.sleep, ctx, deps.clock, signal);
    const error = invalidHandlerError(handler);
    return { ok: false, kind: 'invalid', message: invalidHandlerMessage(error), error };
  } catch (e) {
    // Only a bug or a misbehaving dependency gets here; still a result, never a throw.
    const error = e instanceof Error ? e.message : String(e);
    if (handler?.exec) return { ok: false, kind: 'exec', message: execFailureMessage(ctx, handler.exec.command, error, ''), error };
    if (handler?.httpGet) return { ok: false, kind: 'httpGet', message: httpFailureMessage(ctx, handler.httpGet.path, error), error };
    if (handler?.sleep) return { ok: false, kind: 'sleep', message: sleepFailureMessage(ctx, handler.sleep.seconds, error), error };
    return { ok: false, kind: 'invalid', message: invalidHandlerMessage(error), error };
  }
}
