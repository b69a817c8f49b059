import type { PodStatus } from '../api/types.js';

/**
 * Coalesces status writes: the record changes of one turn of the event loop
 * become one computation, and a status equal to the last one written is not
 * written again (so watchers see real changes only). The last status is kept
 * as its JSON text, so each computation is serialised once, not twice.
 *
 * The write waits for the loop's check phase (setImmediate), not a
 * microtask: a container start or a hook request goes out first and the
 * status is computed and stored while that process starts — a microtask put
 * the write on the critical path, ~0.5 ms of a 4 ms create → Running.
 */
export class StatusPublisher {
  private queued = false;
  private last: PodStatus | undefined;
  private lastJson: string | undefined;

  constructor(
    private readonly compute: (previous: PodStatus | undefined) => PodStatus | undefined,
    private readonly write: (status: PodStatus) => void,
  ) {}

  changed(): void {
    if (this.queued) return;
    this.queued = true;
    setImmediate(() => {
      this.queued = false;
      const status = this.compute(this.last);
      if (!status) return;
      const json = JSON.stringify(status);
      if (json === this.lastJson) return;
      this.last = status;
      this.lastJson = json;
      this.write(status);
    });
  }
}
