/** exec probes through runProbe (pkg/probe/exec, cri-client ExecSync texts). */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../clock/fake-clock.js';
import { FakeRuntime } from '../../runtime/fake/fake-runtime.js';
import { RuntimeError } from '../../runtime/container-runtime.js';
import { MAX_EXEC_OUTPUT_BYTES, expandProbeCommand } from './exec-probe.js';
import { exited, probeDeps, probeTarget } from './probe-test-fixtures.case.js';
import { runProbe } from './run-probe.js';

describe('exec probe', () => {
  it('exit 0 is a success whose output is stdout then stderr', async () => {
    const deps = probeDeps(() => exited(0, 'out\n', 'err\n'));
    const r = await runProbe({ exec: { command: ['cat', '/tmp/healthy'] } }, probeTarget(), deps);
    expect(r).toEqual({ outcome: 'success', output: 'out\nerr\n' });
    expect(deps.runtime.calls).toEqual([{ id: 'c-1', argv: ['cat', '/tmp/healthy'], timeoutMs: 1000, at: deps.clock.now() }]);
  });

  it.each([1, 2, 137])('exit %i is a failure whose output is the command output', async (code) => {
    const deps = probeDeps(() => exited(code, '', 'cat: /tmp/healthy: No such file or directory\n'));
    const r = await runProbe({ exec: { command: ['cat', '/tmp/healthy'] } }, probeTarget(), deps);
    expect(r).toEqual({ outcome: 'failure', output: 'cat: /tmp/healthy: No such file or directory\n' });
  });

  it('hands timeoutSeconds to the runtime in milliseconds', async () => {
    const deps = probeDeps();
    await runProbe({ exec: { command: ['true'] }, timeoutSeconds: 5 }, probeTarget(), deps);
    expect(deps.runtime.calls[0]?.timeoutMs).toBe(5000);
  });

  it('a runtime timeout is a failure with the CRI text `command "<argv>" timed out`', async () => {
    const deps = probeDeps((call) => {
      throw new RuntimeError('ExecFailed', `command ${JSON.stringify(call.argv.join(' '))} timed out`);
    });
    const r = await runProbe({ exec: { command: ['sh', '-c', 'sleep 5'] } }, probeTarget(), deps);
    expect(r).toEqual({ outcome: 'failure', output: 'command "sh -c sleep 5" timed out' });
  });

  it('the timeout text is Go-quoted even where JSON quoting differs', async () => {
    const deps = probeDeps((call) => {
      throw new RuntimeError('ExecFailed', `command ${JSON.stringify(call.argv.join(' '))} timed out`);
    });
    const r = await runProbe({ exec: { command: ['sh', '-c', 'echo \u00e9\u0007'] } }, probeTarget(), deps);
    expect(r).toEqual({ outcome: 'failure', output: 'command "sh -c echo \u00e9\\a" timed out' });
  });

  it('the fake runtime’s own exec timeout is recognised as a probe failure', async () => {
    const clock = new FakeClock();
    const rt = new FakeRuntime(clock).onExec('app', { hang: true });
    const id = await rt.create({ podUid: 'u', podName: 'p', podNamespace: 'default', name: 'app', attempt: 0, image: 'x', command: ['sleep'], args: [], env: {} });
    await rt.start(id);
    const pending = runProbe({ exec: { command: ['hang'] }, timeoutSeconds: 2 }, probeTarget({ containerId: id }), { runtime: rt, clock });
    await clock.advance(2000);
    expect(await pending).toEqual({ outcome: 'failure', output: 'command "hang" timed out' });
    await rt.close();
  });

  it('any other runtime error is an error (the worker retries it and throws the result away)', async () => {
    const deps = probeDeps(() => {
      throw new RuntimeError('NotRunning', 'container c-1 is not running');
    });
    const r = await runProbe({ exec: { command: ['true'] } }, probeTarget(), deps);
    expect(r).toEqual({ outcome: 'error', output: 'container c-1 is not running' });
  });

  it('keeps only the first 10 KiB of output (exec.go maxReadLength)', async () => {
    const deps = probeDeps(() => exited(1, 'a'.repeat(MAX_EXEC_OUTPUT_BYTES - 2), 'bcdef'));
    const r = await runProbe({ exec: { command: ['x'] } }, probeTarget(), deps);
    expect(r.output).toBe('a'.repeat(MAX_EXEC_OUTPUT_BYTES - 2) + 'bc');
  });

  it('expands $(VAR) from the container’s plain env values only (ExpandContainerCommandOnlyStatic)', async () => {
    const env = [
      { name: 'FILE', value: '/tmp/healthy' },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ];
    expect(expandProbeCommand(['cat', '$(FILE)', '$(POD_IP)', '$(UNSET)', '$$(FILE)'], env)).toEqual(['cat', '/tmp/healthy', '', '$(UNSET)', '$(FILE)']);
    const deps = probeDeps();
    await runProbe({ exec: { command: ['cat', '$(FILE)'] } }, probeTarget({ env }), deps);
    expect(deps.runtime.calls[0]?.argv).toEqual(['cat', '/tmp/healthy']);
  });

  it('an abort stops the wait at once and reports an error', async () => {
    const deps = probeDeps(() => new Promise(() => {}));
    const controller = new AbortController();
    const pending = runProbe({ exec: { command: ['sleep', '100'] } }, probeTarget(), deps, controller.signal);
    controller.abort();
    expect(await pending).toEqual({ outcome: 'error', output: 'rpc error: code = Canceled desc = context canceled' });
  });
});
