import type { Pod } from '../../../api/types.js';
import type { RuleHit, Severity } from '../finding.js';

/**
 * A piece of lifecycle advice the API server does not give. Rules read the
 * Pod after API defaulting (scheme HTTP, grace 30, restartPolicy Always …),
 * whose field types the loader has checked, but whose values may still be
 * invalid: a rule must not assume validation passed.
 */
export interface LintRule {
  id: string;
  severity: Severity;
  /** One line for `--help`-style listings and the README. */
  summary: string;
  check(pod: Pod): RuleHit[];
}
