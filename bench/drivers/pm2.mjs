// PM2 on the same apps (no hooks: PM2 has none), as a private daemon whose
// PM2_HOME lives in this run's temp dir. Stop = `pm2 delete all` through the
// API, the usual way to take everything down. PM2's stop signal is a
// daemon-wide setting (PM2_KILL_SIGNAL, default SIGINT): set to SIGTERM here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { nowNs, sleepMs, waitFor } from '../lib/clock.mjs';
import { driverMain } from '../lib/driver-main.mjs';
import { findPm2, pm2InstallHint } from '../lib/peers.mjs';
import { runPhase } from '../lib/phase.mjs';
import { cpuOver, isAlive, rssKiB } from '../lib/proc.mjs';
import { ReportFifo } from '../lib/report-fifo.mjs';

await driverMain(async (cfg, { ledger, cleanups }) => {
  const pm2Dir = findPm2();
  if (!pm2Dir) return { skipped: pm2InstallHint() };
  process.env.PM2_HOME = join(cfg.workDir, 'pm2-home');
  process.env.PM2_KILL_SIGNAL = 'SIGTERM';
  const pm2 = (await import(join(pm2Dir, 'index.js'))).default;
  const call = (fn, ...args) => promisify(fn).apply(pm2, args);

  const fifo = new ReportFifo(join(cfg.workDir, 'report.fifo'));
  cleanups.push(() => fifo.close());
  // Outside any measurement: every app that ever came up goes into the ledger, even if the run failed half-way.
  cleanups.push(() => fifo.notePids(ledger));
  await call(pm2.connect, false);
  const daemonPid = Number(readFileSync(join(process.env.PM2_HOME, 'pm2.pid'), 'utf8'));
  ledger.note(daemonPid, 'pm2-daemon');
  cleanups.push(async () => {
    await call(pm2.killDaemon).catch(() => {});
    pm2.disconnect();
    await waitFor('the PM2 daemon to exit', () => !isAlive(daemonPid), { timeoutMs: 10_000 });
  });
  await sleepMs(1000);
  const daemon = { pid: daemonPid, idleRssKiB: rssKiB(daemonPid) };

  const tool = {
    async launch(mode, n) {
      const apps = Array.from({ length: n }, (_, i) => ({
        name: `${mode}-${i}`,
        script: cfg.appBin,
        args: mode === 'forced' ? [fifo.path, 'ignore'] : [fifo.path, 'graceful', String(cfg.termDelayMs)],
        interpreter: 'none',
        exec_mode: 'fork',
        autorestart: false,
        ...(mode === 'forced' ? { kill_timeout: cfg.graceSeconds * 1000 } : {}),
      }));
      await call(pm2.start, { apps });
      return nowNs();
    },
    async stop() {
      await call(pm2.delete, 'all');
      return nowNs();
    },
    deadlineMs: (mode) => (mode === 'forced' ? cfg.graceSeconds * 1000 : 1600),
    async whileRunning() {
      if (!cfg.resources) return undefined;
      const loaded = { rssKiB: rssKiB(daemonPid) };
      if (cfg.cpuWindowMs > 0) loaded.cpu = await cpuOver(daemonPid, cfg.cpuWindowMs, sleepMs);
      return loaded;
    },
  };

  const phases = [];
  for (const mode of cfg.modes) {
    phases.push(await runPhase({ n: cfg.n, mode, fifo, watcherBin: cfg.watcherBin, ledger, tool, timeoutMs: cfg.phaseTimeoutMs }));
    tool.whileRunning = undefined;
  }
  return { phases, daemon };
});
