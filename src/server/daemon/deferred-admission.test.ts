import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types.js';
import type { PodAdmission } from '../server-context.js';
import { deferredAdmission } from './deferred-admission.js';

describe('deferredAdmission', () => {
  it('refuses use before the load resolves, then delegates every method', async () => {
    let resolve!: (a: PodAdmission) => void;
    const { admission, ready } = deferredAdmission(new Promise((r) => (resolve = r)));
    const pod = { metadata: { name: 'p' }, spec: { containers: [] } } as Pod;
    expect(() => admission.applyDefaults(pod)).toThrow(/before it was loaded/);
    resolve({
      decode: () => ({ value: 'decoded', strictErrors: [] }),
      applyDefaults: (p) => ({ ...p, kind: 'Pod' }),
      validate: () => [],
      validateUpdate: () => [],
    });
    await ready;
    expect(admission.applyDefaults(pod).kind).toBe('Pod');
    expect(admission.decode('{}').value).toBe('decoded');
    expect(admission.validate(pod)).toEqual([]);
    expect(admission.validateUpdate(pod, pod)).toEqual([]);
  });

  it('rejects `ready` when the load fails, without an unhandled rejection', async () => {
    const { ready } = deferredAdmission(Promise.reject(new Error('no code')));
    await expect(ready).rejects.toThrow('no code');
  });
});
