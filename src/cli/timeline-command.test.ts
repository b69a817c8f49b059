import { describe, expect, it } from 'vitest';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { kubeconfigPath } from './timeline-command.js';

describe('hooklet timeline: which kubeconfig', () => {
  it('prefers --kubeconfig, then --data-dir, then an existing $KUBECONFIG, then ~/.hooklet', () => {
    expect(kubeconfigPath({ kubeconfig: 'k', dataDir: 'd' }, {})).toBe(resolve('k'));
    expect(kubeconfigPath({ dataDir: 'd' }, { KUBECONFIG: '/etc/hostname' })).toBe(join(resolve('d'), 'kubeconfig'));
    expect(kubeconfigPath({}, { KUBECONFIG: '/nonexistent:/etc/hostname' })).toBe('/etc/hostname');
    expect(kubeconfigPath({}, {})).toBe(join(homedir(), '.hooklet', 'kubeconfig'));
  });
});
