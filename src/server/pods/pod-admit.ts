import type { Pod } from '../../api/types.js';
import type { FieldError } from '../../api/field-error.js';
import { formatFieldError, required, typeString } from '../../api/field-error.js';
import { ApiError, badRequest } from '../http/api-error.js';
import type { ServerContext } from '../server-context.js';
import { qosClass } from './qos-class.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The `fieldValidation` query parameter; the API server's default is Warn. */
export function fieldValidation(value: string | null): FieldValidation {
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict"`);
}

/** A 422 Invalid as kubectl renders it: `The Pod "bad" is invalid: <field>: <detail>` (contract §5). */
export function invalidPod(name: string, errors: FieldError[]): ApiError {
  const bodies = errors.map((e) => formatFieldError(e));
  const aggregate = bodies.length === 1 ? bodies[0]! : `[${bodies.join(', ')}]`;
  return new ApiError(422, 'Invalid', `Pod "${name}" is invalid: ${aggregate}`, {
    name,
    kind: 'Pod',
    causes: errors.map((e) => ({
      reason: e.type,
      message: errorBody(e),
      field: e.field,
    })),
  });
}

/** field.Error.ErrorBody: the message without the leading `<field>: `. */
function errorBody(e: FieldError): string {
  const full = formatFieldError(e);
  const prefix = `${e.field}: `;
  return full.startsWith(prefix) ? full.slice(prefix.length) : typeString(e.type);
}

export interface Admitted {
  pod: Pod;
  warnings: string[];
}

/**
 * Decodes a body as a Pod the way the API server's strict decoder does:
 * unknown or duplicate fields are an error (Strict), a warning (Warn), or
 * dropped silently (Ignore); a value of the wrong type always fails.
 */
export function decodePod(ctx: ServerContext, json: string, validation: FieldValidation, errorPrefix: string): Admitted {
  const decoded = ctx.admission.decode(json);
  if (decoded.typeError) throw badRequest(`${errorPrefix}${decoded.typeError}`);
  const strict = validation === 'Ignore' ? [] : decoded.strictErrors;
  if (strict.length > 0 && validation === 'Strict') {
    throw badRequest(`${errorPrefix}strict decoding error: ${strict.join(', ')}`);
  }
  const pod = decoded.value as Pod;
  if (pod.apiVersion !== undefined && pod.apiVersion !== 'v1') {
    throw badRequest(`the API version in the data (${String(pod.apiVersion)}) does not match the expected API version (v1)`);
  }
  if (pod.kind !== undefined && pod.kind !== 'Pod') {
    throw badRequest(`the kind in the data (${String(pod.kind)}) does not match the expected kind (Pod)`);
  }
  if (typeof pod.metadata !== 'object' || pod.metadata === null) pod.metadata = {};
  if (typeof pod.spec !== 'object' || pod.spec === null) pod.spec = { containers: [] };
  return { pod, warnings: strict };
}

/** The prefix of decode errors for a whole Pod body (create and update). */
export const podDecodePrefix = 'Pod in version "v1" cannot be handled as a Pod: ';

const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Create: namespace from the URL, generateName, defaults, node binding, validation, initial status. */
export function admitCreate(ctx: ServerContext, json: string, namespace: string, validation: FieldValidation): Admitted {
  const decoded = decodePod(ctx, json, validation, podDecodePrefix);
  const pod = decoded.pod;
  const meta = pod.metadata;
  if (meta.namespace && meta.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  meta.namespace = namespace;
  if (!meta.name && meta.generateName) {
    let suffix = '';
    for (let i = 0; i < 5; i++) suffix += nameAlphabet[Math.floor(Math.random() * nameAlphabet.length)];
    meta.name = meta.generateName + suffix;
  }
  if (!meta.name) throw invalidPod('', [required('metadata.name', 'name or generateName is required')]);
  // System fields are the server's to set.
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'managedFields', 'selfLink'] as const) {
    delete meta[k];
  }
  const defaulted = ctx.admission.applyDefaults(pod);
  // No scheduler: every pod is bound to this node at create.
  if (!defaulted.spec.nodeName) defaulted.spec.nodeName = ctx.nodeName;
  const errors = ctx.admission.validate(defaulted);
  if (errors.length > 0) throw invalidPod(meta.name, errors);
  defaulted.status = { phase: 'Pending', qosClass: qosClass(defaulted) };
  return { pod: defaulted, warnings: decoded.warnings };
}

/**
 * Update: the new object keeps the live pod's identity, deletion state and
 * status; defaults apply as on decode; the update rules (V11) decide.
 */
export function admitUpdate(ctx: ServerContext, next: Pod, old: Pod): Pod {
  const meta = next.metadata;
  if (meta.name !== undefined && meta.name !== old.metadata.name) {
    throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${old.metadata.name})`);
  }
  if (meta.namespace && meta.namespace !== old.metadata.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const merged: Record<string, unknown> = {
    ...meta,
    name: old.metadata.name,
    namespace: old.metadata.namespace,
    uid: old.metadata.uid,
    creationTimestamp: old.metadata.creationTimestamp,
    deletionTimestamp: old.metadata.deletionTimestamp,
    deletionGracePeriodSeconds: old.metadata.deletionGracePeriodSeconds,
    generation: old.metadata.generation,
  };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  next.metadata = merged as Pod['metadata'];
  const defaulted = ctx.admission.applyDefaults(next);
  if (!defaulted.spec.nodeName) defaulted.spec.nodeName = old.spec.nodeName;
  defaulted.status = old.status;
  const errors = ctx.admission.validateUpdate(defaulted, old);
  if (errors.length > 0) throw invalidPod(old.metadata.name ?? '', errors);
  return defaulted;
}
