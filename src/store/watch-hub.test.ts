import { describe, expect, it, vi } from 'vitest';
import { StoreError, type WatchEvent } from './pod-store.js';
import { WatchHub, type Change } from './watch-hub.js';

interface Obj {
  n: number;
}
const change = (rv: number): Change => ({ resourceVersion: rv, type: 'MODIFIED', json: JSON.stringify({ n: rv }) });

function hub(capacity = 10, extra: { floor?: number; seed?: Change[] } = {}): { hub: WatchHub<Obj>; errors: unknown[] } {
  const errors: unknown[] = [];
  return { hub: new WatchHub<Obj>({ capacity, ...extra, onWatcherError: (e) => errors.push(e) }), errors };
}

describe('WatchHub', () => {
  it('drops the oldest change beyond capacity and raises the floor to it', () => {
    const { hub: h } = hub(3);
    for (let rv = 1; rv <= 3; rv++) h.publish(change(rv));
    expect(h.floor).toBe(0);
    expect(h.nextEviction()?.resourceVersion).toBe(1);
    h.publish(change(4));
    expect(h.floor).toBe(1);
    expect(() => h.watch(0, 4, () => undefined)).toThrow(new StoreError('Gone', 'too old resource version: 0 (1)'));
    const seen: number[] = [];
    h.watch(1, 4, (e) => seen.push(e.resourceVersion));
    expect(seen).toEqual([2, 3, 4]);
  });

  it('a seed longer than the window keeps its newest changes', () => {
    const { hub: h } = hub(2, { floor: 3, seed: [change(4), change(6), change(9)] });
    expect(h.floor).toBe(4);
    const seen: number[] = [];
    h.watch(4, 9, (e) => seen.push(e.resourceVersion));
    expect(seen).toEqual([6, 9]);
  });

  it('a fromRV beyond the current RV waits for changes above it', () => {
    const { hub: h } = hub();
    const seen: number[] = [];
    h.watch(5, 2, (e) => seen.push(e.resourceVersion));
    for (let rv = 3; rv <= 7; rv++) h.publish(change(rv));
    expect(seen).toEqual([6, 7]);
  });

  it('live watchers of a change share one parsed object; a replay gets its own, untouched by what a watcher did', () => {
    const { hub: h } = hub();
    const got: WatchEvent<Obj>[] = [];
    h.watch(undefined, 0, (e) => {
      got.push(e);
      e.object.n = -1;
    });
    h.watch(undefined, 0, (e) => got.push(e));
    h.publish(change(1));
    expect(got[0]!.object).toBe(got[1]!.object);
    const replayed: Obj[] = [];
    h.watch(0, 1, (e) => replayed.push(e.object));
    expect(replayed).toEqual([{ n: 1 }]);
    expect(replayed[0]).not.toBe(got[0]!.object);
  });

  it('a change is not parsed when nobody receives it, and each live change is parsed once', () => {
    const { hub: h, errors } = hub();
    h.publish({ resourceVersion: 1, type: 'ADDED', json: '{not json' });
    expect(errors).toEqual([]);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      for (let i = 0; i < 3; i++) h.watch(undefined, 1, () => undefined);
      h.publish(change(2));
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('unparseable text counts as a failed delivery to each watcher; the others carry on', () => {
    const { hub: h, errors } = hub();
    const seen: number[] = [];
    h.watch(undefined, 0, (e) => seen.push(e.resourceVersion));
    h.watch(undefined, 0, (e) => seen.push(e.resourceVersion));
    h.publish({ resourceVersion: 1, type: 'ADDED', json: '{not json' });
    h.publish(change(2));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(SyntaxError);
    expect(seen).toEqual([2, 2]);
  });

  it('a watch started inside a callback replays without duplicates or gaps', () => {
    const { hub: h } = hub();
    const inner: number[] = [];
    h.watch(undefined, 0, (e) => {
      if (e.resourceVersion === 2) {
        h.publish(change(3)); // a write made by this callback, not yet delivered
        h.watch(1, 3, (x) => inner.push(x.resourceVersion));
      }
    });
    h.publish(change(1));
    h.publish(change(2));
    h.publish(change(4));
    expect(inner).toEqual([2, 3, 4]);
  });

  it('a write made during replay is delivered to the new watcher once, after the replay', () => {
    const { hub: h } = hub();
    h.publish(change(1));
    h.publish(change(2));
    const seen: number[] = [];
    const other: number[] = [];
    h.watch(undefined, 2, (e) => other.push(e.resourceVersion));
    h.watch(0, 2, (e) => {
      seen.push(e.resourceVersion);
      if (e.resourceVersion === 1) h.publish(change(3));
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(other).toEqual([3]);
  });

  it('reports a throwing callback and keeps delivering, even if the reporter throws too', () => {
    const errors: unknown[] = [];
    const h = new WatchHub<Obj>({
      capacity: 5,
      onWatcherError: (e) => {
        errors.push(e);
        throw new Error('reporter broke');
      },
    });
    const seen: number[] = [];
    h.watch(undefined, 0, () => {
      throw new Error('watcher broke');
    });
    h.watch(undefined, 0, (e) => seen.push(e.resourceVersion));
    h.publish(change(1));
    h.publish(change(2));
    expect(seen).toEqual([1, 2]);
    expect(errors).toHaveLength(2);
  });

  it('closeAll stops every watcher', () => {
    const { hub: h } = hub();
    const seen: number[] = [];
    h.watch(undefined, 0, (e) => seen.push(e.resourceVersion));
    h.closeAll();
    h.publish(change(1));
    expect(seen).toEqual([]);
  });
});
