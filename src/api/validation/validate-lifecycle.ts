/**
 * validateLifecycle (postStart, preStop, stopSignal) for regular containers and for
 * restartable init containers (sidecars). Plain init containers and ephemeral containers
 * never get here: they are refused earlier (V1, V2).
 */
import { forbidden, notSupported } from '../field-error.js';
import { child } from './field-path.js';
import { readObject, readOptionalString, WRONG_TYPE, type Errors, type JsonObject } from './json-shape.js';
import { stopSignalsFor } from './signals.js';
import { LIFECYCLE_HANDLER_FIELDS, validateHandler } from './validate-handler.js';

/** What the pod says about its OS: `present` is false when `spec.os` is unset (Go nil). */
export interface PodOS {
  present: boolean;
  /** `spec.os.name` when it is a string, otherwise undefined. */
  name: string | undefined;
}

export interface LifecycleContext {
  gracePeriod: number | undefined;
  os: PodOS;
}

export function validateLifecycle(errs: Errors, lifecycle: JsonObject, ctx: LifecycleContext, path: string): void {
  for (const hook of ['postStart', 'preStop'] as const) {
    const hookPath = child(path, hook);
    const handler = readObject(errs, lifecycle[hook], hookPath);
    if (handler === WRONG_TYPE || handler === undefined) continue;
    validateHandler(errs, handler, LIFECYCLE_HANDLER_FIELDS, ctx.gracePeriod, hookPath);
  }
  const signalPath = child(path, 'stopSignal');
  const signal = readOptionalString(errs, lifecycle.stopSignal, signalPath);
  if (signal === WRONG_TYPE || signal === undefined) return;
  validateStopSignal(errs, signal, ctx.os, signalPath);
}

/**
 * V8 (KEP-4960, 1.33+). With `spec.os` unset the signal is Forbidden; for linux and windows it
 * must be in that OS's list (an empty string is just another unsupported value); any other
 * OS name is left to the `spec.os` check.
 */
export function validateStopSignal(errs: Errors, signal: string, os: PodOS, path: string): void {
  if (!os.present) {
    errs.push(forbidden(path, 'may not be set for containers with empty `spec.os.name`'));
    return;
  }
  const allowed = os.name === undefined ? undefined : stopSignalsFor(os.name);
  if (allowed && !allowed.includes(signal)) errs.push(notSupported(path, signal, [...allowed]));
}
