// supervisord on the same apps (no hooks), as a private instance: its own
// config, socket, logs and pid file in this run's temp dir, in the foreground
// as this driver's child. Never the system service. Each workload is one
// program group, started and stopped with startProcessGroup/stopProcessGroup
// (wait=true), as `supervisorctl start|stop group:*` does.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nowNs, sleepMs, waitFor } from '../lib/clock.mjs';
import { driverMain } from '../lib/driver-main.mjs';
import { findSupervisord, supervisorInstallHint } from '../lib/peers.mjs';
import { runPhase } from '../lib/phase.mjs';
import { cpuOver, isAlive, rssKiB } from '../lib/proc.mjs';
import { ReportFifo } from '../lib/report-fifo.mjs';
import { xmlRpc } from '../lib/xmlrpc.mjs';

function config(cfg, dir, fifo) {
  const lines = [
    '[unix_http_server]',
    `file=${join(dir, 'supervisor.sock')}`,
    'chmod=0700',
    '[supervisord]',
    `logfile=${join(dir, 'supervisord.log')}`,
    `pidfile=${join(dir, 'supervisord.pid')}`,
    `childlogdir=${join(dir, 'logs')}`,
    'nodaemon=true',
    'minfds=8192',
    'minprocs=4096',
    'loglevel=warn',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
  ];
  for (const mode of cfg.modes) {
    const names = [];
    for (let i = 0; i < cfg.n; i++) {
      const name = `${mode}-${i}`;
      names.push(name);
      const args = mode === 'forced' ? `${fifo} ignore` : `${fifo} graceful ${cfg.termDelayMs}`;
      lines.push(
        `[program:${name}]`,
        `command=${cfg.appBin} ${args}`,
        'autostart=false',
        'autorestart=false',
        // Count as RUNNING at once: the default 1 s would only add a fixed wait.
        'startsecs=0',
        'stopsignal=TERM',
        `stopwaitsecs=${mode === 'forced' ? cfg.graceSeconds : 10}`,
      );
    }
    lines.push(`[group:${mode}]`, `programs=${names.join(',')}`);
  }
  return lines.join('\n') + '\n';
}

await driverMain(async (cfg, { ledger, cleanups }) => {
  const bin = findSupervisord();
  if (!bin) return { skipped: supervisorInstallHint() };
  const dir = join(cfg.workDir, 'supervisord');
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const fifo = new ReportFifo(join(cfg.workDir, 'report.fifo'));
  cleanups.push(() => fifo.close());
  // Outside any measurement: every app that ever came up goes into the ledger, even if the run failed half-way.
  cleanups.push(() => fifo.notePids(ledger));
  const confPath = join(dir, 'supervisord.conf');
  writeFileSync(confPath, config(cfg, dir, fifo.path));
  const socket = join(dir, 'supervisor.sock');

  const child = spawn(bin, ['-c', confPath], { stdio: ['ignore', 'ignore', 'inherit'] });
  const pid = child.pid;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  cleanups.push(async () => {
    if (isAlive(pid)) {
      await xmlRpc(socket, 'supervisor.shutdown').catch(() => child.kill('SIGTERM'));
      await Promise.race([exited, sleepMs(15_000)]);
    }
    if (isAlive(pid)) child.kill('SIGKILL');
  });
  await waitFor('supervisord to answer', () => xmlRpc(socket, 'supervisor.getState').then(() => true, () => false), { timeoutMs: 30_000, everyMs: 50 });
  ledger.note(pid, 'supervisord');
  await sleepMs(1000);
  const daemon = { pid, idleRssKiB: rssKiB(pid) };

  const tool = {
    async launch(mode) {
      await xmlRpc(socket, 'supervisor.startProcessGroup', [mode, true]);
      return nowNs();
    },
    async stop(mode) {
      await xmlRpc(socket, 'supervisor.stopProcessGroup', [mode, true]);
      return nowNs();
    },
    deadlineMs: (mode) => (mode === 'forced' ? cfg.graceSeconds * 1000 : 10_000),
    async whileRunning() {
      if (!cfg.resources) return undefined;
      const loaded = { rssKiB: rssKiB(pid) };
      if (cfg.cpuWindowMs > 0) loaded.cpu = await cpuOver(pid, cfg.cpuWindowMs, sleepMs);
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
