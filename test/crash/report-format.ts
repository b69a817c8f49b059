/** The crash run's report: counts first, then violations grouped by invariant. */
import type { CrashReport, Violation } from './invariants.js';
import type { RunRecord } from './run-record.js';

export function formatReport(run: RunRecord, report: CrashReport): string {
  const c = report.counts;
  const lines = [
    `crash run seed=${run.seed} (replay: HOOKLET_CRASH_SEED=${run.seed}) dir=${run.runDir}`,
    `kills=${c.kills} (early ${c.killsEarly}, aimed after a delete ${c.killsAfterDelete}) daemon starts=${c.daemonStarts} mean restart=${c.meanRestartMs}ms`,
    `pods created=${c.podsCreated} deleted by the scenario=${c.podsDeleted} (force ${c.forceDeletes}) container instances=${c.containerInstances}`,
    `terminations interrupted=${c.terminationsInterrupted} containers interrupted before their stop signal=${c.interruptedDuringPreStop} while stopping=${c.interruptedWhileStopping} (ended before the next daemon served: ${c.stoppedWhileDown}) orphans=${c.orphanContainers}`,
    `preStop deliveries=${c.preStopDeliveries} (re-deliveries ${c.preStopRedeliveries}) postStart deliveries=${c.postStartDeliveries} exits recorded while down=${c.exitsRecordedWhileDown}`,
    `log lines checked=${c.logLinesChecked} logs captured=${c.logsCaptured}/${c.containerInstances} exit.json captured=${c.exitFilesCaptured}`,
  ];
  const fails = report.violations.filter((x) => x.severity === 'fail');
  const warns = report.violations.filter((x) => x.severity === 'warn');
  lines.push(`violations: ${fails.length} failing, ${warns.length} warnings`);
  for (const [inv, list] of byInvariant(report.violations)) {
    lines.push(`  ${inv}: ${list.length}`);
    for (const x of list.slice(0, 12)) {
      const where = [x.pod && `pod ${x.pod}`, x.uid && `uid ${x.uid.slice(0, 8)}`, x.container && `container ${x.container}`].filter(Boolean).join(' ');
      lines.push(`    - ${where}: expected ${x.expected}; seen ${x.seen}${x.detail ? `\n        ${x.detail}` : ''}`);
    }
    if (list.length > 12) lines.push(`    … ${list.length - 12} more`);
  }
  return lines.join('\n');
}

function byInvariant(violations: Violation[]): Map<string, Violation[]> {
  const m = new Map<string, Violation[]>();
  for (const x of violations) {
    const k = `${x.severity === 'fail' ? 'FAIL' : 'warn'} ${x.invariant}`;
    m.set(k, [...(m.get(k) ?? []), x]);
  }
  return m;
}
