import { applyDefaults } from '../../api/defaults.js';
import { formatFieldError, formatInvalid } from '../../api/field-error.js';
import type { LoadedPod } from '../../api/load/load-manifests.js';
import { podWarnings, validatePod } from '../../api/validation/index.js';
import type { Finding, RuleHit, Severity } from './finding.js';
import { lintRules, type LintRule } from './rules/index.js';

/** The findings for one Pod, and kubectl's exact rejection text when the API server would refuse it. */
export interface PodLint {
  findings: Finding[];
  /** `The Pod "web" is invalid: …` as kubectl prints the 422, when validation fails. */
  invalid?: string;
}

/**
 * Lints one loaded Pod the way the API server would see it: defaulted, then
 * validated (every error a `validation` finding, worded as kubectl prints
 * it), then checked by the lifecycle rules the API server does not have.
 */
export function lintPod(loaded: LoadedPod, rules: readonly LintRule[] = lintRules): PodLint {
  const pod = applyDefaults(loaded.pod);
  const at = (path: string, rule: string, severity: Severity, message: string): Finding => {
    const pos = loaded.position(path);
    return { file: loaded.fileName, ...(pos ?? {}), rule, severity, path, message };
  };

  const errors = validatePod(pod);
  const findings = errors.map((e) => at(e.field, 'validation', 'error', formatFieldError(e).slice(e.field.length + 2)));
  for (const warning of podWarnings(pod)) {
    const m = /^([^\s:]+): (.*)$/s.exec(warning);
    findings.push(at(m ? m[1]! : '', 'api-warning', 'warning', m ? m[2]! : warning));
  }
  for (const rule of rules) {
    let hits: RuleHit[];
    try {
      hits = rule.check(pod);
    } catch (err) {
      // A rule bug must not hide the other findings; it shows up as its own finding.
      hits = [{ path: '', severity: 'error', message: `internal error in rule ${rule.id}: ${(err as Error).message}` }];
    }
    for (const hit of hits) findings.push(at(hit.path, rule.id, hit.severity ?? rule.severity, hit.message));
  }
  const name = typeof loaded.pod.metadata?.name === 'string' ? loaded.pod.metadata.name : '';
  return errors.length > 0 ? { findings, invalid: formatInvalid('Pod', name, errors) } : { findings };
}
