import type { PodStatus } from '../api/types.js';

/**
 * Coalesces status writes: many record changes in one turn become one
 * computation, and a status equal to the last one written is not written
 * again (so watchers see real changes only). The last status is kept as its
 * JSON text, so each computation is serialised once, not twice.
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
    queueMicrotask(() => {
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
