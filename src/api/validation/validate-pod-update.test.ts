import { describe, expect, it } from 'vitest';
import { basePod, podWith, updateErrorsOf, type Loose } from './fixtures.case.js';
import { POD_UPDATE_FORBIDDEN_PREFIX } from './validate-pod-update.js';

const PREFIX =
  'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';

function stored(mutate: (p: Loose) => void = () => {}): Loose {
  return podWith((p) => {
    p.metadata.uid = 'u-1';
    p.metadata.namespace = 'default';
    p.spec.initContainers = [{ name: 'init', image: 'busybox:1' }];
    p.spec.containers[0].lifecycle = { preStop: { sleep: { seconds: 5 } } };
    mutate(p);
  });
}

function changed(mutate: (p: Loose) => void): Loose {
  const p = stored();
  mutate(p);
  return p;
}

describe('V11 pod updates', () => {
  it('the exported prefix is the verbatim ValidatePodUpdate text', () => {
    expect(`spec: Forbidden: ${POD_UPDATE_FORBIDDEN_PREFIX}\n`).toBe(PREFIX);
  });

  it('an identical pod is a valid update', () => {
    expect(updateErrorsOf(stored(), stored())).toEqual([]);
  });

  it('V11: container and init container images may change', () => {
    const next = changed((p) => {
      p.spec.containers[0].image = 'nginx:1.28';
      p.spec.initContainers[0].image = 'busybox:2';
    });
    expect(updateErrorsOf(next, stored())).toEqual([]);
  });

  it('V11: lifecycle is immutable: the generic Forbidden error on spec, with a diff', () => {
    const errs = updateErrorsOf(changed((p) => (p.spec.containers[0].lifecycle.preStop.sleep.seconds = 10)), stored());
    expect(errs).toHaveLength(1);
    expect(errs[0]!.startsWith(PREFIX)).toBe(true);
    expect(errs[0]).toContain('- spec.containers[0].lifecycle.preStop.sleep.seconds: 5');
    expect(errs[0]).toContain('+ spec.containers[0].lifecycle.preStop.sleep.seconds: 10');
  });

  it('V11: image and another field together: only the other field is reported', () => {
    const errs = updateErrorsOf(
      changed((p) => {
        p.spec.containers[0].image = 'nginx:2';
        p.spec.containers[0].command = ['run'];
      }),
      stored(),
    );
    expect(errs).toHaveLength(1);
    expect(errs[0]).toBe(`${PREFIX}+ spec.containers[0].command: ["run"]`);
  });

  it('containers may not be added or removed (and validation stops there)', () => {
    const next = changed((p) => p.spec.containers.push({ name: 'two', image: 'x' }));
    expect(updateErrorsOf(next, stored())).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers']);
    const fewer = changed((p) => (p.spec.initContainers = []));
    expect(updateErrorsOf(fewer, stored())).toEqual(['spec.initContainers: Forbidden: pod updates may not add or remove containers']);
  });

  it('clearing an image is Required twice, as the API server reports it', () => {
    expect(updateErrorsOf(changed((p) => (p.spec.containers[0].image = '')), stored())).toEqual([
      'spec.containers[0].image: Required value',
      'spec.containers[0].image: Required value',
    ]);
  });

  it('activeDeadlineSeconds: may be set or lowered, not raised or removed', () => {
    expect(updateErrorsOf(changed((p) => (p.spec.activeDeadlineSeconds = 60)), stored())).toEqual([]);
    const withDeadline = stored((p) => (p.spec.activeDeadlineSeconds = 60));
    expect(updateErrorsOf(changed((p) => (p.spec.activeDeadlineSeconds = 30)), withDeadline)).toEqual([]);
    expect(updateErrorsOf(changed((p) => (p.spec.activeDeadlineSeconds = 90)), withDeadline)).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: 90: must be less than or equal to previous value',
    ]);
    expect(updateErrorsOf(stored(), withDeadline)).toEqual(['spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value']);
  });

  it('tolerations: additions only (tolerationSeconds may change)', () => {
    const old = stored((p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }]));
    const added = changed((p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 20 }, { key: 'j', operator: 'Exists' }]));
    expect(updateErrorsOf(added, old)).toEqual([]);
    const modified = changed((p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }]));
    expect(updateErrorsOf(modified, old)).toEqual(['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  });

  it('V10/V11: terminationGracePeriodSeconds may only go from negative to 1', () => {
    const negative = stored((p) => {
      p.spec.terminationGracePeriodSeconds = -1;
      delete p.spec.containers[0].lifecycle;
    });
    const to = (n: number) => changed((p) => {
      p.spec.terminationGracePeriodSeconds = n;
      delete p.spec.containers[0].lifecycle;
    });
    expect(updateErrorsOf(to(1), negative)).toEqual([]);
    expect(updateErrorsOf(to(5), negative)[0]).toBe(`${PREFIX}- spec.terminationGracePeriodSeconds: -1\n+ spec.terminationGracePeriodSeconds: 5`);
    expect(updateErrorsOf(to(1), stored())[0]?.startsWith(PREFIX)).toBe(true);
  });

  it('scheduling gates may only be removed', () => {
    const old = stored((p) => (p.spec.schedulingGates = [{ name: 'example.com/a' }]));
    expect(updateErrorsOf(stored(), old)).toEqual([]);
    const added = changed((p) => (p.spec.schedulingGates = [{ name: 'example.com/a' }, { name: 'example.com/b' }]));
    expect(updateErrorsOf(added, old)[0]).toBe("spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/b'");
  });

  it('metadata: name, namespace and uid are immutable; labels and annotations are not', () => {
    const next = changed((p) => {
      p.metadata.name = 'other';
      p.metadata.namespace = 'prod';
      p.metadata.uid = 'u-2';
      p.metadata.labels = { tier: 'front' };
      p.metadata.annotations = { note: 'changed' };
    });
    expect(updateErrorsOf(next, stored())).toEqual([
      'metadata.name: Invalid value: "other": field is immutable',
      'metadata.namespace: Invalid value: "prod": field is immutable',
      'metadata.uid: Invalid value: "u-2": field is immutable',
    ]);
  });

  it('an omitted uid keeps the stored one, as the API server fills it before validating', () => {
    expect(updateErrorsOf(changed((p) => delete p.metadata.uid), stored())).toEqual([]);
  });

  it('the new pod is fully validated as well', () => {
    const next = changed((p) => (p.metadata.labels = { 'bad key': 'x' }));
    expect(updateErrorsOf(next, stored())[0]).toMatch(/^metadata\.labels: Invalid value: "bad key": name part must consist/);
  });

  it('no new finalizers while the pod is being deleted', () => {
    const deleting = stored((p) => Object.assign(p.metadata, { deletionTimestamp: '2025-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 }));
    const next = changed((p) => Object.assign(p.metadata, { deletionTimestamp: '2025-01-01T00:00:00Z', deletionGracePeriodSeconds: 30, finalizers: ['example.com/b', 'example.com/a'] }));
    expect(updateErrorsOf(next, deleting)).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/a", "example.com/b"}',
    ]);
  });

  it('does not throw when the old pod is not an object', () => {
    expect(() => updateErrorsOf(basePod(), 'nope')).not.toThrow();
  });
});
