import type { Clock } from '../clock/clock.js';

/** R6.2 constants. */
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;
/** HasExpiredFunc override: an entry untouched for 10 minutes is forgotten. */
export const BACKOFF_RESET_MS = 600_000;

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

/**
 * flowcontrol.Backoff as the kubelet configures it (R6.3): no jitter,
 * doubling from 10 s to 300 s, keyed by pod uid + container name.
 */
export class CrashLoopBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly initialMs = INITIAL_BACKOFF_MS,
    private readonly maxMs = MAX_BACKOFF_MS,
  ) {}

  private expired(e: Entry, eventTimeMs: number): boolean {
    return eventTimeMs - e.lastUpdateMs > BACKOFF_RESET_MS;
  }

  /** IsInBackOffSince: true while now − finishedAt is inside the current back-off. */
  isInBackOffSince(key: string, finishedAtMs: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, finishedAtMs)) return false;
    return this.clock.now() - finishedAtMs < e.backoffMs;
  }

  /** The current back-off for `key` (for messages and for scheduling the retry). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Next: start at the initial value (or after expiry), else double up to the max. */
  next(key: string, finishedAtMs: number): void {
    const e = this.entries.get(key);
    const now = this.clock.now();
    if (!e || this.expired(e, finishedAtMs)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdateMs: now });
    } else {
      e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
      e.lastUpdateMs = now;
    }
  }

  forgetPod(podUid: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(`${podUid}/`)) this.entries.delete(k);
  }
}

/** Go's time.Duration.String() for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}
