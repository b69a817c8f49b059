/**
 * Child process of sqlite-crash.test.ts (run after transpiling): writes to a
 * SqliteStore in a tight loop, appending each committed step to a report
 * file, until it is SIGKILLed. The report goes to a file, not a pipe, so
 * back-pressure never parks the writer at a quiet point when the kill lands.
 * Usage: <db path> <report path> <run id>.
 */
import { openSync, writeSync } from 'node:fs';
import { RealClock } from '../clock/real-clock.js';
import { SqliteStore } from './sqlite-store.js';

const [path, reportPath, runId] = process.argv.slice(2);
if (!path || !reportPath || !runId) throw new Error('usage: crash-writer <db path> <report path> <run id>');
const store = new SqliteStore(path, new RealClock());
const reportFd = openSync(reportPath, 'a');
const report = (line: string): void => {
  writeSync(reportFd, `${line}\n`);
};
writeSync(1, 'ready\n');

for (let i = 0; ; i++) {
  const name = `r${runId}-p${i}`;
  const pod = store.createPod({
    metadata: { name, namespace: 'default', labels: { run: runId } },
    spec: { nodeName: 'hooklet', terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image: 'busybox' }] },
    status: { phase: 'Pending' },
  });
  const uid = pod.metadata.uid!;
  report(`created ${name}`);
  for (let step = 1; step <= 5; step++) {
    store.updatePodStatus('default', name, uid, { phase: 'Running', message: `step ${step}` });
    store.recordEvent({
      metadata: { namespace: 'default' },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'default', name, uid },
      reason: 'Tick',
      message: 'the same message every step',
      type: 'Normal',
      source: { component: 'crash-writer' },
    });
    store.appendTimeline({
      kind: 'TimelineEntry',
      time: new Date().toISOString(),
      timeMs: step,
      namespace: 'default',
      pod: name,
      podUid: uid,
      what: `step ${step}`,
    });
    report(`step ${name} ${step}`);
  }
  // Every other pod is deleted: gracefully (stays, terminating) or at once.
  if (i % 2 === 0) {
    const { removed } = store.deletePod('default', name, i % 4 === 0 ? 30 : 0);
    report(`deleted ${name} ${removed}`);
  }
}
