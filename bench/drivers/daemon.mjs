// Figure 5: the daemon (`hooklet serve`) as a user meets it through kubectl.
// Spawned as users run it (`npx hooklet serve`): through bin/hooklet, the
// launcher npm links (it drops NODE_EXTRA_CA_CERTS for serve, see its
// comment). The fresh cold start is also taken with `node bin/hooklet.js`,
// which keeps the variable, to show what it costs where it is set.
// Cold start = spawn of `node bin/hooklet.js serve` to the first successful
// `kubectl get pods` (kubectl launched the moment the daemon prints its
// kubeconfig path, with an empty discovery cache). Measured on a fresh data
// dir (first start: CA and certificates generated), on a restart with an
// empty store, and on a restart with the N pods in the store and their N
// containers running (the engine recovers and adopts them).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { msBetween, nowNs, sleepMs, waitFor } from '../lib/clock.mjs';
import { driverMain } from '../lib/driver-main.mjs';
import { ExitWatcher } from '../lib/exit-watcher.mjs';
import { kubectl } from '../lib/kubectl.mjs';
import { benchPod } from '../lib/pod-manifest.mjs';
import { childPids, cpuOver, isAlive, peakRssKiB, procComm, pssKiB, rssKiB } from '../lib/proc.mjs';
import { ReportFifo } from '../lib/report-fifo.mjs';
import { percentile } from '../lib/stats.mjs';

const HOOKLET_BIN = fileURLToPath(new URL('../../bin/hooklet', import.meta.url));
const HOOKLET_JS = fileURLToPath(new URL('../../bin/hooklet.js', import.meta.url));

/** Starts the daemon; resolves once it printed its kubeconfig path. `direct`: `node bin/hooklet.js`, past the launcher. */
function serve(dataDir, ledger, { direct = false } = {}) {
  const t0 = nowNs();
  const [cmd, pre] = direct ? [process.execPath, [HOOKLET_JS]] : [HOOKLET_BIN, []];
  const child = spawn(cmd, [...pre, 'serve', '--data-dir', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.stdout.setEncoding('utf8').on('data', (c) => {
      out += c;
      const m = /^kubeconfig: (.+)$/m.exec(out);
      if (m && !child.readyNs) {
        child.readyNs = nowNs();
        ledger.note(child.pid, 'hooklet-serve');
        resolve({ child, t0, readyNs: child.readyNs, kubeconfig: m[1], exited });
      }
    });
    exited.then((code) => reject(new Error(`hooklet serve exited early (${code}): ${out}`)));
  });
}

async function stopDaemon(d) {
  if (!isAlive(d.child.pid)) return;
  d.child.kill('SIGTERM');
  await Promise.race([d.exited, sleepMs(15_000)]);
  if (isAlive(d.child.pid)) d.child.kill('SIGKILL');
}

/** Spawn → ready → first kubectl answer, with a fresh kubectl cache. */
async function coldStart(dataDir, cacheDir, ledger, how) {
  const d = await serve(dataDir, ledger, how);
  const k = { kubeconfig: d.kubeconfig, cacheDir };
  await kubectl(k, ['get', 'pods']);
  const answeredNs = nowNs();
  return { d, k, readyMs: msBetween(d.t0, d.readyNs), firstAnswerMs: msBetween(d.t0, answeredNs) };
}

async function runningCount(k) {
  const { stdout } = await kubectl(k, ['get', 'pods', '-o', 'jsonpath={range .items[*]}{.status.containerStatuses[0].state.running.startedAt}{"\\n"}{end}']);
  return stdout.split('\n').filter((l) => l.trim() !== '').length;
}

await driverMain(async (cfg, { ledger, cleanups }) => {
  const fifo = new ReportFifo(join(cfg.workDir, 'report.fifo'));
  cleanups.push(() => fifo.close());
  // Outside any measurement: every app that ever came up goes into the ledger, even if the run failed half-way.
  cleanups.push(() => fifo.notePids(ledger));
  const out = { n: cfg.n };

  // References: what bare Node costs to start (as the environment is, and
  // without NODE_EXTRA_CA_CERTS, as the launcher starts serve), and its idle RSS.
  out.nodeStartMs = [];
  out.nodeStartNoExtraCaMs = [];
  const { NODE_EXTRA_CA_CERTS: extraCa, ...noExtraCa } = process.env;
  out.extraCaCertsSet = extraCa !== undefined && extraCa !== '';
  for (let i = 0; i < 3; i++) {
    for (const [into, env] of [[out.nodeStartMs, process.env], [out.nodeStartNoExtraCaMs, noExtraCa]]) {
      const t = nowNs();
      await new Promise((resolve) => spawn(process.execPath, ['-e', '0'], { stdio: 'ignore', env }).once('exit', resolve));
      into.push(msBetween(t, nowNs()));
    }
  }
  const bare = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
  await sleepMs(1500);
  out.nodeIdleRssKiB = rssKiB(bare.pid);
  bare.kill('SIGKILL');

  out.coldStartFreshMs = [];
  out.readyFreshMs = [];
  out.coldStartRestartMs = [];
  out.readyRestartMs = [];
  let again;
  let dataDir;
  for (let i = 0; i < cfg.coldStarts; i++) {
    dataDir = join(cfg.workDir, `data-${i}`);
    const first = await coldStart(dataDir, join(cfg.workDir, `kcache-fresh-${i}`), ledger);
    cleanups.push(() => stopDaemon(first.d));
    out.coldStartFreshMs.push(first.firstAnswerMs);
    out.readyFreshMs.push(first.readyMs);
    await stopDaemon(first.d);
    again = await coldStart(dataDir, join(cfg.workDir, `kcache-restart-${i}`), ledger);
    const daemon = again.d;
    cleanups.push(() => stopDaemon(daemon));
    out.coldStartRestartMs.push(again.firstAnswerMs);
    out.readyRestartMs.push(again.readyMs);
    if (i < cfg.coldStarts - 1) await stopDaemon(again.d);
  }
  // The same fresh start past the launcher (NODE_EXTRA_CA_CERTS honoured): what the variable costs.
  out.coldStartDirectFreshMs = [];
  for (let i = 0; i < cfg.coldStarts; i++) {
    const direct = await coldStart(join(cfg.workDir, `data-direct-${i}`), join(cfg.workDir, `kcache-direct-${i}`), ledger, { direct: true });
    cleanups.push(() => stopDaemon(direct.d));
    out.coldStartDirectFreshMs.push(direct.firstAnswerMs);
    await stopDaemon(direct.d);
  }

  let { d } = again;
  const { k } = again;
  let pid = d.child.pid;

  // kubectl's own floor: the same first call (empty discovery cache) against the warm, empty daemon.
  const floor = [];
  for (let i = 0; i < 3; i++) floor.push((await kubectl({ ...k, cacheDir: join(cfg.workDir, `kcache-floor-${i}`) }, ['get', 'pods'])).ms);
  out.kubectlGetPodsEmptyMs = percentile(floor, 50);
  // And with kubectl's discovery cache warm, as for the N-pod listing below.
  out.kubectlGetPodsEmptyWarmMs = [];
  for (let i = 0; i < 3; i++) out.kubectlGetPodsEmptyWarmMs.push((await kubectl(k, ['get', 'pods'])).ms);

  await sleepMs(2000);
  out.idleRssKiB = rssKiB(pid);

  const n = cfg.n;
  const pods = Array.from({ length: n }, (_, i) =>
    stringify(benchPod({ name: `app-${i}`, appBin: cfg.appBin, fifo: fifo.path, mode: 'graceful', termDelayMs: cfg.termDelayMs })),
  ).join('---\n');
  const manifest = join(cfg.workDir, 'pods.yaml');
  mkdirSync(cfg.workDir, { recursive: true });
  writeFileSync(manifest, pods);
  const deletePodsCleanup = cleanups.length;
  cleanups.push(async () => {
    // The daemon leaves containers running when it stops: delete the pods first.
    if (isAlive(pid) && fifo.up.size > 0) await kubectl(k, ['delete', 'pods', '--all', '--wait=false']).catch(() => {});
  });
  const t0 = nowNs();
  await kubectl(k, ['create', '-f', manifest]);
  out.kubectlCreateMs = msBetween(t0, nowNs());
  await fifo.waitUp(n, { timeoutMs: cfg.phaseTimeoutMs });
  await waitFor(`${n} pods Running`, async () => (await runningCount(k)) >= n, { timeoutMs: cfg.phaseTimeoutMs, everyMs: 250 });
  out.startAllViaKubectlMs = msBetween(t0, nowNs());
  const appPids = fifo.upPids();
  for (const p of appPids) ledger.note(p, 'app-daemon');
  // Shims are children of the daemon's spawner (or of the daemon itself, before the spawner existed).
  const helpers = childPids(pid);
  const spawners = helpers.filter((p) => procComm(p) === 'hooklet-spawner');
  const shims = [...helpers, ...spawners.flatMap((p) => childPids(p))].filter((p) => procComm(p) === 'hooklet-shim');
  out.spawnerRssKiB = spawners.reduce((a, p) => a + (rssKiB(p) ?? 0), 0);
  for (const p of shims) ledger.note(p, 'hooklet-shim');

  await sleepMs(3000);
  out.loadedRssKiB = rssKiB(pid);
  out.loadedPssKiB = pssKiB(pid);
  out.shimCount = shims.length;
  out.shimsRssKiB = shims.reduce((a, p) => a + (rssKiB(p) ?? 0), 0);
  out.shimsPssKiB = shims.reduce((a, p) => a + (pssKiB(p) ?? 0), 0);
  if (cfg.cpuWindowMs > 0) {
    out.loadedCpu = await cpuOver(pid, cfg.cpuWindowMs, sleepMs);
    // And the window after it: V8's memory reducer compacts the heap once, ~10 s after the
    // burst of starts, inside the first window; polling would show in both.
    out.steadyCpu = await cpuOver(pid, cfg.cpuWindowMs, sleepMs);
  }

  const gets = [];
  for (let i = 0; i < cfg.kubectlReps; i++) {
    const r = await kubectl(k, ['get', 'pods']);
    const lines = r.stdout.trim().split('\n').length;
    if (lines !== n + 1) throw new Error(`kubectl get pods listed ${lines - 1} pods, expected ${n}`);
    gets.push(r.ms);
  }
  out.kubectlGetPodsLoadedMs = gets;
  out.peakRssKiB = peakRssKiB(pid);

  // Restart with the N pods in the store and their containers running: the first answer, and the
  // RSS of a daemon that adopted N pods rather than started them. The apps keep running throughout.
  await stopDaemon(d);
  const loaded = await coldStart(dataDir, join(cfg.workDir, 'kcache-loaded'), ledger);
  d = loaded.d;
  pid = d.child.pid;
  const restarted = d;
  // Cleanups run last-in first-out: this stop must come after the pods' deletion (which goes through `pid`, now this daemon).
  cleanups.splice(deletePodsCleanup, 0, () => stopDaemon(restarted));
  out.coldStartLoadedMs = [loaded.firstAnswerMs];
  out.readyLoadedMs = [loaded.readyMs];
  // Recovery done: the daemon's CPU settles (checked in 0.5 s windows, at most 60 s).
  const settleStart = nowNs();
  while (msBetween(settleStart, nowNs()) < 60_000 && (await cpuOver(pid, 500, sleepMs)).percentOfOneCore > 5);
  out.loadedRestartSettledMs = msBetween(d.t0, nowNs());
  await sleepMs(2000);
  out.loadedRestartRssKiB = rssKiB(pid);

  const watcher = await ExitWatcher.watch(cfg.watcherBin, appPids);
  const t1 = nowNs();
  await kubectl(k, ['delete', 'pods', '--all', '--wait=false']);
  await watcher.allGone();
  out.stopAllViaKubectlMs = msBetween(t1, watcher.lastExitNs());
  await waitFor('all pods removed', async () => (await runningCount(k)) === 0 && (await kubectl(k, ['get', 'pods', '-o', 'name'])).stdout.trim() === '', {
    timeoutMs: 60_000,
    everyMs: 250,
  });
  await stopDaemon(d);
  return out;
});
