// The lower bound: a plain Node script that spawns the N apps and, where the
// workload has hooks, one `sh -c true` per app after it starts (postStart)
// and one before it is signalled (preStop). No state, no status, no logs.
// With hooks: the bound for hooklet. Without: the bound for PM2 and supervisord.
// `viaShim` (tool raw-shim, a diagnostic): the same, but every process goes
// through hooklet's own C shim exactly as the process runtime starts it
// (`hooklet-shim run` for the app, `hooklet-shim exec` for each hook), still
// with no bookkeeping: it separates the cost of the shim design from the
// cost of the engine around it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearTimeout, setTimeout } from 'node:timers';
import { nowNs } from '../lib/clock.mjs';
import { driverMain } from '../lib/driver-main.mjs';
import { runPhase } from '../lib/phase.mjs';
import { ReportFifo } from '../lib/report-fifo.mjs';
import { scratchParent } from '../../dist/runtime/process/volatile-dir.js';

const HOOK = ['sh', ['-c', 'true']];
const SHIM = fileURLToPath(new URL('../../build/hooklet-shim', import.meta.url));

function exitOf(child) {
  return new Promise((resolve, reject) => child.once('error', reject).once('close', resolve));
}

/** A plain child: the app, or a hook. */
const plain = {
  async start(appBin, args) {
    const child = spawn(appBin, args, { stdio: 'ignore' });
    await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    return { pid: child.pid, exited, kill: (sig) => child.kill(sig) };
  },
  hook: () => exitOf(spawn(HOOK[0], HOOK[1], { stdio: 'ignore' })),
};

/** Through hooklet-shim, as ProcessRuntime does it (options copied from shim-client and exec-runner). */
function viaShim(workDir) {
  let seq = 0;
  return {
    async start(appBin, args) {
      const dir = join(workDir, 'shim', String(seq++));
      mkdirSync(join(dir, 'log'), { recursive: true });
      const shim = spawn(SHIM, ['run', dir, '/', appBin, ...args], { cwd: '/', env: { PATH: process.env.PATH }, detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
      const line = await new Promise((resolve, reject) => {
        let text = '';
        shim.once('error', reject);
        shim.stdout.setEncoding('utf8').on('data', (c) => {
          text += c;
          if (text.includes('\n')) resolve(text);
        });
      });
      shim.stdout.destroy();
      shim.unref();
      const pid = Number(/^started (\d+)/.exec(line)?.[1]);
      if (!pid) throw new Error(`hooklet-shim did not start the app: ${line}`);
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      const exited = new Promise((resolve) => shim.once('exit', resolve));
      return {
        pid,
        exited,
        kill: (sig) => process.kill(-pid, sig),
        hook: () => exitOf(spawn(SHIM, ['exec', String(pid), ticks, '/', ...HOOK.flat()], { cwd: '/', env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] })),
      };
    },
  };
}

await driverMain(async (cfg, { ledger, cleanups }) => {
  const fifo = new ReportFifo(join(cfg.workDir, 'report.fifo'));
  cleanups.push(() => fifo.close());
  // Outside any measurement: every app that ever came up goes into the ledger, even if the run failed half-way.
  cleanups.push(() => fifo.notePids(ledger));
  let how = plain;
  if (cfg.viaShim) {
    // Shim state where `hooklet run` keeps it (tmpfs when there is one), so the comparison stays like for like.
    const scratch = mkdtempSync(join(scratchParent(), 'hooklet-bench-shim-'));
    cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));
    how = viaShim(scratch);
  }
  let children = [];
  const deadlineMs = (mode) => (mode === 'forced' ? cfg.killDeadlineMs : cfg.gracefulDeadlineMs);

  const tool = {
    async launch(mode, n) {
      const args = mode === 'forced' ? [fifo.path, 'ignore'] : [fifo.path, 'graceful', String(cfg.termDelayMs)];
      children = [];
      const running = [];
      for (let i = 0; i < n; i++) {
        running.push(
          how.start(cfg.appBin, args).then(async (child) => {
            children.push(child);
            if (cfg.hooks) await (child.hook ?? plain.hook)();
            return nowNs();
          }),
        );
      }
      const times = await Promise.all(running);
      return times.reduce((a, b) => (b > a ? b : a));
    },
    async stop(mode) {
      const done = children.map(async (child) => {
        if (cfg.hooks) await (child.hook ?? plain.hook)();
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs(mode));
        await child.exited;
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
