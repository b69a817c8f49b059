import { describe, expect, it } from 'vitest';
import type { PodStatus } from '../api/types.js';
import { StatusPublisher } from './status-publisher.js';

/** Lets the publisher's deferred write run (it waits for the event loop's next check phase). */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function harness(statuses: (PodStatus | undefined)[]) {
  const previous: (PodStatus | undefined)[] = [];
  const written: PodStatus[] = [];
  let i = 0;
  const publisher = new StatusPublisher(
    (prev) => {
      previous.push(prev);
      return statuses[Math.min(i++, statuses.length - 1)];
    },
    (status) => written.push(status),
  );
  return { publisher, previous, written, computed: () => i };
}

describe('StatusPublisher', () => {
  it('coalesces the changes of one turn into one computation and one write', async () => {
    const h = harness([{ phase: 'Pending' }]);
    h.publisher.changed();
    h.publisher.changed();
    h.publisher.changed();
    expect(h.computed()).toBe(0);
    await turn();
    expect(h.computed()).toBe(1);
    expect(h.written).toEqual([{ phase: 'Pending' }]);
  });

  it('does not write a status equal to the last one written, and hands the last one written to the next computation', async () => {
    const pending = { phase: 'Pending' };
    const h = harness([pending, { phase: 'Pending' }, { phase: 'Running', podIP: '127.0.0.1' }, { phase: 'Running', podIP: '127.0.0.1' }]);
    for (let n = 0; n < 4; n++) {
      h.publisher.changed();
      await turn();
    }
    expect(h.computed()).toBe(4);
    expect(h.written).toEqual([{ phase: 'Pending' }, { phase: 'Running', podIP: '127.0.0.1' }]);
    expect(h.previous[0]).toBeUndefined();
    expect(h.previous[1]).toBe(pending);
    expect(h.previous[2]).toBe(pending);
    expect(h.previous[3]).toBe(h.written[1]);
  });

  it('compares what was written, not the object it wrote: a later change to that object does not hide a real change', async () => {
    const first: PodStatus = { phase: 'Running' };
    const h = harness([first, { phase: 'Running' }, { phase: 'Running' }]);
    h.publisher.changed();
    await turn();
    first.phase = 'Failed';
    h.publisher.changed();
    await turn();
    // { phase: 'Running' } equals what was written: no second write, even though `first` changed since.
    expect(h.written).toHaveLength(1);
  });

  it('writes nothing when there is nothing to publish (terminated or detached)', async () => {
    const h = harness([undefined]);
    h.publisher.changed();
    await turn();
    expect(h.computed()).toBe(1);
    expect(h.written).toEqual([]);
  });
});
