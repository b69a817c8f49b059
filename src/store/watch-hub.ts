import { jsonClone } from './json-clone.js';
import { StoreError, type WatchEvent, type WatchType } from './pod-store.js';

/**
 * One committed write as watchers see it. The window keeps the text, not an
 * object, so nothing a watcher does to what it received can reach a later
 * delivery or replay.
 */
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
 *
 * A live change is materialised once and the same object goes to every
 * watcher that receives it (a parse per watcher was a large part of the
 * store's cost on the engine's hot path): watchers must treat it as
 * read-only. A replay parses afresh for its one watcher.
 */
export class WatchHub<T> {
  private readonly capacity: number;
  private readonly onWatcherError: (err: unknown) => void;
  private readonly window: Change[] = [];
  private floorRV: number;
  private readonly queue: { change: Change; source: unknown }[] = [];
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

  /**
   * Call after the write has committed. `source`, when given, is the object
   * as written (equal to JSON.parse(change.json)): live watchers get a copy
   * of it, cheaper than parsing the text. It is not kept for replay.
   */
  publish(change: Change, source?: unknown): void {
    this.append(change);
    this.queue.push({ change, source });
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
          const change = next;
          this.deliver(watcher, change, () => JSON.parse(change.json) as T);
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
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        const { change, source } = next;
        let shared: T | undefined;
        // Made on the first delivery only: a change nobody watches costs nothing.
        const object = (): T =>
          (shared ??= source === undefined ? (JSON.parse(change.json) as T) : jsonClone(source as T));
        for (const watcher of [...this.watchers]) {
          if (!watcher.active || change.resourceVersion <= watcher.lastRV) continue;
          watcher.lastRV = change.resourceVersion;
          this.deliver(watcher, change, object);
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  /** `object` is called inside the guard: unparseable text (a damaged replay row) counts as a failed delivery. */
  private deliver(watcher: Watcher<T>, change: Change, object: () => T): void {
    try {
      watcher.onEvent({
        type: change.type,
        object: object(),
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
