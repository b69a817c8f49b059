import { abortReason, type Clock } from './clock.js';

interface Pending {
  at: number;
  seq: number;
  fire: () => void;
}

/**
 * Deterministic clock for engine tests. Time moves only through `advance`,
 * which fires due timers in time order and lets promise continuations run
 * between them, so code awaiting a sleep observes the time it expects.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const entry: Pending = { at: this.current + Math.max(0, ms), seq: this.seq++, fire: fn };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = (): void => {
        cancel();
        reject(abortReason(signal!));
      };
      const cancel = this.setTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Number of timers not yet fired. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Time of the next timer, if any. */
  nextAt(): number | undefined {
    return this.pending.reduce<number | undefined>((m, p) => (m === undefined || p.at < m ? p.at : m), undefined);
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way
   * (including timers created by callbacks), each at its own instant.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flush();
    for (;;) {
      const due = this.pending
        .filter((p) => p.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.current = Math.max(this.current, due.at);
      due.fire();
      await flush();
    }
    this.current = target;
    await flush();
  }

  /** Lets pending promise continuations and I/O-free microtasks run. */
  async settle(): Promise<void> {
    await flush();
  }
}

async function flush(): Promise<void> {
  // Several macrotask turns so chains of awaits (and setImmediate-based code
  // in fakes) reach their next timer before time moves on.
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}
