// One measured phase, the same for every tool: launch N apps, wait until the
// tool says they run and every app has reported itself up, then stop them
// all and watch them die from outside (pidfd). What differs per tool is only
// how it launches and how it stops (the `tool` object).
import { clearTimeout, setTimeout } from 'node:timers';
import { ExitWatcher } from './exit-watcher.mjs';
import { msBetween, nowNs, sleepMs } from './clock.mjs';

/**
 * @typedef {object} PhaseTool
 * @property {(mode: 'graceful'|'forced', n: number) => Promise<bigint>} launch
 *   starts N apps; resolves with the CLOCK_MONOTONIC ns at which the tool reported all of them running
 * @property {(mode: 'graceful'|'forced') => Promise<bigint|undefined>} stop
 *   asks the tool to stop them all; resolves when the tool says it is done (ns), if it says so
 * @property {(mode: 'graceful'|'forced') => number} deadlineMs
 *   time after the stop signal at which the tool sends SIGKILL
 * @property {() => Promise<object>} [whileRunning] extra readings with all N running (RSS, CPU)
 */

/**
 * @param {{ n: number, mode: 'graceful'|'forced', fifo: import('./report-fifo.mjs').ReportFifo,
 *   watcherBin: string, ledger: import('./proc.mjs').PidLedger, tool: PhaseTool, settleMs?: number,
 *   timeoutMs?: number }} p
 */
export async function runPhase({ n, mode, fifo, watcherBin, ledger, tool, settleMs = 500, timeoutMs = 300_000 }) {
  const before = new Set(fifo.up.keys());
  const t0 = nowNs();
  const runningNs = await tool.launch(mode, n);
  await fifo.waitUp(n, { exclude: before, timeoutMs });
  const pids = fifo.upPids(before);
  for (const pid of pids) ledger.note(pid, `app-${mode}`);
  let lastUpNs = 0n;
  for (const pid of pids) if (fifo.up.get(pid) > lastUpNs) lastUpNs = fifo.up.get(pid);
  const readyNs = runningNs > lastUpNs ? runningNs : lastUpNs;
  const out = {
    mode,
    n,
    startMs: msBetween(t0, readyNs),
    toolRunningMs: msBetween(t0, runningNs),
    appsUpMs: msBetween(t0, lastUpNs),
  };
  // Let the tail of the start (status writes, log files) settle so that it
  // is not billed to the stop.
  await sleepMs(settleMs);
  if (tool.whileRunning) out.whileRunning = await tool.whileRunning();

  const watcher = await ExitWatcher.watch(watcherBin, pids);
  if (watcher.gone.length > 0) {
    watcher.kill();
    throw new Error(`${watcher.gone.length} apps died before the stop (e.g. pid ${watcher.gone[0]})`);
  }
  const t1 = nowNs();
  const stopped = tool.stop(mode);
  let timer;
  await Promise.race([
    watcher.allGone(),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`apps still alive ${timeoutMs} ms after the stop`)), timeoutMs);
    }),
  ]).finally(() => {
    clearTimeout(timer);
    watcher.kill();
  });
  const toolDoneNs = await stopped;
  out.stopMs = msBetween(t1, watcher.lastExitNs());
  if (toolDoneNs !== undefined) out.toolStopMs = msBetween(t1, toolDoneNs);

  const deadlineMs = tool.deadlineMs(mode);
  out.deadlineMs = deadlineMs;
  if (mode === 'forced') {
    const lateness = [];
    let noTerm = 0;
    for (const pid of pids) {
      const term = fifo.term.get(pid);
      const exit = watcher.exits.get(pid);
      if (term === undefined || exit === undefined) {
        noTerm++; if (process.env.BENCH_DEBUG) process.stderr.write(`noterm ${pid} up=${msBetween(t0, fifo.up.get(pid))} exit=${exit === undefined ? "-" : msBetween(t1, exit)}\n`);
        continue;
      }
      lateness.push(msBetween(term, exit) - deadlineMs);
    }
    out.sigkillLatenessMs = lateness;
    if (noTerm > 0) out.appsWithoutTerm = noTerm;
  }
  return out;
}
