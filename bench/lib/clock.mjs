// One clock for everything the bench compares: CLOCK_MONOTONIC, which is what
// Node's hrtime reads and what bench-app and bench-exit-watcher print.
import { setTimeout as sleepMs } from 'node:timers/promises';

/** CLOCK_MONOTONIC in nanoseconds. */
export function nowNs() {
  return process.hrtime.bigint();
}

/** Milliseconds between two nanosecond readings (bigint or number). */
export function msBetween(fromNs, toNs) {
  return Number(BigInt(toNs) - BigInt(fromNs)) / 1e6;
}

export { sleepMs };

/** Polls `check` every `everyMs` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor(what, check, { timeoutMs = 60_000, everyMs = 20 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleepMs(everyMs);
  }
}
