import { RuntimeError } from '../container-runtime.js';

export type FailableOp = 'create' | 'start' | 'stop' | 'exec' | 'remove';

/** Failures injected with FakeRuntime.failNext: each is thrown once, by the next call of its op. */
export class FakeFaults {
  private readonly failures: Array<{ op: FailableOp; error: Error }> = [];

  /** The next call of `op` throws `error` (a RuntimeError, or a message wrapped as Internal). */
  failNext(op: FailableOp, error: Error | string): void {
    this.failures.push({ op, error: typeof error === 'string' ? new RuntimeError('Internal', error) : error });
  }

  /** Throws the failure queued for `op`, if there is one. */
  take(op: FailableOp): void {
    const i = this.failures.findIndex((f) => f.op === op);
    if (i < 0) return;
    const [failure] = this.failures.splice(i, 1);
    throw failure!.error;
  }
}
