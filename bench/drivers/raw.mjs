// The lower bound: a plain Node script that spawns the N apps and, where the
// workload has hooks, one `sh -c true` per app after it starts (postStart)
// and one before it is signalled (preStop). No state, no status, no logs.
// With hooks: the bound for hooklet. Without: the bound for PM2 and supervisord.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { nowNs } from '../lib/clock.mjs';
import { driverMain } from '../lib/driver-main.mjs';
import { runPhase } from '../lib/phase.mjs';
import { ReportFifo } from '../lib/report-fifo.mjs';

const HOOK = ['sh', ['-c', 'true']];

function runHook() {
  return new Promise((resolve) => spawn(HOOK[0], HOOK[1], { stdio: 'ignore' }).on('exit', resolve));
}

await driverMain(async (cfg, { ledger, cleanups }) => {
  const fifo = new ReportFifo(join(cfg.workDir, 'report.fifo'));
  cleanups.push(() => fifo.close());
  let children = [];
  const deadlineMs = (mode) => (mode === 'forced' ? cfg.killDeadlineMs : cfg.gracefulDeadlineMs);

  const tool = {
    async launch(mode, n) {
      const args = mode === 'forced' ? [fifo.path, 'ignore'] : [fifo.path, 'graceful', String(cfg.termDelayMs)];
      children = [];
      const running = [];
      for (let i = 0; i < n; i++) {
        const child = spawn(cfg.appBin, args, { stdio: 'ignore' });
        children.push(child);
        running.push(
          new Promise((resolve, reject) => {
            child.once('error', reject);
            child.once('spawn', () => {
              if (!cfg.hooks) resolve(nowNs());
              else runHook().then(() => resolve(nowNs()));
            });
          }),
        );
      }
      const times = await Promise.all(running);
      return times.reduce((a, b) => (b > a ? b : a));
    },
    async stop(mode) {
      const done = children.map(async (child) => {
        const exited = new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)));
        if (cfg.hooks) await runHook();
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs(mode));
        await exited;
        clearTimeout(timer);
      });
      await Promise.all(done);
      return nowNs();
    },
    deadlineMs,
  };

  const phases = [];
  for (const mode of cfg.modes) {
    phases.push(await runPhase({ n: cfg.n, mode, fifo, watcherBin: cfg.watcherBin, ledger, tool }));
  }
  return { phases };
});
