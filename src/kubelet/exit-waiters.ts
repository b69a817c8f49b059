/** Which runtime instances have exited, and who is waiting for which exit. */
export class ExitWaiters {
  private readonly exited = new Set<string>();
  private readonly waiting = new Map<string, Array<() => void>>();

  /** Records the exit of `id` and wakes its waiters. */
  exit(id: string): void {
    this.exited.add(id);
    for (const w of this.waiting.get(id) ?? []) w();
    this.waiting.delete(id);
  }

  /** Resolves once `id` has exited (at once if it already has). */
  wait(id: string): Promise<void> {
    if (this.exited.has(id)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiting.get(id) ?? [];
      list.push(resolve);
      this.waiting.set(id, list);
    });
  }

  /** Wakes everyone: the agent is going away and nobody should stay blocked. */
  releaseAll(): void {
    for (const list of this.waiting.values()) for (const w of list) w();
    this.waiting.clear();
  }
}
