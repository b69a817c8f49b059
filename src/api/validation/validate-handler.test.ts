import { describe, expect, it } from 'vitest';
import { containerWith, errorsOf, podWith, rawErrorsOf } from './fixtures.case.js';

const LC = 'spec.containers[0].lifecycle';

function withHook(hook: 'postStart' | 'preStop', handler: unknown) {
  return containerWith((c) => (c.lifecycle = { [hook]: handler }));
}

describe('V3 handler cardinality', () => {
  it('V3: a hook with no handler is Required', () => {
    expect(errorsOf(withHook('postStart', {}))).toEqual([`${LC}.postStart: Required value: must specify a handler type`]);
  });

  it('V3: the first handler counts, every later one is Forbidden, in exec/httpGet/tcpSocket/sleep order', () => {
    const pod = withHook('preStop', { sleep: { seconds: 1 }, tcpSocket: { port: 80 }, exec: { command: ['true'] } });
    expect(errorsOf(pod)).toEqual([
      `${LC}.preStop.tcpSocket: Forbidden: may not specify more than 1 handler type`,
      `${LC}.preStop.sleep: Forbidden: may not specify more than 1 handler type`,
    ]);
  });

  it('V3: only the counted handler is validated', () => {
    const pod = withHook('postStart', { exec: { command: [] }, httpGet: { port: 0 } });
    expect(errorsOf(pod)).toEqual([
      `${LC}.postStart.exec.command: Required value`,
      `${LC}.postStart.httpGet: Forbidden: may not specify more than 1 handler type`,
    ]);
  });

  it('V3: a null handler field counts as unset', () => {
    expect(errorsOf(withHook('preStop', { exec: null, sleep: { seconds: 3 } }))).toEqual([]);
  });

  it('V3: grpc is not a lifecycle handler', () => {
    expect(errorsOf(withHook('preStop', { grpc: { port: 9000 } }))).toEqual([`${LC}.preStop: Required value: must specify a handler type`]);
  });
});

describe('V4 exec', () => {
  it('V4: an empty or missing command is Required', () => {
    expect(errorsOf(withHook('postStart', { exec: {} }))).toEqual([`${LC}.postStart.exec.command: Required value`]);
    expect(errorsOf(withHook('postStart', { exec: { command: [] } }))).toEqual([`${LC}.postStart.exec.command: Required value`]);
    expect(errorsOf(withHook('postStart', { exec: { command: ['sh', '-c', 'exit 0'] } }))).toEqual([]);
  });

  it('V4: a command given as a string is a type error, not an exception', () => {
    expect(errorsOf(withHook('postStart', { exec: { command: 'sleep 1' } }))).toEqual([
      `${LC}.postStart.exec.command: Invalid value: "sleep 1": must be a list`,
    ]);
  });
});

describe('V5 httpGet', () => {
  it('V5: defaults fill path and scheme, so a bare port passes', () => {
    expect(errorsOf(withHook('preStop', { httpGet: { port: 8080 } }))).toEqual([]);
    expect(errorsOf(withHook('preStop', { httpGet: { port: 'http' } }))).toEqual([]);
  });

  it('V5: an empty path is Required when defaulting did not run', () => {
    const pod = withHook('preStop', { httpGet: { port: 80, scheme: 'HTTP' } });
    expect(rawErrorsOf(pod)).toContain(`${LC}.preStop.httpGet.path: Required value`);
  });

  it('V5: numeric ports must be 1..65535', () => {
    expect(errorsOf(withHook('preStop', { httpGet: { port: 0 } }))).toEqual([
      `${LC}.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive`,
    ]);
    expect(errorsOf(withHook('preStop', { httpGet: { port: 65536 } }))).toEqual([
      `${LC}.preStop.httpGet.port: Invalid value: 65536: must be between 1 and 65535, inclusive`,
    ]);
    expect(errorsOf(withHook('preStop', { httpGet: {} }))).toEqual([
      `${LC}.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive`,
    ]);
  });

  it('V5: named ports follow the IANA rules, one error per broken rule', () => {
    expect(errorsOf(withHook('preStop', { httpGet: { port: 'HTTP' } }))).toEqual([
      `${LC}.preStop.httpGet.port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
      `${LC}.preStop.httpGet.port: Invalid value: "HTTP": must contain at least one letter (a-z)`,
    ]);
    expect(errorsOf(withHook('preStop', { httpGet: { port: 'web-server-admin' } }))).toEqual([
      `${LC}.preStop.httpGet.port: Invalid value: "web-server-admin": must be no more than 15 characters`,
    ]);
    expect(errorsOf(withHook('preStop', { httpGet: { port: 'a--b' } }))).toEqual([
      `${LC}.preStop.httpGet.port: Invalid value: "a--b": must not contain consecutive hyphens`,
    ]);
    expect(errorsOf(withHook('preStop', { httpGet: { port: 'web-' } }))).toEqual([
      `${LC}.preStop.httpGet.port: Invalid value: "web-": must not begin or end with a hyphen`,
    ]);
    expect(errorsOf(withHook('preStop', { httpGet: { port: '8080' } }))).toEqual([
      `${LC}.preStop.httpGet.port: Invalid value: "8080": must contain at least one letter (a-z)`,
    ]);
  });

  it('V5: the scheme is case-sensitive', () => {
    expect(errorsOf(withHook('preStop', { httpGet: { port: 80, scheme: 'https' } }))).toEqual([
      `${LC}.preStop.httpGet.scheme: Unsupported value: "https": supported values: "HTTP", "HTTPS"`,
    ]);
    expect(errorsOf(withHook('preStop', { httpGet: { port: 80, scheme: 'HTTPS' } }))).toEqual([]);
  });

  it('V5: bad header names are reported on httpHeaders, not on the entry', () => {
    const pod = withHook('preStop', {
      httpGet: { port: 80, httpHeaders: [{ name: 'X-Ok', value: '1' }, { name: 'X_Bad', value: '2' }, { name: 'Also Bad', value: '' }] },
    });
    const msg = "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')";
    expect(errorsOf(pod)).toEqual([
      `${LC}.preStop.httpGet.httpHeaders: Invalid value: "X_Bad": ${msg}`,
      `${LC}.preStop.httpGet.httpHeaders: Invalid value: "Also Bad": ${msg}`,
    ]);
  });

  it('V5: a port of the wrong type is a type error', () => {
    expect(errorsOf(withHook('preStop', { httpGet: { port: 80.5 } }))).toEqual([
      `${LC}.preStop.httpGet.port: Invalid value: 80.5: must be an integer or a string`,
    ]);
  });
});

describe('V6 sleep (1.33+ rule)', () => {
  const sleepErr = (hook: string, s: number, grace: number) =>
    `${LC}.${hook}.sleep: Invalid value: ${s}: must be non-negative and less than terminationGracePeriodSeconds (${grace})`;

  it('V6: longer than the grace period is rejected, on the .sleep path', () => {
    expect(errorsOf(withHook('preStop', { sleep: { seconds: 40 } }))).toEqual([sleepErr('preStop', 40, 30)]);
  });

  it('V6: equal to the grace period and zero are allowed', () => {
    expect(errorsOf(withHook('preStop', { sleep: { seconds: 30 } }))).toEqual([]);
    expect(errorsOf(withHook('preStop', { sleep: { seconds: 0 } }))).toEqual([]);
    expect(errorsOf(withHook('preStop', { sleep: {} }))).toEqual([]);
  });

  it('V6: negative seconds are rejected', () => {
    expect(errorsOf(withHook('preStop', { sleep: { seconds: -1 } }))).toEqual([sleepErr('preStop', -1, 30)]);
  });

  it('V6: the pod grace period is the bound, and postStart sleeps are checked too', () => {
    const pod = podWith((p) => {
      p.spec.terminationGracePeriodSeconds = 5;
      p.spec.containers[0].lifecycle = { postStart: { sleep: { seconds: 6 } } };
    });
    expect(errorsOf(pod)).toEqual([sleepErr('postStart', 6, 5)]);
  });

  it('V6: with a negative grace period (accepted on create) every sleep fails', () => {
    const pod = podWith((p) => {
      p.spec.terminationGracePeriodSeconds = -5;
      p.spec.containers[0].lifecycle = { preStop: { sleep: { seconds: 0 } } };
    });
    expect(errorsOf(pod)).toEqual([sleepErr('preStop', 0, -5)]);
  });

  it('V6: without a grace period the sleep is not checked; the missing grace is reported', () => {
    const pod = podWith((p) => {
      p.spec = { ...p.spec, restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' };
      p.metadata.namespace = 'default';
      Object.assign(p.spec.containers[0], { imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' });
      p.spec.containers[0].lifecycle = { preStop: { sleep: { seconds: 999 } } };
    });
    expect(rawErrorsOf(pod)).toEqual(['spec.terminationGracePeriodSeconds: Required value']);
  });
});

describe('V7 tcpSocket in a lifecycle hook', () => {
  it('V7: passes validation when the port is valid (it fails at run time)', () => {
    expect(errorsOf(withHook('postStart', { tcpSocket: { port: 8080 } }))).toEqual([]);
  });

  it('V7: only the port is checked', () => {
    expect(errorsOf(withHook('postStart', { tcpSocket: { port: 0, host: 'x' } }))).toEqual([
      `${LC}.postStart.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive`,
    ]);
  });
});
