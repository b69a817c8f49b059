/**
 * The two timestamp renderings the API server uses: metav1.Time (whole
 * seconds, truncated) and metav1.MicroTime. Inputs are epoch milliseconds,
 * fractional allowed.
 */

// Timestamps come in bursts within the same second (every event, status and
// timeline entry of a busy engine): formatting the date part once per second
// keeps Date and toISOString off the hot path.
let cachedSecond = NaN;
let cachedPrefix = '';

/** `2026-11-29T00:34:36` for a whole epoch second. */
function secondPrefix(wholeSeconds: number): string {
  if (wholeSeconds !== cachedSecond) {
    cachedPrefix = new Date(wholeSeconds * 1000).toISOString().slice(0, 19);
    cachedSecond = wholeSeconds;
  }
  return cachedPrefix;
}

/** `2026-11-29T00:34:36Z` — truncated to the second, as metav1.Time serialises. */
export function rfc3339Seconds(ms: number): string {
  return `${secondPrefix(Math.floor(ms / 1000))}Z`;
}

/** `2026-11-29T00:34:36.123456Z` — metav1.MicroTime. */
export function rfc3339Micros(ms: number): string {
  const wholeSeconds = Math.floor(ms / 1000);
  const micros = Math.floor(ms * 1000) - wholeSeconds * 1_000_000;
  return `${secondPrefix(wholeSeconds)}.${String(micros).padStart(6, '0')}Z`;
}

/** Epoch milliseconds of an RFC 3339 string, or undefined when absent or unparseable. */
export function parseRfc3339(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
