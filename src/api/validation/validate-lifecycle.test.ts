import { describe, expect, it } from 'vitest';
import { containerWith, errorsOf, podWith } from './fixtures.case.js';
import { LINUX_STOP_SIGNALS } from './signals.js';

const SIGNAL = 'spec.containers[0].lifecycle.stopSignal';

function withSignal(signal: unknown, os?: unknown) {
  return podWith((p) => {
    if (os !== undefined) p.spec.os = os;
    p.spec.containers[0].lifecycle = { stopSignal: signal };
  });
}

describe('V8 stopSignal', () => {
  it('V8: Forbidden without spec.os (backticked spec.os.name, as in validation.go)', () => {
    expect(errorsOf(withSignal('SIGTERM'))).toEqual([`${SIGNAL}: Forbidden: may not be set for containers with empty \`spec.os.name\``]);
  });

  it('V8: linux accepts its signals, including the real-time ones', () => {
    for (const s of ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGRTMIN+3', 'SIGRTMAX-1', 'SIGRTMAX']) {
      expect(errorsOf(withSignal(s, { name: 'linux' }))).toEqual([]);
    }
  });

  it('V8: linux rejects others with the full sorted list', () => {
    const supported = LINUX_STOP_SIGNALS.map((s) => JSON.stringify(s)).join(', ');
    expect(errorsOf(withSignal('SIGFOO', { name: 'linux' }))).toEqual([`${SIGNAL}: Unsupported value: "SIGFOO": supported values: ${supported}`]);
    expect(errorsOf(withSignal('sigterm', { name: 'linux' }))[0]).toMatch(/^spec\.containers\[0\]\.lifecycle\.stopSignal: Unsupported value: "sigterm": supported values: "SIGABRT", "SIGALRM", /);
  });

  it('V8: windows allows only SIGKILL and SIGTERM', () => {
    expect(errorsOf(withSignal('SIGKILL', { name: 'windows' }))).toEqual([]);
    expect(errorsOf(withSignal('SIGTERM', { name: 'windows' }))).toEqual([]);
    expect(errorsOf(withSignal('SIGINT', { name: 'windows' }))).toEqual([
      `${SIGNAL}: Unsupported value: "SIGINT": supported values: "SIGKILL", "SIGTERM"`,
    ]);
  });

  it('V8: an empty signal is an unsupported value (validation.go has no Required branch)', () => {
    expect(errorsOf(withSignal('', { name: 'windows' }))).toEqual([`${SIGNAL}: Unsupported value: "": supported values: "SIGKILL", "SIGTERM"`]);
  });

  it('V8: an unknown OS is reported on spec.os only', () => {
    expect(errorsOf(withSignal('SIGFOO', { name: 'darwin' }))).toEqual(['spec.os: Unsupported value: "darwin": supported values: "linux", "windows"']);
    expect(errorsOf(withSignal('SIGFOO', {}))).toEqual(['spec.os.name: Required value: cannot be empty']);
  });

  it('V8: also applies to sidecars', () => {
    const pod = podWith((p) => {
      p.spec.initContainers = [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', lifecycle: { stopSignal: 'SIGTERM' } }];
    });
    expect(errorsOf(pod)).toEqual([
      'spec.initContainers[0].lifecycle.stopSignal: Forbidden: may not be set for containers with empty `spec.os.name`',
    ]);
  });

  it('V8: a non-string signal is a type error', () => {
    expect(errorsOf(withSignal(15, { name: 'linux' }))).toEqual([`${SIGNAL}: Invalid value: 15: must be a string`]);
  });

  it('V8: postStart, preStop, then stopSignal', () => {
    const pod = containerWith((c) => (c.lifecycle = { stopSignal: 'SIGTERM', preStop: {}, postStart: {} }));
    expect(errorsOf(pod)).toEqual([
      'spec.containers[0].lifecycle.postStart: Required value: must specify a handler type',
      'spec.containers[0].lifecycle.preStop: Required value: must specify a handler type',
      `${SIGNAL}: Forbidden: may not be set for containers with empty \`spec.os.name\``,
    ]);
  });
});

describe('V1 init containers', () => {
  const FORBIDDEN = 'Forbidden: may not be set for init containers without restartPolicy=Always';

  it('V1: lifecycle and probes are Forbidden on a plain init container, without looking inside', () => {
    const pod = podWith((p) => {
      p.spec.initContainers = [
        {
          name: 'init',
          image: 'busybox',
          lifecycle: { preStop: { sleep: { seconds: 999 } } },
          livenessProbe: { exec: { command: ['true'] } },
          readinessProbe: {},
          startupProbe: { tcpSocket: { port: 1 } },
        },
      ];
    });
    expect(errorsOf(pod)).toEqual([
      `spec.initContainers[0].lifecycle: ${FORBIDDEN}`,
      `spec.initContainers[0].livenessProbe: ${FORBIDDEN}`,
      `spec.initContainers[0].readinessProbe: ${FORBIDDEN}`,
      `spec.initContainers[0].startupProbe: ${FORBIDDEN}`,
    ]);
  });

  it('V1: an empty lifecycle object still counts as set', () => {
    const pod = podWith((p) => (p.spec.initContainers = [{ name: 'init', image: 'busybox', lifecycle: {} }]));
    expect(errorsOf(pod)).toEqual([`spec.initContainers[0].lifecycle: ${FORBIDDEN}`]);
  });

  it('V1: sidecars (restartPolicy: Always) get full lifecycle validation', () => {
    const pod = podWith((p) => {
      p.spec.initContainers = [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', lifecycle: { preStop: { sleep: { seconds: 31 } } } }];
    });
    expect(errorsOf(pod)).toEqual([
      'spec.initContainers[0].lifecycle.preStop.sleep: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)',
    ]);
  });

  it('init container restartPolicy may only be Always', () => {
    const pod = podWith((p) => (p.spec.initContainers = [{ name: 'init', image: 'busybox', restartPolicy: 'Never' }]));
    expect(errorsOf(pod)).toEqual(['spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always"']);
    const empty = podWith((p) => (p.spec.initContainers = [{ name: 'init', image: 'busybox', restartPolicy: '' }]));
    expect(errorsOf(empty)).toEqual(['spec.initContainers[0].restartPolicy: Unsupported value: "": supported values: "Always"']);
  });

  it('regular containers may not set restartPolicy', () => {
    expect(errorsOf(containerWith((c) => (c.restartPolicy = 'Always')))).toEqual([
      'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
    ]);
  });
});

describe('V2 ephemeral containers', () => {
  it('V2: lifecycle (and probes, ports) cannot be set for an Ephemeral Container', () => {
    const pod = podWith((p) => {
      p.spec.ephemeralContainers = [
        { name: 'debug', image: 'busybox', ports: [{ containerPort: 80 }], lifecycle: { preStop: { exec: { command: ['true'] } } }, readinessProbe: { exec: { command: ['x'] } } },
      ];
    });
    expect(errorsOf(pod)).toEqual([
      'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers: Forbidden: cannot be set on create',
    ]);
  });

  it('V2: resources only count when something inside is set', () => {
    const ok = podWith((p) => (p.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox', resources: {} }]));
    expect(errorsOf(ok)).toEqual(['spec.ephemeralContainers: Forbidden: cannot be set on create']);
    const set = podWith((p) => (p.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox', resources: { limits: { cpu: '1' } } }]));
    expect(errorsOf(set)).toEqual([
      'spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers: Forbidden: cannot be set on create',
    ]);
  });
});
