import { StoreError, type WatchEvent, type WatchType } from './pod-store.js';

/** One committed write as watchers see it; the object is kept serialised so every delivery is a fresh copy. */
export interface Change {
  resourceVersion: number;
  type: WatchType;
  json: string;
}

export interface WatchHubOptions {
  /** How many changes are kept for replay (the API server's watch cache keeps a window too). */
  capacity: number;
  /** Replay is complete for any fromRV >= floor: no change above it has been dropped. */
  floor?: number;
  /** Changes recovered from disk, oldest first. */
  seed?: Change[];
  /** Told about a watcher callback that threw; the hub and the other watchers carry on. */
  onWatcherError: (err: unknown) => void;
}

interface Watcher<T> {
  /** Highest resourceVersion already delivered (or skipped as "before the watch"). */
  lastRV: number;
  onEvent: (e: WatchEvent<T>) => void;
  active: boolean;
}

/**
 * Fan-out of committed changes of one kind to watchers, with a bounded replay
 * window. Delivery is synchronous and strictly in resourceVersion order, even
 * when a callback writes to the store or starts another watch: such nested
 * changes are queued and delivered after the current one.
 */
export class WatchHub<T> {
  private readonly capacity: number;
  private readonly onWatcherError: (err: unknown) => void;
  private readonly window: Change[] = [];
  private floorRV: number;
  private readonly queue: Change[] = [];
  private delivering = false;
  private readonly watchers = new Set<Watcher<T>>();

  constructor(options: WatchHubOptions) {
    this.capacity = Math.max(1, Math.floor(options.capacity));
    this.onWatcherError = options.onWatcherError;
    this.floorRV = options.floor ?? 0;
    for (const change of options.seed ?? []) this.append(change);
  }

  /** The smallest fromRV that can still be replayed. */
  get floor(): number {
    return this.floorRV;
  }

  /** The change the next publish will drop from the window, so a durable copy can be pruned in the same transaction. */
  nextEviction(): Change | undefined {
    return this.window.length >= this.capacity ? this.window[0] : undefined;
  }

  /** Call after the write has committed. */
  publish(change: Change): void {
    this.append(change);
    this.queue.push(change);
    this.drain();
  }

  /**
   * fromRV undefined: changes after `currentRV` only. fromRV a number: every
   * change after it (replayed synchronously before this returns), then live.
   * A fromRV above `currentRV` waits for changes beyond it.
   */
  watch(fromRV: number | undefined, currentRV: number, onEvent: (e: WatchEvent<T>) => void): () => void {
    const watcher: Watcher<T> = { lastRV: fromRV ?? currentRV, onEvent, active: true };
    if (fromRV !== undefined) {
      if (fromRV < this.floorRV) {
        throw new StoreError('Gone', `too old resource version: ${fromRV} (${this.floorRV})`);
      }
      const wasDelivering = this.delivering;
      // Writes made by the callback during replay queue up behind it.
      this.delivering = true;
      try {
        for (let next = this.firstAfter(watcher.lastRV); next; next = this.firstAfter(watcher.lastRV)) {
          watcher.lastRV = next.resourceVersion;
          this.deliver(watcher, next);
        }
      } finally {
        this.delivering = wasDelivering;
      }
      this.watchers.add(watcher);
      if (!wasDelivering) this.drain();
    } else {
      this.watchers.add(watcher);
    }
    return () => {
      watcher.active = false;
      this.watchers.delete(watcher);
    };
  }

  /** Drops every watcher (store closed). */
  closeAll(): void {
    for (const w of this.watchers) w.active = false;
    this.watchers.clear();
  }

  private append(change: Change): void {
    this.window.push(change);
    while (this.window.length > this.capacity) {
      const dropped = this.window.shift()!;
      this.floorRV = dropped.resourceVersion;
    }
  }

  private firstAfter(rv: number): Change | undefined {
    let lo = 0;
    let hi = this.window.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.window[mid]!.resourceVersion <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.window[lo];
  }

  private drain(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let change = this.queue.shift(); change; change = this.queue.shift()) {
        for (const watcher of [...this.watchers]) {
          if (!watcher.active || change.resourceVersion <= watcher.lastRV) continue;
          watcher.lastRV = change.resourceVersion;
          this.deliver(watcher, change);
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  private deliver(watcher: Watcher<T>, change: Change): void {
    try {
      watcher.onEvent({
        type: change.type,
        object: JSON.parse(change.json) as T,
        resourceVersion: change.resourceVersion,
      });
    } catch (err) {
      try {
        this.onWatcherError(err);
      } catch {
        // A failing error reporter must not break delivery either.
      }
    }
  }
}
