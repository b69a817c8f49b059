// hooklet's engine (in this process, as `hooklet run` runs it) on the same
// workload as the raw bound: N pods with a postStart and a preStop exec hook.
import { join } from 'node:path';
import { driverMain } from '../lib/driver-main.mjs';
import { HookletEngine } from '../lib/hooklet-engine.mjs';
import { runPhase } from '../lib/phase.mjs';
import { benchPod } from '../lib/pod-manifest.mjs';
import { ReportFifo } from '../lib/report-fifo.mjs';

// The kubelet never gives a stop less than 2 s (minimumGracePeriodInSeconds):
// grace 1 s minus the preStop's whole seconds (0), floored to 2 s.
const MIN_STOP_GRACE_MS = 2000;

await driverMain(async (cfg, { ledger, cleanups }) => {
  const fifo = new ReportFifo(join(cfg.workDir, 'report.fifo'));
  cleanups.push(() => fifo.close());
  // Outside any measurement: every app that ever came up goes into the ledger, even if the run failed half-way.
  cleanups.push(() => fifo.notePids(ledger));
  const engine = await HookletEngine.start({ workDir: cfg.workDir, store: cfg.store ?? 'memory' });
  cleanups.push(() => engine.close());
  let names = [];
  let uids = [];

  const tool = {
    async launch(mode, n) {
      names = Array.from({ length: n }, (_, i) => `${mode}-${i}`);
      const pods = names.map((name) =>
        benchPod({ name, appBin: cfg.appBin, fifo: fifo.path, mode, termDelayMs: cfg.termDelayMs, ...(mode === 'forced' ? { graceSeconds: cfg.graceSeconds } : {}) }),
      );
      const running = engine.allRunning(names);
      uids = engine.create(pods);
      return running;
    },
    stop: () => engine.deleteAll(names, uids),
    deadlineMs: (mode) => (mode === 'forced' ? Math.max(cfg.graceSeconds * 1000, MIN_STOP_GRACE_MS) : 30_000),
  };

  const phases = [];
  for (const mode of cfg.modes) {
    phases.push(await runPhase({ n: cfg.n, mode, fifo, watcherBin: cfg.watcherBin, ledger, tool }));
  }
  const sigkillsInTimeline = engine.timeline.filter((e) => e.what === 'sigkill').length;
  return { phases, sigkillsInTimeline };
});
