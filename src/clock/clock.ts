/**
 * The only source of time for the engine, hooks and runtimes. Durations are
 * milliseconds; `now()` is milliseconds since the Unix epoch (may be fractional
 * on the real clock so timelines keep sub-millisecond order).
 */
export interface Clock {
  now(): number;
  /**
   * Resolves after `ms`. Rejects with the signal's reason if `signal` aborts
   * first; the timer is released either way.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` once after `ms`; returns a cancel function (idempotent). */
  setTimer(ms: number, fn: () => void): () => void;
}

/** An AbortSignal's reason as an Error, for rejecting sleeps. */
export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new Error(String(r ?? 'aborted'));
}
