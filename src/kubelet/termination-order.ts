import type { Clock } from '../clock/clock.js';
import { isRunning, type ContainerRecord } from './container-record.js';

/**
 * newTerminationOrdering (R5.1): only when the pod has sidecars. Regular
 * containers wait for nothing; each sidecar waits for every regular
 * container and for the sidecar declared after it, under one timer of the
 * remaining grace (waitForTurn). Containers not running count as done.
 */
export function terminationTurns(
  records: ContainerRecord[],
  clock: Clock,
  exited: (rec: ContainerRecord, id: string) => Promise<void>,
): ((rec: ContainerRecord, graceMs: number) => Promise<void>) | undefined {
  const sidecars = records.filter((r) => r.kind === 'sidecar');
  if (sidecars.length === 0) return undefined;
  const doneOf = new Map<ContainerRecord, Promise<void>>();
  for (const r of records) {
    doneOf.set(r, isRunning(r) && r.id ? exited(r, r.id) : Promise.resolve());
  }
  return async (rec, graceMs) => {
    if (rec.kind !== 'sidecar' || graceMs <= 0) return;
    const idx = sidecars.indexOf(rec);
    const prerequisites = [
      ...records.filter((r) => r.kind === 'main').map((r) => doneOf.get(r)!),
      ...(idx + 1 < sidecars.length ? [doneOf.get(sidecars[idx + 1]!)!] : []),
    ];
    let cancel = (): void => {};
    const timer = new Promise<void>((resolve) => {
      cancel = clock.setTimer(graceMs, resolve);
    });
    await Promise.race([Promise.all(prerequisites).then(() => undefined), timer]);
    cancel();
  };
}
