import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.js';
import { ConfigError, containerConfig, expand } from './container-config.js';

const pod: Pod = {
  metadata: { name: 'web', namespace: 'prod', uid: 'u-1', labels: { app: 'web' } },
  spec: { containers: [] },
};

describe('containerConfig', () => {
  it('resolves fieldRef values for the pod name, namespace, uid, IP and labels', () => {
    const c = containerConfig(pod, {
      name: 'app',
      image: 'busybox',
      command: ['sh', '-c', 'echo $(POD) $$(POD)'],
      env: [
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'GREETING', value: 'hi $(POD)' },
      ],
    }, 0, '127.0.0.1', 'node', {});
    expect(c.env).toMatchObject({ POD: 'web', NS: 'prod', UID: 'u-1', IP: '127.0.0.1', APP: 'web', GREETING: 'hi web' });
    expect(c.command).toEqual(['sh', '-c', 'echo web $(POD)']);
    expect(c.stopSignal).toBe('SIGTERM');
  });

  it('uses lifecycle.stopSignal (R3.8)', () => {
    const c = containerConfig(pod, { name: 'app', image: 'x', command: ['true'], lifecycle: { stopSignal: 'SIGUSR1' } }, 0, '127.0.0.1', 'n', {});
    expect(c.stopSignal).toBe('SIGUSR1');
  });

  it('refuses secret references with a clear error', () => {
    expect(() => containerConfig(pod, { name: 'app', image: 'x', env: [{ name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }, 0, '127.0.0.1', 'n', {})).toThrow(ConfigError);
  });

  it('expands $(VAR), keeps undefined references and unescapes $$', () => {
    expect(expand('$(A)-$(B)-$$(A)-$(', { A: '1' })).toBe('1-$(B)-$(A)-$(');
  });
});
