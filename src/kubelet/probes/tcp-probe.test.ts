/** tcpSocket probes through runProbe against real sockets on 127.0.0.1 (pkg/probe/tcp). */
import { afterEach, describe, expect, it } from 'vitest';
import { TestServers, closedPort } from '../../lifecycle/hook-test-fixtures.case.js';
import { hangingPort, probeDeps, probeTarget } from './probe-test-fixtures.case.js';
import { runProbe } from './run-probe.js';

const servers = new TestServers();
afterEach(() => servers.closeAll());

describe('tcpSocket probe', () => {
  it('succeeds with empty output when the port accepts a connection', async () => {
    let accepted = 0;
    const { port } = await servers.tcp(() => accepted++);
    const deps = probeDeps();
    expect(await runProbe({ tcpSocket: { port } }, probeTarget(), deps)).toEqual({ outcome: 'success', output: '' });
    await new Promise((r) => setImmediate(r));
    expect(accepted).toBe(1);
    // The timeout timer is released once the attempt is over.
    expect(deps.clock.pendingCount).toBe(0);
  });

  it('fails with Go’s dial error on a closed port', async () => {
    const port = await closedPort();
    const r = await runProbe({ tcpSocket: { port } }, probeTarget(), probeDeps());
    expect(r).toEqual({ outcome: 'failure', output: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
  });

  it('resolves a named port from the container ports and dials tcpSocket.host when set', async () => {
    const { port } = await servers.tcp(() => {});
    const target = probeTarget({ podIP: '192.0.2.1', ports: [{ name: 'admin', containerPort: port }] });
    const r = await runProbe({ tcpSocket: { port: 'admin', host: '127.0.0.1' } }, target, probeDeps());
    expect(r).toEqual({ outcome: 'success', output: '' });
  });

  it('an unknown port name is a prober error (strconv.Atoi text)', async () => {
    const r = await runProbe({ tcpSocket: { port: 'admin' } }, probeTarget(), probeDeps());
    expect(r).toEqual({ outcome: 'error', output: 'strconv.Atoi: parsing "admin": invalid syntax' });
  });

  it('a connect still pending at timeoutSeconds fails with `dial tcp <addr>: i/o timeout`', async () => {
    const hanging = await hangingPort();
    try {
      const deps = probeDeps();
      const pending = runProbe({ tcpSocket: { port: hanging.port }, timeoutSeconds: 3 }, probeTarget(), deps);
      let settled = false;
      void pending.then(() => (settled = true));
      await deps.clock.advance(2999);
      expect(settled).toBe(false);
      await deps.clock.advance(1);
      expect(await pending).toEqual({ outcome: 'failure', output: `dial tcp 127.0.0.1:${hanging.port}: i/o timeout` });
    } finally {
      await hanging.close();
    }
  });
});
