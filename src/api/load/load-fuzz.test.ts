import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults.js';
import { validatePod } from '../validation/index.js';
import { loadManifests, type LoadResult } from './load-manifests.js';

const yamlPod = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, tier: "front"}
  annotations:
    note: &note "drain first"
spec:
  terminationGracePeriodSeconds: 30
  restartPolicy: Always
  os: {name: linux}
  initContainers:
  - name: sidecar
    image: envoy
    restartPolicy: Always
    lifecycle:
      preStop: {sleep: {seconds: 3}}
  containers:
  - &app
    name: app
    image: nginx:1.27
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 1000"]
    ports:
    - {name: http, containerPort: 8080}
    env:
    - {name: NOTE, value: *note}
    lifecycle:
      stopSignal: SIGUSR1
      postStart:
        exec: {command: [sh, -c, "echo started"]}
      preStop:
        httpGet: {path: /drain, port: http, scheme: HTTPS, httpHeaders: [{name: X-A, value: b}]}
    livenessProbe:
      tcpSocket: {port: 8080}
      terminationGracePeriodSeconds: 10
  - <<: *app
    name: worker
    args:
    - |
      while true; do
        sleep 1
      done
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Pod, metadata: {name: x}, spec: {containers: [{name: c, image: i}]}}
`;

const jsonPod = JSON.stringify(
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'j', labels: { a: 'b' } },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'c', image: 'i', lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } }, resources: { limits: { cpu: '1' } } }],
    },
  },
  null,
  2,
);

/** Pieces of YAML and JSON syntax that random edits splice in. */
const fragments = [
  '- ', ': ', '? ', '&a ', '*a', '<<: *a', '[', ']', '{', '}', ',', '"', "'", '|', '>-', '#', '---\n', '...\n', '!!str ', '!!map ',
  '\t', '\n', '  ', 'null', '~', 'yes', '0x1F', '1.5', '-1', '99999999999999999999', '.inf', '@', '%YAML 1.2\n', '\\u00', '\ufeff',
  'apiVersion: v1\n', 'kind: Pod\n', 'kind: List\n', 'items:\n', 'spec:\n', 'foo: 1\n', 'containers: x\n', 'port: http\n',
];

const edit = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 })) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ op: fc.constant('duplicateLine' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swapLines' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);

type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  if (e.op === 'insert') return text.slice(0, at) + e.text + text.slice(at);
  if (e.op === 'delete') return text.slice(0, at) + text.slice(at + e.length);
  const lines = text.split('\n');
  const i = e.at % lines.length;
  if (e.op === 'duplicateLine') lines.splice(i, 0, lines[i]!);
  if (e.op === 'swapLines') {
    const j = e.with % lines.length;
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  if (e.op === 'indent') lines[i] = e.by >= 0 ? ' '.repeat(e.by) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-e.by}}`), '');
  return lines.join('\n');
}

function checkResult(r: LoadResult, text: string): void {
  for (const e of r.errors) {
    expect(e.message.length, JSON.stringify(e)).toBeGreaterThan(0);
    expect(e.fileName).toBe('fuzz.yaml');
    expect(['read', 'parse', 'limit', 'kind', 'strict', 'type']).toContain(e.reason);
    if (e.line !== undefined) {
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.col).toBeGreaterThanOrEqual(1);
      expect(e.line).toBeLessThanOrEqual(text.split('\n').length + 1);
    }
  }
  for (const p of r.pods) {
    expect(p.pod.metadata).toBeTypeOf('object');
    expect(p.pod.spec).toBeTypeOf('object');
    expect(p.position('spec.containers[0].lifecycle.preStop')?.line).toBeGreaterThanOrEqual(1);
    // What the loader accepts must never crash defaulting or validation, and every reject names a field.
    for (const err of validatePod(applyDefaults(p.pod))) {
      expect(err.field.length, JSON.stringify(err)).toBeGreaterThan(0);
      expect(p.position(err.field)?.line).toBeGreaterThanOrEqual(1);
    }
  }
}

describe('loadManifests fuzz: thousands of mutated manifests', () => {
  for (const [name, seed] of [
    ['YAML', yamlPod],
    ['JSON', jsonPod],
  ] as const) {
    it(`never throws; every error has a message; every validation reject has a field path (${name})`, () => {
      expect(loadManifests(seed, 'fuzz.yaml').errors).toEqual([]);
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
          const text = edits.reduce(applyEdit, seed);
          checkResult(loadManifests(text, 'fuzz.yaml'), text);
        }),
        { numRuns: 1500 },
      );
    });
  }

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => {
        checkResult(loadManifests(text, 'fuzz.yaml'), text);
      }),
      { numRuns: 1500 },
    );
  });
});
