import { describe, expect, it } from 'vitest';
import { app, engine } from './engine-harness.case.js';

describe('probes in the engine (R7, R3.1)', () => {
  it('R7.1, R7.2, R3.1: a failing liveness probe kills with the probe grace, runs the preStop, and restarts', async () => {
    const e = await engine();
    e.runtime.onExec('app', { argv: ['check'], exitCode: 1, stdout: 'not healthy' });
    e.runtime.onExec('app', { argv: ['drain'], durationMs: 1000 });
    e.runtime.behave('app', { onStop: 'ignore' });
    e.create({
      containers: [app({
        livenessProbe: { exec: { command: ['check'] }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1, successThreshold: 1, terminationGracePeriodSeconds: 5 },
        lifecycle: { preStop: { exec: { command: ['drain'] } } },
      })],
    });
    await e.advance(21);
    // Probes at 0, 10, 20: the third failure kills.
    const unhealthy = e.events().find((x) => x.reason === 'Unhealthy');
    expect({ message: unhealthy?.message, count: unhealthy?.count }).toEqual({ message: 'Liveness probe failed: not healthy', count: 3 });
    expect(e.eventLines()).toContain('Killing: Container app failed liveness probe, will be restarted');
    await e.advance(4);
    // Probe grace 5: preStop 1 s, then stop(4): SIGTERM at 21, SIGKILL at 25.
    expect(e.runtime.signalsSent('app').map((s) => `${s.signal}@${e.at(s.at)}`)).toEqual(['SIGTERM@21', 'SIGKILL@25']);
    await e.advance(1);
    expect(e.runtime.callsFor('app', 'create')).toHaveLength(2);
    expect(e.pod()!.status!.containerStatuses![0]!.restartCount).toBe(1);
  });

  it('readiness: not Ready until the probe succeeds', async () => {
    const e = await engine();
    // Later scripts are tried first: two failures, then success.
    e.runtime.onExec('app', { argv: ['ready'], exitCode: 0 });
    e.runtime.onExec('app', { argv: ['ready'], exitCode: 1, times: 2 });
    e.create({ containers: [app({ readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 5, failureThreshold: 3, successThreshold: 1, timeoutSeconds: 1 } })] });
    await e.advance(1);
    const before = e.pod()!.status!;
    expect(before.phase).toBe('Running');
    expect(before.containerStatuses![0]!.ready).toBe(false);
    expect(before.conditions!.find((c) => c.type === 'Ready')!.status).toBe('False');
    await e.advance(10);
    const after = e.pod()!.status!;
    expect(after.containerStatuses![0]!.ready).toBe(true);
    expect(after.conditions!.find((c) => c.type === 'Ready')!.status).toBe('True');
  });

  it('startup: liveness waits for the startup probe; `started` follows it', async () => {
    const e = await engine();
    e.runtime.onExec('app', { argv: ['started'], exitCode: 0 });
    e.runtime.onExec('app', { argv: ['started'], exitCode: 1, times: 2 });
    e.runtime.onExec('app', { argv: ['alive'], exitCode: 0 });
    e.create({
      containers: [app({
        startupProbe: { exec: { command: ['started'] }, periodSeconds: 2, failureThreshold: 10, successThreshold: 1, timeoutSeconds: 1 },
        livenessProbe: { exec: { command: ['alive'] }, periodSeconds: 10, failureThreshold: 3, successThreshold: 1, timeoutSeconds: 1 },
      })],
    });
    await e.advance(1);
    expect(e.pod()!.status!.containerStatuses![0]!.started).toBe(false);
    await e.advance(5);
    expect(e.pod()!.status!.containerStatuses![0]!.started).toBe(true);
    const first = e.runtime.execCalls('app').find((c) => c.argv[0] === 'alive')!;
    expect(e.at(first.at)).toBeGreaterThanOrEqual(4);
  });
});
