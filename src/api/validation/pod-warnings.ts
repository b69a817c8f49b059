/**
 * Warnings the API server returns (HTTP `Warning` headers, printed by kubectl as
 * `Warning: …`) for a pod it accepts. Only the one hooklet's rules touch is produced: a
 * negative grace period is valid but treated as 1 on delete (spec open point 14, V10).
 * Text from `pkg/api/pod/warnings.go`.
 */
import type { Pod } from '../types.js';
import { isObject } from './json-shape.js';

export function podWarnings(pod: Pod): string[] {
  const raw: unknown = pod;
  const spec = isObject(raw) ? raw.spec : undefined;
  const warnings: string[] = [];
  if (isObject(spec) && typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    warnings.push('spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1');
  }
  return warnings;
}
