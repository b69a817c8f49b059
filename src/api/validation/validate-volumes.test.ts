import { describe, expect, it } from 'vitest';
import { errorsOf, podWith, rawErrorsOf } from './fixtures.case.js';

describe('volumes', () => {
  it('names are DNS labels and unique; exactly one source', () => {
    const pod = podWith(
      (p) =>
        (p.spec.volumes = [
          { name: 'data', emptyDir: {} },
          { name: 'data', emptyDir: {} },
          { name: 'cfg', configMap: { name: 'c' }, secret: { secretName: 's' } },
          { name: 'Bad' },
        ]),
    );
    expect(errorsOf(pod)).toEqual([
      'spec.volumes[1].name: Duplicate value: "data"',
      'spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type',
      `spec.volumes[3].name: Invalid value: "Bad": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });

  it('common sources need their key fields', () => {
    const pod = podWith((p) => (p.spec.volumes = [{ name: 'a', hostPath: { path: '/x/../etc' } }, { name: 'b', secret: {} }, { name: 'c', persistentVolumeClaim: {} }]));
    expect(errorsOf(pod)).toEqual([
      `spec.volumes[0].hostPath.path: Invalid value: "/x/../etc": must not contain '..'`,
      'spec.volumes[1].secret.secretName: Required value',
      'spec.volumes[2].persistentVolumeClaim.claimName: Required value',
    ]);
  });

  it('without defaulting, a volume with no source needs a type', () => {
    const pod = podWith((p) => (p.spec.volumes = [{ name: 'a' }]));
    expect(rawErrorsOf(pod)).toContain('spec.volumes[0]: Required value: must specify a volume type');
    expect(errorsOf(pod)).toEqual([]);
  });
});
