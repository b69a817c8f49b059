/** Test helpers for lint rules: pods written as YAML, checked after API defaulting as lint does. */
import { applyDefaults } from '../../../api/defaults.js';
import { loadManifests } from '../../../api/load/load-manifests.js';
import type { Pod } from '../../../api/types.js';
import type { RuleHit } from '../finding.js';
import type { LintRule } from './lint-rule.js';

/** A Pod whose `spec:` holds `spec` (written from column 0). */
export function podWithSpec(spec: string): Pod {
  const body = spec
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  const r = loadManifests(`apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n${body}\n`, 't.yaml');
  if (r.errors.length > 0 || r.pods.length !== 1) throw new Error(`bad test pod: ${JSON.stringify(r.errors)}`);
  return r.pods[0]!.pod;
}

export function hitsOf(rule: LintRule, spec: string): RuleHit[] {
  return rule.check(applyDefaults(podWithSpec(spec)));
}

export function pathsOf(rule: LintRule, spec: string): string[] {
  return hitsOf(rule, spec).map((h) => h.path);
}
