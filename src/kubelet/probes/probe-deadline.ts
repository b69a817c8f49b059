import type { Clock } from '../../clock/clock.js';
import { DEADLINE_EXCEEDED } from './probe-messages.js';

/**
 * One attempt's `timeoutSeconds` on the Clock, joined with the caller's
 * abort signal (the worker stopping). `expired` tells the timeout from a
 * cancellation, because the kubelet words the two differently.
 */
export class ProbeDeadline {
  private readonly controller = new AbortController();
  private readonly cancelTimer: () => void;
  private timedOut = false;

  constructor(
    clock: Clock,
    timeoutMs: number,
    private readonly outer?: AbortSignal,
  ) {
    this.cancelTimer = clock.setTimer(timeoutMs, () => {
      this.timedOut = true;
      this.controller.abort(new Error(DEADLINE_EXCEEDED));
    });
    if (outer?.aborted) this.controller.abort(outer.reason);
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.timedOut;
  }

  /** Releases the timer and the listener; the attempt is over. */
  dispose(): void {
    this.cancelTimer();
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }

  private readonly onOuterAbort = (): void => {
    this.controller.abort(this.outer?.reason);
  };
}

/** timeoutSeconds, defaulted as the API does (0 or absent → 1). */
export function probeTimeoutSeconds(timeoutSeconds: number | undefined): number {
  return timeoutSeconds && timeoutSeconds > 0 ? timeoutSeconds : 1;
}
