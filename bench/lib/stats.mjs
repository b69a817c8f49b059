// Summaries of repeated measurements. Percentiles use the nearest-rank
// method (a value that was actually measured, no interpolation).

/** @param {number[]} xs @param {number} p 0..100 */
export function percentile(xs, p) {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** @param {number[]} xs */
export function summarize(xs) {
  const values = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (values.length === 0) return null;
  return {
    n: values.length,
    median: percentile(values, 50),
    p95: percentile(values, 95),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** a / b, or null when either is missing or b is not positive. */
export function ratio(a, b) {
  if (a == null || b == null || !(b > 0)) return null;
  return a / b;
}
