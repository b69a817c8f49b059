// Turns the raw driver results into the figures: medians and p95s over the
// repetitions, and ratios to the matching raw bound of the same run.
import { percentile, ratio, summarize } from './stats.mjs';

/** hooklet runs hooks, so its bound spawns them too; the peers have none, so theirs does not. */
export function boundOf(tool) {
  return tool === 'hooklet' || tool === 'hooklet-sqlite' || tool === 'raw' || tool === 'raw-shim' ? 'raw' : 'raw-nohooks';
}

function phasesOf(runs, tool, n, mode) {
  return runs.filter((r) => r.tool === tool && r.n === n && r.ok && !r.skipped).flatMap((r) => r.phases.filter((p) => p.mode === mode));
}

export function summarizeMany(results) {
  const rows = [];
  const tools = [...new Set(results.runs.map((r) => r.tool))];
  const ns = [...new Set(results.runs.map((r) => r.n))].sort((a, b) => a - b);
  for (const tool of tools) {
    for (const n of ns) {
      const runs = results.runs.filter((r) => r.tool === tool && r.n === n);
      if (runs.length === 0) continue;
      const skipped = runs.find((r) => r.skipped)?.skipped;
      const failed = runs.filter((r) => !r.ok).map((r) => r.error.split('\n')[0]);
      const graceful = phasesOf(results.runs, tool, n, 'graceful');
      const forced = phasesOf(results.runs, tool, n, 'forced');
      const startSource = graceful.length > 0 ? graceful : forced;
      const lateness = forced.flatMap((p) => p.sigkillLatenessMs);
      const loaded = graceful.map((p) => p.whileRunning).filter(Boolean);
      const daemons = runs.map((r) => r.daemon).filter(Boolean);
      rows.push({
        tool,
        n,
        bound: boundOf(tool),
        ...(skipped ? { skipped } : {}),
        ...(failed.length ? { failed } : {}),
        startMs: summarize(startSource.map((p) => p.startMs)),
        stopMs: summarize(graceful.map((p) => p.stopMs)),
        sigkillLatenessMs: summarize(lateness),
        deadlineMs: forced[0]?.deadlineMs,
        appsWithoutTerm: forced.reduce((a, p) => a + (p.appsWithoutTerm ?? 0), 0),
        daemonIdleRssKiB: summarize(daemons.map((d) => d.idleRssKiB)),
        daemonLoadedRssKiB: summarize(loaded.map((l) => l.rssKiB)),
        daemonLoadedCpuPercent: summarize(loaded.filter((l) => l.cpu).map((l) => l.cpu.percentOfOneCore)),
      });
    }
  }
  for (const row of rows) {
    const bound = rows.find((r) => r.tool === row.bound && r.n === row.n);
    row.ratios = {
      start: ratio(row.startMs?.median, bound?.startMs?.median),
      stop: ratio(row.stopMs?.median, bound?.stopMs?.median),
      sigkillLatenessP95: ratio(row.sigkillLatenessMs?.p95, bound?.sigkillLatenessMs?.p95),
    };
  }
  return rows;
}

export function summarizeSingle(results) {
  const out = {};
  for (const tool of [...new Set(results.single.map((s) => s.tool))]) {
    const samples = results.single.filter((s) => s.tool === tool && s.ok).flatMap((s) => s.samples);
    out[tool] = summarize(samples);
  }
  for (const tool of Object.keys(out)) if (tool !== 'raw') out[tool].ratio = ratio(out[tool]?.median, out.raw?.median);
  return out;
}

export function summarizeDaemon(results) {
  const ok = results.daemon.filter((d) => d.ok);
  if (ok.length === 0) return { failed: results.daemon.map((d) => d.error) };
  const all = (key) => ok.flatMap((d) => (Array.isArray(d[key]) ? d[key] : [d[key]])).filter((v) => v !== undefined);
  const nodeStartMs = summarize(all('nodeStartMs'));
  const nodeStartNoExtraCaMs = summarize(all('nodeStartNoExtraCaMs'));
  const kubectlGetPodsEmptyMs = summarize(all('kubectlGetPodsEmptyMs'));
  // No daemon can answer kubectl faster than Node starts plus kubectl's own
  // first call. Node as the launcher starts serve: without NODE_EXTRA_CA_CERTS.
  const nodeFloor = nodeStartNoExtraCaMs ?? nodeStartMs;
  const coldStartFloorMs = nodeFloor && kubectlGetPodsEmptyMs ? nodeFloor.median + kubectlGetPodsEmptyMs.median : null;
  const coldStartFreshMs = summarize(all('coldStartFreshMs'));
  const coldStartRestartMs = summarize(all('coldStartRestartMs'));
  return {
    n: ok[0].n,
    coldStartFloorMs,
    coldStartRatio: { fresh: ratio(coldStartFreshMs?.median, coldStartFloorMs), restart: ratio(coldStartRestartMs?.median, coldStartFloorMs) },
    coldStartFreshMs,
    coldStartRestartMs,
    readyFreshMs: summarize(all('readyFreshMs')),
    readyRestartMs: summarize(all('readyRestartMs')),
    kubectlGetPodsEmptyMs,
    kubectlGetPodsEmptyWarmMs: summarize(all('kubectlGetPodsEmptyWarmMs')),
    kubectlGetPodsLoadedMs: summarize(all('kubectlGetPodsLoadedMs')),
    idleRssKiB: summarize(all('idleRssKiB')),
    loadedRssKiB: summarize(all('loadedRssKiB')),
    peakRssKiB: summarize(all('peakRssKiB')),
    shimsPssKiB: summarize(all('shimsPssKiB')),
    loadedCpuPercent: summarize(ok.filter((d) => d.loadedCpu).map((d) => d.loadedCpu.percentOfOneCore)),
    steadyCpuPercent: summarize(ok.filter((d) => d.steadyCpu).map((d) => d.steadyCpu.percentOfOneCore)),
    startAllViaKubectlMs: summarize(all('startAllViaKubectlMs')),
    stopAllViaKubectlMs: summarize(all('stopAllViaKubectlMs')),
    nodeStartMs,
    nodeStartNoExtraCaMs,
    extraCaCertsSet: ok.some((d) => d.extraCaCertsSet),
    coldStartDirectFreshMs: summarize(all('coldStartDirectFreshMs')),
    nodeIdleRssKiB: summarize(all('nodeIdleRssKiB')),
  };
}

/** The targets at the largest N, each with the measured value and whether it holds. */
export function targets(rows, single, daemon, maxN) {
  const h = rows.find((r) => r.tool === 'hooklet' && r.n === maxN);
  const t = [];
  const add = (name, limit, value, unit, holds) => t.push({ name, limit, value, unit, met: value == null ? null : holds(value) });
  add(`start all, N=${maxN}`, '≤ 1.25× raw', h?.ratios.start, '×', (v) => v <= 1.25);
  add(`graceful stop, N=${maxN}`, '≤ 1.25× raw', h?.ratios.stop, '×', (v) => v <= 1.25);
  add(`SIGKILL lateness p95, N=${maxN}`, '≤ 1.2× raw', h?.ratios.sigkillLatenessP95, '×', (v) => v <= 1.2);
  add(`daemon RSS with ${daemon.n ?? maxN} pods`, '≤ 100 MiB', daemon.loadedRssKiB ? daemon.loadedRssKiB.median / 1024 : null, 'MiB', (v) => v <= 100);
  add('single pod create → Running', '≤ 1.3× raw', single.hooklet?.ratio, '×', (v) => v <= 1.3);
  add('daemon cold start → first kubectl answer (fresh data dir)', '≤ 0.3 s', daemon.coldStartFreshMs ? daemon.coldStartFreshMs.median / 1000 : null, 's', (v) => v <= 0.3);
  add('daemon cold start → first kubectl answer (restart)', '≤ 0.3 s', daemon.coldStartRestartMs ? daemon.coldStartRestartMs.median / 1000 : null, 's', (v) => v <= 0.3);
  add(`daemon CPU with ${daemon.n ?? maxN} pods running (3–13 s after the last start)`, 'near 0 %', daemon.loadedCpuPercent?.median, '% of a core', (v) => v <= 1);
  add(`daemon CPU with ${daemon.n ?? maxN} pods running (the 10 s after)`, 'near 0 %', daemon.steadyCpuPercent?.median, '% of a core', (v) => v <= 1);
  return t;
}

export { percentile };
