#!/usr/bin/env node
// `npm run bench`: measures hooklet against the raw lower bound and against
// PM2 and supervisord (issue 6). Each measurement runs in a fresh driver
// process (bench/drivers/*.mjs) so that no tool inherits another's heap,
// JIT state or leftover children; tools are interleaved within each
// repetition so that drift of the machine spreads over all of them.
// See bench/README.md for what is measured and how.
import { spawn, spawnSync } from 'node:child_process';
import { clearTimeout, setTimeout } from 'node:timers';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USAGE, parseBenchArgs } from './lib/args.mjs';
import { sleepMs } from './lib/clock.mjs';
import { kubectlVersion } from './lib/kubectl.mjs';
import { machineLine, renderMarkdown } from './lib/markdown.mjs';
import { buildNatives } from './lib/natives.mjs';
import { findPm2, findSupervisord, pm2InstallHint, supervisorInstallHint, supervisordVersion } from './lib/peers.mjs';
import { PidLedger } from './lib/proc.mjs';
import { summarizeDaemon, summarizeMany, summarizeSingle, targets } from './lib/summary.mjs';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
const DRIVER_TIMEOUT_MS = 15 * 60_000;
/** The stop signal lands this long after SIGTERM: hooklet's 2 s floor for grace 1 s; the peers' 1 s. */
const GRACE_SECONDS = 1;
const TERM_DELAY_MS = 200;

let opts;
try {
  opts = parseBenchArgs(process.argv.slice(2));
} catch (err) {
  console.error(`${err.message}\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

const log = (line) => process.stderr.write(`${line}\n`);
const root = mkdtempSync(join(tmpdir(), 'hooklet-bench-'));
const ledger = new PidLedger(join(root, 'pids.txt'));
let runSeq = 0;
let currentDriver;

function sweep(reason) {
  const killed = ledger.sweep();
  if (killed.length > 0) log(`  swept ${killed.length} leftover process(es) after ${reason}: ${killed.slice(0, 5).join(', ')}${killed.length > 5 ? ' …' : ''}`);
}

function interrupted(signal) {
  log(`\n${signal}: stopping`);
  if (currentDriver && currentDriver.exitCode === null) currentDriver.kill('SIGKILL');
  sweep(signal);
  rmSync(root, { recursive: true, force: true });
  process.exit(130);
}
process.once('SIGINT', () => interrupted('SIGINT'));
process.once('SIGTERM', () => interrupted('SIGTERM'));

/** Runs one driver process; resolves with its JSON result (never rejects). */
async function drive(driver, cfg) {
  const workDir = join(root, `${String(++runSeq).padStart(3, '0')}-${driver}`);
  mkdirSync(workDir, { recursive: true });
  const full = { ...cfg, workDir, appBin: natives.app, watcherBin: natives.watcher, ledgerPath: ledger.path, termDelayMs: TERM_DELAY_MS, graceSeconds: GRACE_SECONDS, phaseTimeoutMs: 600_000 };
  const started = Date.now();
  const load = loadavg()[0];
  // HOOKLET_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the drivers; NODE_OPTIONS refuses --cpu-prof.
  const nodeArgs = (process.env.HOOKLET_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(BENCH_DIR, 'drivers', `${driver}.mjs`), JSON.stringify(full)], { stdio: ['ignore', 'pipe', 'inherit'] });
  currentDriver = child;
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), DRIVER_TIMEOUT_MS);
  const code = await new Promise((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  currentDriver = undefined;
  sweep(driver);
  rmSync(workDir, { recursive: true, force: true });
  let result;
  try {
    result = JSON.parse(stdout.trim().split('\n').at(-1));
  } catch {
    result = { ok: false, error: `driver ${driver} ended (${code}) without a result` };
  }
  // A quiet gap so that one run's tail (reaping, writeback) does not land in the next.
  await sleepMs(1000);
  return { ...result, wallMs: Date.now() - started, loadAvg1Before: load };
}

/** The commit measured, and whether src/ or native/ had uncommitted changes (other engineers work in the same tree). */
function gitState() {
  const run = (args) => spawnSync('git', args, { cwd: join(BENCH_DIR, '..'), encoding: 'utf8' }).stdout?.trim();
  const dirty = run(['status', '--porcelain', '--', 'src', 'native']);
  return { commit: run(['rev-parse', '--short', 'HEAD']), uncommittedFiles: dirty ? dirty.split('\n').length : 0 };
}

const fmt = (v, d = 2) => (v == null ? '–' : v.toFixed(d));
function describePhases(r) {
  if (r.skipped) return `skipped (${r.skipped})`;
  if (!r.ok) return `FAILED: ${r.error.split('\n')[0]}`;
  return r.phases
    .map((p) => {
      if (p.mode === 'graceful') return `start ${fmt(p.startMs / 1000)} s, stop ${fmt(p.stopMs / 1000)} s`;
      const l = [...p.sigkillLatenessMs].sort((a, b) => a - b);
      return `forced: lateness p95 ${fmt(l[Math.ceil(l.length * 0.95) - 1], 1)} ms`;
    })
    .join('; ');
}

// ---- set-up ----
const t0 = Date.now();
const natives = buildNatives(root);
const wants = (f) => opts.only.includes(f);
const nFigures = wants('start') || wants('stop') || wants('kill');
const modes = [...(wants('start') || wants('stop') ? ['graceful'] : []), ...(wants('kill') ? ['forced'] : [])];
const maxN = Math.max(...opts.ns);
let tools = opts.tools.filter((t) => wants('peers') || (t !== 'pm2' && t !== 'supervisord'));
if (tools.includes('pm2') && !findPm2()) {
  log(pm2InstallHint() + ' — skipping PM2.');
  tools = tools.filter((t) => t !== 'pm2');
}
const supervisord = findSupervisord();
if (tools.includes('supervisord') && !supervisord) {
  log(supervisorInstallHint() + ' — skipping supervisord.');
  tools = tools.filter((t) => t !== 'supervisord');
}
const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
const meta = {
  date: new Date().toISOString().slice(0, 10),
  command: process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(' ')}` : 'npm run bench',
  options: opts,
  tools,
  machine: {
    hostname: hostname(),
    cpuModel,
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
  },
  versions: {
    kubectl: await kubectlVersion(),
    pm2: findPm2() ? JSON.parse(readFileSync(join(findPm2(), 'package.json'), 'utf8')).version : undefined,
    supervisord: supervisord ? supervisordVersion(supervisord) : undefined,
  },
  loadBefore: loadavg().map((v) => v.toFixed(2)).join(' '),
  git: gitState(),
};
log(`hooklet bench: ${machineLine(meta)}`);
log(`N = ${opts.ns.join(', ')}; ${opts.reps} reps; figures: ${opts.only.join(', ')}; tools: ${tools.join(', ')}; temp dir ${root}`);

const results = { meta, runs: [], single: [], daemon: [] };
const driverOf = (tool) => (tool.startsWith('raw') ? 'raw' : tool.startsWith('hooklet') ? 'hooklet' : tool);
const perRep = Math.ceil(opts.single / opts.reps);

for (let rep = 1; rep <= opts.reps; rep++) {
  if (nFigures && modes.length > 0) {
    for (const n of opts.ns) {
      for (const tool of tools) {
        const peer = tool === 'pm2' || tool === 'supervisord';
        const cfg = {
          n,
          modes,
          hooks: tool === 'raw' || tool === 'raw-shim',
          viaShim: tool === 'raw-shim',
          store: tool === 'hooklet-sqlite' ? 'sqlite' : 'memory',
          // raw's SIGKILL schedule matches the tool it bounds: 2 s for hooklet, 1 s for the peers.
          killDeadlineMs: tool === 'raw' || tool === 'raw-shim' ? 2000 : 1000,
          gracefulDeadlineMs: 30_000,
          resources: peer && n === maxN,
          cpuWindowMs: peer && n === maxN && rep === 1 ? opts.cpuWindowMs : 0,
        };
        const r = await drive(driverOf(tool), cfg);
        results.runs.push({ tool, n, rep, ...r });
        log(`[rep ${rep}/${opts.reps}] N=${n} ${tool}: ${describePhases(r)}  (${(r.wallMs / 1000).toFixed(0)} s)`);
      }
    }
  }
  if (wants('single') && opts.single > 0) {
    for (const tool of ['raw', 'hooklet']) {
      const r = await drive('single', { tool, iterations: perRep, warmup: 3 });
      results.single.push({ tool, rep, ...r });
      const l = r.ok ? [...r.samples].sort((a, b) => a - b) : [];
      log(`[rep ${rep}/${opts.reps}] single pod ${tool}: ${r.ok ? `median ${fmt(l[Math.floor(l.length / 2)], 1)} ms over ${l.length}` : `FAILED: ${r.error.split('\n')[0]}`}`);
    }
  }
  if (wants('daemon')) {
    const r = await drive('daemon', { n: maxN, cpuWindowMs: opts.cpuWindowMs, kubectlReps: 5, coldStarts: 2 });
    results.daemon.push({ rep, ...r });
    log(
      `[rep ${rep}/${opts.reps}] daemon: ${
        r.ok
          ? `cold start ${r.coldStartFreshMs.map((v) => fmt(v / 1000)).join('/')} s (restart ${r.coldStartRestartMs.map((v) => fmt(v / 1000)).join('/')}), ` +
            `RSS ${fmt(r.idleRssKiB / 1024, 1)} → ${fmt(r.loadedRssKiB / 1024, 1)} MiB, CPU ${fmt(r.loadedCpu?.percentOfOneCore)} %`
          : `FAILED: ${r.error.split('\n')[0]}`
      }`,
    );
  }
}

// ---- report ----
meta.durationMs = Date.now() - t0;
meta.loadAfter = loadavg().map((v) => v.toFixed(2)).join(' ');
const rows = summarizeMany(results);
const single = summarizeSingle(results);
const daemon = results.daemon.length > 0 ? summarizeDaemon(results) : undefined;
const tgt = targets(rows, single, daemon ?? {}, maxN);
const summary = { rows, single, daemon, targets: tgt };
const markdown = renderMarkdown({ meta, ...summary });

const outDir = opts.out ?? (opts.quick ? join(tmpdir(), 'hooklet-bench-results') : join(BENCH_DIR, 'results'));
mkdirSync(outDir, { recursive: true });
const machine = opts.machine ?? `${cpus().length}cpu-${cpuModel.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
const base = join(outDir, `${meta.date}-${machine}`);
writeFileSync(`${base}.json`, JSON.stringify({ ...results, summary }, null, 2) + '\n');
writeFileSync(`${base}.md`, markdown + '\n');
sweep('the run');
rmSync(root, { recursive: true, force: true });
console.log(markdown);
log(`\nwrote ${base}.json and ${base}.md (${(meta.durationMs / 60000).toFixed(1)} min)`);
if (!findPm2()) log(`note: ${pm2InstallHint()}`);
if (!supervisord) log(`note: ${supervisorInstallHint()}`);
