import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadManifests, type LoadedPod } from '../../api/load/load-manifests.js';
import { lintPod } from './lint-pod.js';
import type { LintRule } from './rules/index.js';

function loaded(yaml: string): LoadedPod {
  const r = loadManifests(yaml, 'p.yaml');
  expect(r.errors).toEqual([]);
  return r.pods[0]!;
}

describe('lintPod', () => {
  it('reports validation errors as kubectl prints them, at the position of their field, plus the kubectl block', () => {
    const pod = loaded(`apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    lifecycle:
      preStop:
        exec: {command: []}
`);
    const result = lintPod(pod, []);
    expect(result.findings).toEqual([
      { file: 'p.yaml', line: 7, col: 5, rule: 'validation', severity: 'error', path: 'spec.containers[0].image', message: 'Required value' },
      { file: 'p.yaml', line: 10, col: 16, rule: 'validation', severity: 'error', path: 'spec.containers[0].lifecycle.preStop.exec.command', message: 'Required value' },
    ]);
    expect(result.invalid).toBe(
      'The Pod "web" is invalid: \n* spec.containers[0].image: Required value\n* spec.containers[0].lifecycle.preStop.exec.command: Required value',
    );
  });

  it('a single validation error stays on one line, as kubectl prints it', () => {
    const result = lintPod(loaded('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: app}]\n'), []);
    expect(result.invalid).toBe('The Pod "web" is invalid: spec.containers[0].image: Required value');
  });

  it('validates after API defaulting, as the API server does (V6: sleep against the default grace of 30)', () => {
    const ok = lintPod(loaded('apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  containers: [{name: a, image: i, lifecycle: {preStop: {sleep: {seconds: 30}}}}]\n'), []);
    expect(ok.findings).toEqual([]);
    expect(ok.invalid).toBeUndefined();
    const bad = lintPod(loaded('apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  containers: [{name: a, image: i, lifecycle: {preStop: {sleep: {seconds: 31}}}}]\n'), []);
    expect(bad.findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)',
    ]);
  });

  it("reports the API server's warnings (negative grace period)", () => {
    const result = lintPod(loaded('apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  terminationGracePeriodSeconds: -5\n  containers: [{name: a, image: i}]\n'), []);
    expect(result.findings).toEqual([
      {
        file: 'p.yaml',
        line: 5,
        col: 3,
        rule: 'api-warning',
        severity: 'warning',
        path: 'spec.terminationGracePeriodSeconds',
        message: 'must be >= 0; negative values are invalid and will be treated as 1',
      },
    ]);
  });

  it('runs the lifecycle rules with their ids, severities and positions', () => {
    const result = lintPod(loaded('apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  containers:\n  - name: a\n    image: i\n    lifecycle:\n      preStop:\n        tcpSocket: {port: 80}\n'));
    expect(result.findings).toEqual([
      {
        file: 'p.yaml',
        line: 10,
        col: 9,
        rule: 'lifecycle-tcp-socket',
        severity: 'error',
        path: 'spec.containers[0].lifecycle.preStop.tcpSocket',
        message: 'A tcpSocket handler passes validation but always fails when it runs, so this preStop hook never does anything.',
      },
    ]);
  });

  it('turns a rule that throws into an internal-error finding instead of failing the run', () => {
    const broken: LintRule = {
      id: 'broken',
      severity: 'info',
      summary: 'x',
      check() {
        throw new Error('boom');
      },
    };
    const result = lintPod(loaded('apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec: {containers: [{name: a, image: i}]}\n'), [broken]);
    expect(result.findings).toEqual([
      { file: 'p.yaml', line: 1, col: 1, rule: 'broken', severity: 'error', path: '', message: 'internal error in rule broken: boom' },
    ]);
  });

  it('never throws and never hits an internal error on mutated manifests (fuzz)', () => {
    const seeds = ['bad-hooks.yaml', 'good-hooks.yaml', 'invalid.yaml'].map((f) =>
      readFileSync(new URL(`../../../examples/lint/${f}`, import.meta.url), 'utf8'),
    );
    const fragments = ['- ', ': ', '[', ']', '{', '}', '"', '\n', '  ', 'null', '0', '-1', 'x', 'Always', 'HTTPS', 'sleep', 'port: ', 'seconds: '];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.nat(12), fc.constantFrom(...fragments)), { minLength: 1, maxLength: 5 }),
        (seed, edits) => {
          let text = seed;
          for (const [at, del, ins] of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + ins + text.slice(i + del);
          }
          for (const pod of loadManifests(text, 'f.yaml').pods) {
            for (const f of lintPod(pod).findings) {
              expect(f.message, f.message).not.toMatch(/^internal error/);
              expect(f.line).toBeGreaterThanOrEqual(1);
              if (f.rule === 'validation') expect(f.path.length).toBeGreaterThan(0);
            }
          }
        },
      ),
      { numRuns: 600 },
    );
  });
});
