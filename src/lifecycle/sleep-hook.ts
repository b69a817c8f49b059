import type { SleepAction } from '../api/types.js';
import { SLEEP_TERMINATED_ERROR, sleepFailureMessage } from './hook-messages.js';
import type { HookContext, HookDeps, HookResult } from './hook-types.js';

/**
 * R1.9. Waits on the clock only: like the kubelet, it does not notice the
 * container dying, only the caller's signal.
 */
export async function runSleepHook(
  action: SleepAction,
  ctx: HookContext,
  clock: HookDeps['clock'],
  signal?: AbortSignal,
): Promise<HookResult> {
  const seconds = action.seconds;
  if (seconds <= 0) return { ok: true, kind: 'sleep', detail: 'slept 0s' };
  try {
    await clock.sleep(seconds * 1000, signal);
  } catch {
    return {
      ok: false,
      kind: 'sleep',
      message: sleepFailureMessage(ctx, seconds, SLEEP_TERMINATED_ERROR),
      error: SLEEP_TERMINATED_ERROR,
    };
  }
  return { ok: true, kind: 'sleep', detail: `slept ${seconds}s` };
}
