// Figure 4: one pod at a time, create → Running (postStart done), repeated.
// Each sample starts from an idle tool with nothing else running: the
// previous pod is deleted and fully gone before the next is created. The
// first `warmup` samples (JIT, caches) are dropped.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { msBetween, nowNs } from '../lib/clock.mjs';
import { driverMain } from '../lib/driver-main.mjs';
import { HookletEngine } from '../lib/hooklet-engine.mjs';
import { HOOK_COMMAND, benchPod } from '../lib/pod-manifest.mjs';
import { ReportFifo } from '../lib/report-fifo.mjs';

function exitOf(child) {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)));
}

const tools = {
  /** The bound: spawn the app, then one hook process; no bookkeeping. */
  async raw(cfg, fifo) {
    return {
      async once(i) {
        const t0 = nowNs();
        const app = spawn(cfg.appBin, [fifo.path, 'graceful', '0'], { stdio: 'ignore' });
        await new Promise((resolve, reject) => app.once('spawn', resolve).once('error', reject));
        await exitOf(spawn(HOOK_COMMAND[0], HOOK_COMMAND.slice(1), { stdio: 'ignore' }));
        const runningNs = nowNs();
        await fifo.waitUp(i + 1);
        const upNs = fifo.up.get(app.pid);
        const latency = msBetween(t0, upNs > runningNs ? upNs : runningNs);
        await exitOf(spawn(HOOK_COMMAND[0], HOOK_COMMAND.slice(1), { stdio: 'ignore' }));
        app.kill('SIGTERM');
        await exitOf(app);
        return latency;
      },
      close() {},
    };
  },
  async hooklet(cfg, fifo) {
    const engine = await HookletEngine.start({ workDir: cfg.workDir, store: cfg.store ?? 'memory' });
    return {
      async once(i) {
        const name = `one-${i}`;
        const pod = benchPod({ name, appBin: cfg.appBin, fifo: fifo.path, mode: 'graceful', termDelayMs: 0 });
        const t0 = nowNs();
        const running = engine.allRunning([name]);
        const [uid] = engine.create([pod]);
        const runningNs = await running;
        await fifo.waitUp(i + 1);
        const upNs = [...fifo.up.values()].at(-1);
        const latency = msBetween(t0, upNs > runningNs ? upNs : runningNs);
        await engine.deleteAll([name], [uid]);
        return latency;
      },
      close: () => engine.close(),
    };
  },
};

await driverMain(async (cfg, { ledger, cleanups }) => {
  const fifo = new ReportFifo(join(cfg.workDir, 'report.fifo'));
  cleanups.push(() => fifo.close());
  // Outside any measurement: every app that ever came up goes into the ledger, even if the run failed half-way.
  cleanups.push(() => fifo.notePids(ledger));
  const tool = await tools[cfg.tool](cfg, fifo);
  cleanups.push(() => tool.close());
  const samples = [];
  const total = cfg.warmup + cfg.iterations;
  for (let i = 0; i < total; i++) {
    const ms = await tool.once(i);
    const pid = [...fifo.up.keys()].at(-1);
    ledger.note(pid, 'app-single');
    if (i >= cfg.warmup) samples.push(ms);
  }
  return { samples };
});
