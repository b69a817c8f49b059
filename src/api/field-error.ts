/**
 * apimachinery's field.Error: `<path>: <Type>: <value>: <detail>`.
 * Required and Forbidden carry no value; Unsupported appends the supported list.
 */
export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueForbidden'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany';

export interface FieldError {
  type: FieldErrorType;
  /** Kubernetes field path, e.g. `spec.containers[0].lifecycle.preStop.sleep`. */
  field: string;
  /** The offending value (omitted for Required/Forbidden). */
  badValue?: unknown;
  detail: string;
  /** Only for Unsupported value. */
  supported?: string[];
}

const typeText: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueForbidden: 'Forbidden',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
};

export function required(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, detail };
}
export function invalid(field: string, badValue: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, badValue, detail };
}
export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}
export function notSupported(field: string, badValue: unknown, supported: string[]): FieldError {
  return { type: 'FieldValueNotSupported', field, badValue, detail: '', supported };
}
export function duplicate(field: string, badValue: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, badValue, detail: '' };
}

/** Go's %#v-ish rendering apimachinery uses for values: strings quoted, numbers bare. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

/** The reason string (`Required value`, …) of a type. */
export function typeString(t: FieldErrorType): string {
  return typeText[t];
}

/** One error as the API server prints it. */
export function formatFieldError(e: FieldError): string {
  const t = typeText[e.type];
  if (e.type === 'FieldValueRequired' || e.type === 'FieldValueForbidden') {
    return e.detail ? `${e.field}: ${t}: ${e.detail}` : `${e.field}: ${t}`;
  }
  let s = `${e.field}: ${t}: ${formatValue(e.badValue)}`;
  if (e.type === 'FieldValueNotSupported') {
    if (e.supported && e.supported.length) s += `: supported values: ${e.supported.map((x) => JSON.stringify(x)).join(', ')}`;
    return s;
  }
  return e.detail ? `${s}: ${e.detail}` : s;
}

/**
 * kubectl's rendering of a 422 for a Pod: one error stays on one line,
 * several become a bulleted list.
 */
export function formatInvalid(kind: string, name: string, errors: FieldError[]): string {
  const head = `The ${kind} "${name}" is invalid:`;
  if (errors.length === 1) return `${head} ${formatFieldError(errors[0]!)}`;
  // kubectl keeps a trailing space after the colon before the bullet list.
  return [`${head} `, ...errors.map((e) => `* ${formatFieldError(e)}`)].join('\n');
}
