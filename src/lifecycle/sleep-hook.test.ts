import { describe, expect, it } from 'vitest';
import type { HookResult } from './hook-runner.js';
import { runHook } from './hook-runner.js';
import { hookContext, hookDeps } from './hook-test-fixtures.case.js';

const ctx = hookContext({ podUid: 'uid-1' });

describe('sleep hook', () => {
  it('R1.9: completes exactly when the clock reaches the duration', async () => {
    const deps = hookDeps();
    let result: HookResult | undefined;
    void runHook({ sleep: { seconds: 5 } }, ctx, deps).then((r) => (result = r));
    await deps.clock.advance(4999);
    expect(result).toBeUndefined();
    await deps.clock.advance(1);
    expect(result).toEqual({ ok: true, kind: 'sleep', detail: 'slept 5s' });
  });

  it('R1.9: seconds 0 returns at once without a timer', async () => {
    const deps = hookDeps();
    const r = await runHook({ sleep: { seconds: 0 } }, ctx, deps);
    expect(r.ok).toBe(true);
    expect(deps.clock.pendingCount).toBe(0);
  });

  it('R1.9: an abort before the end fails with the exact message and releases the timer', async () => {
    const deps = hookDeps();
    const controller = new AbortController();
    let result: HookResult | undefined;
    void runHook({ sleep: { seconds: 30 } }, ctx, deps, controller.signal).then((r) => (result = r));
    await deps.clock.advance(10_000);
    expect(result).toBeUndefined();
    controller.abort();
    await deps.clock.settle();
    expect(result).toEqual({
      ok: false,
      kind: 'sleep',
      error: 'container terminated before sleep hook finished',
      message:
        'Sleep lifecycle hook (30) for Container "app" in Pod "web_default(uid-1)" failed - error: container terminated before sleep hook finished',
    });
    expect(deps.clock.pendingCount).toBe(0);
  });

  it('R1.9: an already-aborted signal fails at once', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await runHook({ sleep: { seconds: 1 } }, ctx, hookDeps(), controller.signal);
    expect(r).toMatchObject({ ok: false, error: 'container terminated before sleep hook finished' });
  });
});
