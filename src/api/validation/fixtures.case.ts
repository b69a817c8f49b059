/**
 * Shared test helpers: a minimal valid pod and the formatted errors of a pod-shaped value
 * after defaulting, so each test asserts the exact strings the API server prints.
 */
import { applyDefaults } from '../defaults.js';
import { formatFieldError } from '../field-error.js';
import type { Pod } from '../types.js';
import { validatePod } from './validate-pod.js';
import { validatePodUpdate } from './validate-pod-update.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests build malformed pods on purpose */
export type Loose = any;

export function basePod(): Loose {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  };
}

/** basePod() changed by `mutate`. */
export function podWith(mutate: (pod: Loose) => void): Loose {
  const pod = basePod();
  mutate(pod);
  return pod;
}

/** The first container of basePod() changed by `mutate`. */
export function containerWith(mutate: (ctr: Loose) => void): Loose {
  return podWith((p) => mutate(p.spec.containers[0]));
}

/** Errors as the API server prints them, for a pod that goes through defaulting first. */
export function errorsOf(pod: Loose): string[] {
  return validatePod(applyDefaults(pod as Pod)).map(formatFieldError);
}

/** Errors for a pod that skips defaulting (for fields defaulting would fill in). */
export function rawErrorsOf(pod: Loose): string[] {
  return validatePod(pod as Pod).map(formatFieldError);
}

export function updateErrorsOf(next: Loose, prev: Loose): string[] {
  return validatePodUpdate(applyDefaults(next as Pod), applyDefaults(prev as Pod)).map(formatFieldError);
}
