import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../runtime/container-runtime.js';
import { runHook } from './hook-runner.js';
import { closedPort, hookContext, hookDeps } from './hook-test-fixtures.case.js';

const ctx = hookContext({ podUid: 'uid-1' });
const ok: ExecResult = { exitCode: 0, stdout: '', stderr: '' };

describe('runHook dispatch', () => {
  it('R1.1: exec wins over httpGet and sleep', async () => {
    let execs = 0;
    const deps = hookDeps({ runtime: { execSync: async () => (execs++, ok) } });
    const r = await runHook({ exec: { command: ['true'] }, httpGet: { port: 1 }, sleep: { seconds: 100 } }, ctx, deps);
    expect(r).toMatchObject({ ok: true, kind: 'exec' });
    expect(execs).toBe(1);
    expect(deps.clock.pendingCount).toBe(0);
  });

  it('R1.1: httpGet wins over sleep', async () => {
    const port = await closedPort();
    const deps = hookDeps();
    const r = await runHook({ httpGet: { port, path: '/' }, sleep: { seconds: 100 } }, ctx, deps);
    expect(r).toMatchObject({ ok: false, kind: 'httpGet' });
    expect(deps.clock.pendingCount).toBe(0);
  });

  it('R1.1: a lone tcpSocket handler fails as invalid with the Go dump', async () => {
    const r = await runHook({ tcpSocket: { port: 8080 } }, ctx, hookDeps());
    const error =
      'invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{0 8080 },Host:,},Sleep:nil,}';
    expect(r).toEqual({ ok: false, kind: 'invalid', error, message: `Cannot run handler: ${error}` });
  });

  it('R1.1: an empty handler fails as invalid', async () => {
    const r = await runHook({}, ctx, hookDeps());
    expect(r).toMatchObject({
      ok: false,
      kind: 'invalid',
      message: 'Cannot run handler: invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:nil,Sleep:nil,}',
    });
  });

  it('never throws, even when a dependency throws synchronously', async () => {
    const deps = hookDeps({
      clock: {
        now: () => 0,
        setTimer: () => () => {},
        sleep: () => {
          throw new Error('clock broke');
        },
      },
    });
    const r = await runHook({ sleep: { seconds: 1 } }, ctx, deps);
    expect(r.ok).toBe(false);
  });
});
