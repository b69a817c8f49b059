import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults.js';
import { formatFieldError, formatInvalid } from '../field-error.js';
import type { Pod } from '../types.js';
import { basePod, errorsOf, podWith, type Loose } from './fixtures.case.js';
import { validatePod, validatePodUpdate } from './index.js';

describe('validatePod', () => {
  it('accepts a minimal pod once defaulted', () => {
    expect(errorsOf(basePod())).toEqual([]);
  });

  it('reports every error at once, metadata first, then the spec in ValidatePodSpec order', () => {
    const pod = podWith((p) => {
      p.metadata.name = 'Bad';
      p.spec.os = { name: 'plan9' };
      p.spec.restartPolicy = 'Sometimes';
      p.spec.volumes = [{ name: 'v', emptyDir: {}, secret: { secretName: 's' } }];
      p.spec.initContainers = [{ name: 'init', image: '', lifecycle: {} }];
      p.spec.containers[0].lifecycle = { preStop: { sleep: { seconds: 40 } } };
      p.spec.containers.push({ name: 'two' });
    });
    expect(errorsOf(pod).map((e) => e.split(':')[0])).toEqual([
      'metadata.name',
      'spec.volumes[0].secret',
      'spec.containers[0].lifecycle.preStop.sleep',
      'spec.containers[1].image',
      'spec.initContainers[0].image',
      'spec.initContainers[0].lifecycle',
      'spec.restartPolicy',
      'spec.os',
    ]);
  });

  it('renders like the API server, and like kubectl for a 422', () => {
    const errs = validatePod(applyDefaults(podWith((p) => (p.spec.containers[0].image = ''))));
    expect(formatInvalid('Pod', 'web', errs)).toBe('The Pod "web" is invalid: spec.containers[0].image: Required value');
  });

  it('a value that is not an object is one error, not an exception', () => {
    for (const value of [null, 'pod', 42, [1, 2]]) {
      const errs = validatePod(value as unknown as Pod);
      expect(errs).toHaveLength(1);
      expect(formatFieldError(errs[0]!)).toBe(`pod: Invalid value: ${JSON.stringify(value)}: must be an object`);
    }
  });

  it('absurd nesting is one Forbidden error instead of a stack overflow', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    const pod = podWith((p) => (p.spec.containers[0].args = deep));
    const errs = errorsOf(pod);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^spec\.containers\[0\]\.args(\[0\]){96}: Forbidden: must not be nested more than 100 levels deep$/);
    expect(() => validatePodUpdate(applyDefaults(pod), applyDefaults(pod))).not.toThrow();
  });

  it('wrong types anywhere become field errors', () => {
    const pod = { metadata: { name: 'web' }, spec: { containers: { name: 'app' }, initContainers: 'none', terminationGracePeriodSeconds: true } };
    expect(errorsOf(pod)).toEqual([
      'spec.terminationGracePeriodSeconds: Invalid value: true: must be an integer',
      'spec.containers: Invalid value: {"name":"app"}: must be a list',
      'spec.initContainers: Invalid value: "none": must be a list',
    ]);
    expect(errorsOf({ metadata: { name: 'web' }, spec: 'x' })).toEqual(['spec: Invalid value: "x": must be an object']);
    expect(errorsOf({ metadata: { name: 'web' }, spec: { containers: [null, 7] } })).toEqual([
      'spec.containers[0].name: Required value',
      'spec.containers[0].image: Required value',
      'spec.containers[1]: Invalid value: 7: must be an object',
    ]);
  });
});

/** Replaces or deletes the value at a path picked by `steps` inside `root`. */
function mutate(root: Loose, steps: number[], value: unknown, remove: boolean): void {
  let node: Loose = root;
  for (let i = 0; i < steps.length; i++) {
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_: unknown, j: number) => j) : Object.keys(node);
    if (keys.length === 0) return;
    const k = keys[steps[i]! % keys.length]!;
    const child: unknown = node[k];
    const last = i === steps.length - 1 || child === null || typeof child !== 'object';
    if (last) {
      if (remove && !Array.isArray(node)) delete node[k];
      else node[k] = value;
      return;
    }
    node = child;
  }
}

/** A richer valid pod, so mutations land on many kinds of fields. */
function richPod(): Loose {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { note: 'x' }, finalizers: ['example.com/f'] },
    spec: {
      terminationGracePeriodSeconds: 30,
      os: { name: 'linux' },
      volumes: [{ name: 'data', emptyDir: {} }],
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }],
      initContainers: [
        { name: 'init', image: 'busybox', command: ['true'] },
        { name: 'proxy', image: 'envoy', restartPolicy: 'Always', lifecycle: { preStop: { httpGet: { port: 'admin', httpHeaders: [{ name: 'X-A', value: '1' }] } } } },
      ],
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          ports: [{ name: 'http', containerPort: 80 }],
          env: [{ name: 'A', value: '1' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          envFrom: [{ configMapRef: { name: 'cfg' } }],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
          lifecycle: { postStart: { exec: { command: ['sh', '-c', 'true'] } }, preStop: { sleep: { seconds: 5 } }, stopSignal: 'SIGTERM' },
          livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
          readinessProbe: { grpc: { port: 9000 } },
          startupProbe: { exec: { command: ['true'] } },
        },
      ],
    },
  };
}

describe('robustness (property)', () => {
  // Plain checks instead of expect(): thousands of runs must stay fast.
  const richDefaulted = applyDefaults(richPod());
  const check = (input: unknown): void => {
    const defaulted = applyDefaults(input as Pod);
    for (const errs of [validatePod(defaulted), validatePod(input as Pod), validatePodUpdate(defaulted, richDefaulted)]) {
      for (const e of errs) {
        if (typeof e.field !== 'string' || e.field.length === 0) throw new Error(`error without a field path: ${JSON.stringify(e)}`);
        if (formatFieldError(e).length === 0) throw new Error('empty rendering');
      }
    }
  };

  it('the rich fixture itself is valid', () => {
    expect(errorsOf(richPod())).toEqual([]);
  });

  it('never throws on a valid pod with random mutations, and every error has a field path', () => {
    const mutation = fc.record({
      steps: fc.array(fc.nat(50), { minLength: 1, maxLength: 8 }),
      value: fc.jsonValue({ maxDepth: 3 }),
      remove: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        const pod = richPod();
        for (const m of mutations) mutate(pod, m.steps, m.value, m.remove);
        check(pod);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary JSON, shaped like a pod or not', () => {
    const loose = fc.jsonValue({ maxDepth: 4 });
    const podShaped = fc.record(
      {
        metadata: fc.oneof(fc.record({ name: loose, namespace: loose, labels: loose }, { requiredKeys: [] }), loose),
        spec: fc.oneof(
          fc.record(
            {
              containers: fc.oneof(fc.array(fc.dictionary(fc.constantFrom('name', 'image', 'ports', 'env', 'lifecycle', 'livenessProbe', 'restartPolicy'), loose)), loose),
              initContainers: loose,
              ephemeralContainers: loose,
              terminationGracePeriodSeconds: loose,
              os: loose,
              volumes: loose,
              tolerations: loose,
            },
            { requiredKeys: [] },
          ),
          loose,
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(fc.oneof(loose, podShaped), check), { numRuns: 1200 });
  });

  it('defaulting is pure: the input is never modified', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const before = JSON.stringify(value);
        applyDefaults({ metadata: {}, spec: { containers: [value] } } as unknown as Pod);
        applyDefaults(value as unknown as Pod);
        expect(JSON.stringify(value)).toBe(before);
      }),
      { numRuns: 500 },
    );
  });
});
