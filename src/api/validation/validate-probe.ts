/**
 * validateLivenessProbe / validateReadinessProbe / validateStartupProbe (V9).
 */
import { invalid } from '../field-error.js';
import { child } from './field-path.js';
import { readInt, readOptionalInt, WRONG_TYPE, type Errors, type JsonObject } from './json-shape.js';
import { PROBE_HANDLER_FIELDS, validateHandler } from './validate-handler.js';

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

const IS_NEGATIVE = 'must be greater than or equal to 0';
const NON_NEGATIVE_FIELDS = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const;

export function validateProbe(errs: Errors, probe: JsonObject, kind: ProbeKind, gracePeriod: number | undefined, path: string): void {
  validateHandler(errs, probe, PROBE_HANDLER_FIELDS, gracePeriod, path);

  let successThreshold: number | undefined;
  for (const name of NON_NEGATIVE_FIELDS) {
    const value = readInt(errs, probe[name], child(path, name), 32);
    if (value === WRONG_TYPE) continue;
    if (name === 'successThreshold') successThreshold = value;
    if (value < 0) errs.push(invalid(child(path, name), value, IS_NEGATIVE));
  }

  const gracePath = child(path, 'terminationGracePeriodSeconds');
  const probeGrace = readOptionalInt(errs, probe.terminationGracePeriodSeconds, gracePath);
  const hasGrace = probeGrace !== WRONG_TYPE && probeGrace !== undefined;
  if (hasGrace && probeGrace <= 0) errs.push(invalid(gracePath, probeGrace, 'must be greater than 0'));

  if (kind === 'readinessProbe') {
    if (hasGrace) errs.push(invalid(gracePath, probeGrace, 'must not be set for readinessProbes'));
  } else if (successThreshold !== undefined && successThreshold !== 1) {
    errs.push(invalid(child(path, 'successThreshold'), successThreshold, 'must be 1'));
  }
}
