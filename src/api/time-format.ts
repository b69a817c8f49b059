/** RFC 3339 renderings the API uses, from epoch milliseconds (fractional allowed). */

/** `2026-11-29T00:34:36Z` — metav1.Time (seconds). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `2026-11-29T00:34:36.123456Z` — metav1.MicroTime. */
export function rfc3339Micro(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const micros = Math.floor(ms * 1000) - whole * 1_000_000;
  const base = new Date(whole * 1000).toISOString().slice(0, 19);
  return `${base}.${String(micros).padStart(6, '0')}Z`;
}

/** Parses an RFC 3339 timestamp to epoch ms (NaN if absent or invalid). */
export function parseTime(s: string | undefined): number {
  return s ? Date.parse(s) : Number.NaN;
}
