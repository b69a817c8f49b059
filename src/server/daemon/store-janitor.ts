import type { Clock } from '../../clock/clock.js';
import type { ExpireOutcome, PodStore } from '../../store/pod-store.js';

/** How often the daemon forgets expired events and old timelines. */
export const JANITOR_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Runs `store.expire()` after `firstMs` and then every `everyMs`, so a
 * long-lived daemon's store stays bounded (and with it the integrity check
 * at every open). Returns the stop function. A failure is reported and the
 * next round still comes.
 */
export function startStoreJanitor(
  store: PodStore,
  clock: Clock,
  opts: { firstMs: number; everyMs?: number; onExpired?: (o: ExpireOutcome) => void; onError?: (err: unknown) => void },
): () => void {
  let cancel: () => void = () => undefined;
  let stopped = false;
  const round = (): void => {
    if (stopped) return;
    try {
      const outcome = store.expire();
      if (outcome.events > 0 || outcome.podTimelines > 0) opts.onExpired?.(outcome);
    } catch (err) {
      opts.onError?.(err);
    }
    if (!stopped) cancel = clock.setTimer(opts.everyMs ?? JANITOR_INTERVAL_MS, round);
  };
  cancel = clock.setTimer(opts.firstMs, round);
  return () => {
    stopped = true;
    cancel();
  };
}
