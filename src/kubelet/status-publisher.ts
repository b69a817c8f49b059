import type { PodStatus } from '../api/types.js';

/**
 * Coalesces status writes: many record changes in one turn become one
 * computation, and a status equal to the last one written is not written
 * again (so watchers see real changes only).
 */
export class StatusPublisher {
  private queued = false;
  private last: PodStatus | undefined;

  constructor(
    private readonly compute: (previous: PodStatus | undefined) => PodStatus | undefined,
    private readonly write: (status: PodStatus) => void,
  ) {}

  changed(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      const status = this.compute(this.last);
      if (!status || JSON.stringify(status) === JSON.stringify(this.last)) return;
      this.last = status;
      this.write(status);
    });
  }
}
