import { describe, expect, it } from 'vitest';
import { errorsOf, podWith } from './fixtures.case.js';

describe('tolerations', () => {
  it('operator, value and effect rules', () => {
    const pod = podWith(
      (p) =>
        (p.spec.tolerations = [
          { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' },
          { operator: 'Exists' },
          { operator: 'Equal', value: 'v' },
          { key: 'k', operator: 'Exists', value: 'v' },
          { key: 'k', operator: 'Gt' },
          { key: 'k', tolerationSeconds: 5, effect: 'NoSchedule' },
          { key: 'k', effect: 'Never' },
        ]),
    );
    expect(errorsOf(pod)).toEqual([
      'spec.tolerations[2].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      "spec.tolerations[3].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
      'spec.tolerations[4].operator: Unsupported value: "Gt": supported values: "Equal", "Exists"',
      "spec.tolerations[5].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
      'spec.tolerations[6].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });
});
