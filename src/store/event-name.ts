/**
 * The object name client-go's recorder gives an event:
 * `fmt.Sprintf("%v.%x", ref.Name, t.UnixNano())`, e.g. `web.18a7f0c2d1e3b4a5`.
 * `ms` is epoch milliseconds (fractional allowed); `bumpNanos` disambiguates
 * events recorded within the same nanosecond (common on a fake clock).
 */
export function eventName(involvedName: string, ms: number, bumpNanos = 0): string {
  const wholeMs = Math.floor(ms);
  const subMsNanos = Math.floor((ms - wholeMs) * 1_000_000);
  const nanos = BigInt(wholeMs) * 1_000_000n + BigInt(subMsNanos) + BigInt(bumpNanos);
  return `${involvedName}.${nanos.toString(16)}`;
}
