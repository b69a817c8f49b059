// The Markdown report: one table per group of figures, then the targets.

const s = (ms, digits = 2) => (ms == null ? '–' : (ms / 1000).toFixed(digits));
const ms1 = (v) => (v == null ? '–' : v.toFixed(1));
const x = (r) => (r == null ? '–' : `${r.toFixed(2)}×`);
const mib = (kib) => (kib == null ? '–' : (kib / 1024).toFixed(1));

function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function machineLine(meta) {
  const m = meta.machine;
  return `${m.cpuModel}, ${m.cores} cores, ${m.memGiB} GiB RAM, Linux ${m.kernel}, Node ${m.node}; kubectl ${meta.versions.kubectl ?? '–'}, PM2 ${meta.versions.pm2 ?? 'not installed'}, supervisord ${meta.versions.supervisord ?? 'not installed'}`;
}

export function renderMarkdown({ meta, rows, single, daemon, targets }) {
  const out = [];
  out.push(`# hooklet benchmarks — ${meta.date}`, '');
  out.push(`Machine: ${machineLine(meta)}.`);
  out.push(
    `Run: \`${meta.command}\`; ${meta.options.reps} repetitions; took ${(meta.durationMs / 60000).toFixed(1)} min; ` +
      `load average before/after: ${meta.loadBefore} / ${meta.loadAfter}; ` +
      `commit ${meta.git?.commit ?? '?'}${meta.git?.uncommittedFiles ? ` + ${meta.git.uncommittedFiles} uncommitted files in src/ and native/` : ''}.`,
    '',
  );

  out.push('## Figures 1–3: N pods, each one container with a postStart and a preStop exec hook (`sh -c true`)', '');
  out.push(
    'Median / p95 over the repetitions. Ratios are medians (for lateness: p95s) divided by the raw bound of the same N in the same run: ' +
      '`raw` (spawns + one hook process per start and per stop) for hooklet, `raw-nohooks` for the peers, which have no hooks. ' +
      'SIGKILL lateness = exit seen by pidfd − (SIGTERM seen by the app + the tool\'s deadline), pooled over all containers and repetitions.',
    '',
  );
  out.push(
    table(
      ['tool', 'N', 'start all (s)', '× bound', 'graceful stop (s)', '× bound', 'SIGKILL deadline', 'SIGKILL lateness med / p95 / max (ms)', 'p95 × bound'],
      rows.map((r) =>
        r.skipped
          ? [r.tool, r.n, `skipped: ${r.skipped}`, '', '', '', '', '', '']
          : [
              r.tool + (r.failed ? ` (${r.failed.length} failed)` : ''),
              r.n,
              r.startMs ? `${s(r.startMs.median)} / ${s(r.startMs.p95)}` : '–',
              x(r.ratios.start),
              r.stopMs ? `${s(r.stopMs.median)} / ${s(r.stopMs.p95)}` : '–',
              x(r.ratios.stop),
              r.deadlineMs == null ? '–' : `${s(r.deadlineMs, 1)} s`,
              r.sigkillLatenessMs ? `${ms1(r.sigkillLatenessMs.median)} / ${ms1(r.sigkillLatenessMs.p95)} / ${ms1(r.sigkillLatenessMs.max)}` : '–',
              x(r.ratios.sigkillLatenessP95),
            ],
      ),
    ),
    '',
  );

  if (Object.keys(single).length > 0) {
    out.push('## Figure 4: one pod, create → Running (postStart done)', '');
    out.push(
      table(
        ['tool', 'samples', 'median (ms)', 'p95 (ms)', 'max (ms)', '× raw (median)'],
        Object.entries(single).map(([tool, v]) => [tool, v?.n ?? 0, ms1(v?.median), ms1(v?.p95), ms1(v?.max), tool === 'raw' ? '1.00×' : x(v?.ratio)]),
      ),
      '',
    );
  }

  if (daemon) {
    const peers = rows.filter((r) => (r.tool === 'pm2' || r.tool === 'supervisord') && r.daemonLoadedRssKiB);
    out.push(`## Figures 5–6: daemons (with N = ${daemon.n ?? peers[0]?.n ?? '–'} apps running)`, '');
    const d = daemon;
    const dm = (v) => (v ? `${s(v.median)} / ${s(v.p95)}` : '–');
    const body = [];
    if (d.coldStartFreshMs) {
      body.push([
        '`hooklet serve`',
        `${dm(d.coldStartFreshMs)} (restart ${dm(d.coldStartRestartMs)}); ${x(d.coldStartRatio?.fresh)} / ${x(d.coldStartRatio?.restart)} the floor` +
          (d.coldStartDirectFreshMs ? `; \`node bin/hooklet.js\` (NODE_EXTRA_CA_CERTS ${d.extraCaCertsSet ? 'set, honoured' : 'unset'}) ${dm(d.coldStartDirectFreshMs)}` : ''),
        `${dm(d.kubectlGetPodsEmptyWarmMs)} → ${dm(d.kubectlGetPodsLoadedMs)}`,
        mib(d.idleRssKiB?.median),
        `${mib(d.loadedRssKiB?.median)} (+ shims ${mib(d.shimsPssKiB?.median)} PSS)`,
        d.loadedCpuPercent ? `${d.loadedCpuPercent.median.toFixed(2)} %${d.steadyCpuPercent ? `, then ${d.steadyCpuPercent.median.toFixed(2)} %` : ''}` : '–',
      ]);
    }
    for (const p of peers) {
      body.push([
        p.tool === 'pm2' ? 'PM2 daemon' : 'supervisord',
        '–',
        '–',
        mib(p.daemonIdleRssKiB?.median),
        mib(p.daemonLoadedRssKiB?.median),
        p.daemonLoadedCpuPercent ? `${p.daemonLoadedCpuPercent.median.toFixed(2)} %` : '–',
      ]);
    }
    if (d.nodeStartMs) {
      body.push([
        'floor: bare `node` + kubectl',
        `${s(d.coldStartFloorMs)} (\`node -e 0\` ${s((d.nodeStartNoExtraCaMs ?? d.nodeStartMs).median)}` +
          (d.extraCaCertsSet ? ` without NODE_EXTRA_CA_CERTS, ${s(d.nodeStartMs.median)} with it` : '') +
          ` + first \`kubectl get pods\` ${s(d.kubectlGetPodsEmptyMs?.median)})`,
        '–',
        mib(d.nodeIdleRssKiB?.median),
        '–',
        '–',
      ]);
    }
    out.push(
      table(['daemon', 'cold start → first `kubectl get pods` (s, median / p95; × floor)', '`kubectl get pods`, 0 → N pods (s, median / p95)', 'RSS idle (MiB)', 'RSS with N (MiB)', 'CPU with N running (% of one core; two `--cpu-window` windows from 3 s after the last start)'], body),
      '',
    );
    if (d.startAllViaKubectlMs) {
      out.push(
        `Through the daemon: \`kubectl create -f\` of ${d.n} pods → all Running ${dm(d.startAllViaKubectlMs)} s; ` +
          `\`kubectl delete pods --all\` → every app gone ${dm(d.stopAllViaKubectlMs)} s; daemon peak RSS ${mib(d.peakRssKiB?.median)} MiB.`,
        '',
      );
    }
  }

  out.push('## Targets (issue 6)', '');
  out.push(
    table(
      ['target', 'limit', 'measured', 'met'],
      targets.map((t) => [t.name, t.limit, t.value == null ? '–' : `${t.value.toFixed(2)} ${t.unit}`, t.met == null ? '–' : t.met ? 'yes' : '**no**']),
    ),
    '',
  );
  return out.join('\n');
}
