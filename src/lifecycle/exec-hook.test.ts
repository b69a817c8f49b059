import { describe, expect, it } from 'vitest';
import { RuntimeError, type ExecResult } from '../runtime/container-runtime.js';
import { runHook } from './hook-runner.js';
import { hookContext, hookDeps } from './hook-test-fixtures.case.js';

const ctx = hookContext({ podUid: 'uid-1' });

function runtimeReturning(result: ExecResult | Error): {
  execSync: (id: string, argv: string[], timeoutMs: number) => Promise<ExecResult>;
  calls: Array<{ id: string; argv: string[]; timeoutMs: number }>;
} {
  const calls: Array<{ id: string; argv: string[]; timeoutMs: number }> = [];
  return {
    calls,
    execSync: (id, argv, timeoutMs) => {
      calls.push({ id, argv, timeoutMs });
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
    },
  };
}

describe('exec hook', () => {
  it('R1.3: runs the command in the container with timeout 0 and succeeds on exit 0', async () => {
    const runtime = runtimeReturning({ exitCode: 0, stdout: 'out\n', stderr: 'err\n' });
    const r = await runHook({ exec: { command: ['/bin/drain', '--fast'] } }, ctx, hookDeps({ runtime }));
    expect(r).toEqual({ ok: true, kind: 'exec', detail: 'out\nerr\n' });
    expect(runtime.calls).toEqual([{ id: 'c-1', argv: ['/bin/drain', '--fast'], timeoutMs: 0 }]);
  });

  it('R1.4: exit 1 with no output gives the exact kubelet message', async () => {
    const runtime = runtimeReturning({ exitCode: 1, stdout: '', stderr: '' });
    const r = await runHook({ exec: { command: ['sh', '-c', 'exit 1'] } }, ctx, hookDeps({ runtime }));
    expect(r).toEqual({
      ok: false,
      kind: 'exec',
      error: "command 'sh -c exit 1' exited with 1: ",
      message:
        'Exec lifecycle hook ([sh -c exit 1]) for Container "app" in Pod "web_default(uid-1)" failed - error: command \'sh -c exit 1\' exited with 1: , message: ""',
    });
  });

  it('R1.3/R1.4: output is stdout then stderr, Go-quoted; the error carries stderr raw', async () => {
    const runtime = runtimeReturning({ exitCode: 3, stdout: 'said "hi"\n', stderr: 'bad\tthing\n' });
    const r = await runHook({ exec: { command: ['sh', '-c', 'x'] } }, ctx, hookDeps({ runtime }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBe("command 'sh -c x' exited with 3: bad\tthing\n");
    expect(r.message).toBe(
      'Exec lifecycle hook ([sh -c x]) for Container "app" in Pod "web_default(uid-1)" failed - error: command \'sh -c x\' exited with 3: bad\tthing\n, message: "said \\"hi\\"\\nbad\\tthing\\n"',
    );
  });

  it('R1.3: a runtime error (container gone) is the error, with empty output', async () => {
    const runtime = runtimeReturning(new RuntimeError('NotRunning', 'container c-1 is not running'));
    const r = await runHook({ exec: { command: ['true'] } }, ctx, hookDeps({ runtime }));
    expect(r).toEqual({
      ok: false,
      kind: 'exec',
      error: 'container c-1 is not running',
      message:
        'Exec lifecycle hook ([true]) for Container "app" in Pod "web_default(uid-1)" failed - error: container c-1 is not running, message: ""',
    });
  });

  it('R3.5: an abort while the exec runs fails the hook with the cancelled-call error', async () => {
    const controller = new AbortController();
    const runtime = { execSync: (): Promise<ExecResult> => new Promise<ExecResult>(() => {}) };
    const pending = runHook({ exec: { command: ['sleep', '100'] } }, ctx, hookDeps({ runtime }), controller.signal);
    controller.abort();
    const r = await pending;
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe('rpc error: code = Canceled desc = context canceled');
  });

  it('a synchronous throw from the runtime is still a result', async () => {
    const runtime = {
      execSync: (): Promise<ExecResult> => {
        throw new Error('sync boom');
      },
    };
    const r = await runHook({ exec: { command: ['x'] } }, ctx, hookDeps({ runtime }));
    expect(r).toMatchObject({ ok: false, kind: 'exec', error: 'sync boom' });
  });
});
