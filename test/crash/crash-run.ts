/**
 * The crash scenario: many pod lifecycles against the real daemon, which is
 * SIGKILLed at random moments (seeded) and restarted over the same data
 * directory, then a clean finish and the invariant checks (invariants.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RealClock } from '../../src/clock/real-clock.js';
import { ApiClient, DaemonUnreachable } from './api-client.js';
import { assertBuilt, CrashDaemon } from './crash-daemon.js';
import { planPod, podManifest } from './crash-pod.js';
import { readApps, readHookLog } from './evidence.js';
import { checkInvariants, type CrashReport } from './invariants.js';
import { formatReport } from './report-format.js';
import { killTokenProcesses, processesWithToken, stillRunning } from './proc-scan.js';
import { Prng } from './prng.js';
import type { FinalState, KillRecord, PodRecord, RunRecord } from './run-record.js';
import { StateCapture } from './state-capture.js';

const clock = new RealClock();

export interface CrashOptions {
  kills: number;
  seed: number;
  /** Keep the run directory even when the run passes. */
  keepDir?: boolean;
  log?: (line: string) => void;
}

export interface CrashResult {
  run: RunRecord;
  report: CrashReport;
  text: string;
  failed: boolean;
}

export async function runCrash(opts: CrashOptions): Promise<CrashResult> {
  assertBuilt();
  const log = opts.log ?? ((line: string) => console.log(line));
  const runDir = mkdtempSync(join(tmpdir(), 'hooklet-crash-'));
  const dataDir = join(runDir, 'data');
  const home = join(runDir, 'home');
  const evidenceDir = join(runDir, 'evidence');
  mkdirSync(join(evidenceDir, 'apps'), { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(join(evidenceDir, 'hooks.log'), '');
  const token = `${opts.seed.toString(16)}-${Math.floor(clock.now()).toString(36)}`;
  const run: RunRecord = { seed: opts.seed, token, runDir, pods: [], kills: [], daemonStarts: [] };
  const driver = new Driver(run, new Prng(opts.seed), { dataDir, home, evidenceDir, logFile: join(runDir, 'daemon.log') }, log);
  const capture = new StateCapture(join(dataDir, 'containers'), join(runDir, 'capture'), clock);
  capture.start();
  log(`crash run: seed=${opts.seed} kills=${opts.kills} dir=${runDir}`);
  const final = driver.final;
  try {
    await driver.scenario(opts.kills);
    await driver.finish();
  } catch (err) {
    // A daemon that cannot come back (crash loop, corrupt state) is a finding: report it with the evidence so far.
    final.errors.push(`run aborted: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    capture.stop();
    await driver.abandon();
  }
  if (final.errors.length > 0) final.leftoverProcesses = processesWithToken(token);
  final.containers = capture.containers();
  // A blind harness must not pass: every log it cannot link is one it cannot check.
  if (capture.crossDeviceLogs > 0) final.errors.push(`harness: ${capture.crossDeviceLogs} container logs are on another file system than ${runDir}: they cannot be captured`);
  const containersDir = join(dataDir, 'containers');
  final.dirsLeft = (existsSync(containersDir) ? readdirSync(containersDir).filter((n) => /^[0-9a-f]+$/.test(n)) : []).map((id) => ({
    id,
    entries: listTree(join(containersDir, id)),
  }));
  for (const c of final.containers) {
    if (c.started && stillRunning(c.started.pid, c.started.startTicks)) final.liveRecordedPids.push({ id: c.id, role: 'container', pid: c.started.pid });
    if (c.started && stillRunning(c.started.shimPid, c.started.shimStartTicks)) final.liveRecordedPids.push({ id: c.id, role: 'shim', pid: c.started.shimPid });
  }
  const hooks = readHookLog(evidenceDir);
  final.hooks = hooks.records;
  final.hookLinesMalformed = hooks.malformed;
  final.apps = readApps(evidenceDir);
  writeFileSync(join(runDir, 'run.json'), JSON.stringify({ ...run, final: { ...final, timelines: Object.fromEntries(final.timelines) } }, null, 1));
  const report = checkInvariants(run, final);
  const failed = report.violations.some((v) => v.severity === 'fail');
  const text = formatReport(run, report);
  writeFileSync(join(runDir, 'report.txt'), text + '\n');
  // Whatever a failing run left running is stopped by PID (each re-checked for this run's token).
  const killed = killTokenProcesses(token);
  if (killed > 0) log(`crash run: killed ${killed} leftover process(es) of this run`);
  if (!failed && !opts.keepDir) rmSync(runDir, { recursive: true, force: true });
  return { run, report, text, failed };
}

interface Paths {
  dataDir: string;
  home: string;
  evidenceDir: string;
  logFile: string;
}

/** Drives one run: daemon instances, the pod workload, and the kills. */
class Driver {
  private daemon: CrashDaemon | undefined;
  private api: ApiClient | undefined;
  private nextPod = 0;
  /** Kill time for the current daemon instance; may be brought forward after a delete. */
  private killAtMs = Infinity;
  private killKind: KillRecord['kind'] = 'random';
  private aimAfterDelete = false;
  readonly final: FinalState = {
    timelines: new Map(),
    remainingPods: [],
    leftoverProcesses: [],
    liveRecordedPids: [],
    containers: [],
    dirsLeft: [],
    apps: [],
    hooks: [],
    hookLinesMalformed: [],
    notes: [],
    errors: [],
  };

  constructor(
    private readonly run: RunRecord,
    private readonly rng: Prng,
    private readonly paths: Paths,
    private readonly log: (line: string) => void,
  ) {}

  async scenario(kills: number): Promise<void> {
    while (this.run.kills.length < kills) {
      const up = await this.startDaemon(this.rng.chance(0.06) ? this.rng.between(50, 500) : undefined);
      if (up) {
        await this.reconcile();
        const uptimeMs = this.rng.weighted<[number, number]>([
          [25, [200, 1000]],
          [45, [1000, 3000]],
          [30, [3000, 6000]],
        ]);
        this.killAtMs = clock.now() + this.rng.between(uptimeMs[0], uptimeMs[1]);
        this.killKind = 'random';
        // Some instances die shortly after their first delete: in its preStop, or in the wait for the stop.
        this.aimAfterDelete = this.rng.chance(0.4);
        const population = this.rng.int(2, 5);
        const work = this.workload(population);
        while (clock.now() < this.killAtMs) await clock.sleep(Math.min(20, Math.max(0, this.killAtMs - clock.now())));
        await this.kill(this.killKind);
        await work;
      }
      if (this.run.kills.length % 10 === 0) this.log(`crash run: ${this.run.kills.length}/${kills} kills, ${this.run.pods.length} pods so far`);
      await clock.sleep(this.rng.chance(0.2) ? this.rng.between(800, 1600) : this.rng.between(0, 500));
    }
  }

  /** The clean finish: no more kills; delete what is left; wait for everything to settle; stop cleanly. */
  async finish(): Promise<void> {
    const final = this.final;
    await this.startDaemon(undefined);
    const api = this.api!;
    await this.reconcile();
    for (const p of this.run.pods) {
      if (p.neverCreated || p.deleteConfirmed || p.deleteSentMs !== undefined) continue;
      p.finalDelete = true;
      await this.deletePod(p);
    }
    const settleDeadline = clock.now() + 60_000;
    let remaining = await api.listPodNames();
    while (remaining.size > 0 && clock.now() < settleDeadline) {
      this.noteGone(remaining);
      await clock.sleep(200);
      remaining = await api.listPodNames();
    }
    this.noteGone(remaining);
    final.remainingPods = [...remaining.keys()];
    if (remaining.size > 0) final.notes.push(`${remaining.size} pod(s) still present 60 s after the final deletes: ${[...remaining.keys()].join(', ')}`);
    // Orphans (force-deleted while the daemon was down) are stopped with grace 1 + the 2 s floor.
    const procDeadline = clock.now() + 20_000;
    while (processesWithToken(this.run.token).length > 0 && clock.now() < procDeadline) await clock.sleep(100);
    for (const p of this.run.pods) {
      if (!p.uid) continue;
      final.timelines.set(p.uid, await api.timeline(p.plan.name, p.uid));
    }
    final.daemonStop = await this.daemon!.stop();
    this.api?.close();
    this.api = undefined;
    await clock.sleep(300);
    final.leftoverProcesses = processesWithToken(this.run.token);
  }

  /** On any exit path: no daemon of ours keeps running. */
  async abandon(): Promise<void> {
    this.api?.close();
    if (this.daemon?.alive) await this.daemon.kill();
  }

  /** Starts a daemon; with `earlyKillMs`, SIGKILLs it that long after spawning if it is not serving yet. */
  private async startDaemon(earlyKillMs: number | undefined): Promise<boolean> {
    const record: RunRecord['daemonStarts'][number] = { spawnedMs: clock.now() };
    this.run.daemonStarts.push(record);
    let early: KillRecord | undefined;
    try {
      this.daemon = await CrashDaemon.start({
        dataDir: this.paths.dataDir,
        home: this.paths.home,
        logFile: this.paths.logFile,
        ...(earlyKillMs !== undefined
          ? {
              earlyKill: {
                afterMs: earlyKillMs,
                onKill: (pid: number, atMs: number) => {
                  early = { atMs, daemonPid: pid, kind: 'early' };
                },
              },
            }
          : {}),
      });
    } catch (err) {
      if (early) {
        this.run.kills.push(early);
        return false;
      }
      throw err;
    }
    record.readyMs = this.daemon.readyAtMs;
    this.api = new ApiClient(this.daemon.endpoint);
    return true;
  }

  private async kill(kind: KillRecord['kind']): Promise<void> {
    const d = this.daemon!;
    const atMs = await d.kill();
    this.run.kills.push({ atMs, daemonPid: d.pid, kind });
    this.api?.close();
    this.api = undefined;
  }

  /** Settles the outcome of requests the previous instance died under. */
  private async reconcile(): Promise<void> {
    const api = this.api!;
    for (const p of this.run.pods) {
      if (p.createUnknown) {
        const r = await api.getPod(p.plan.name);
        p.createUnknown = false;
        if (r.status === 200) p.uid = r.json.metadata.uid;
        else if (r.status === 404) p.neverCreated = true;
        else throw new Error(`reconcile create of ${p.plan.name}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
      }
      if (p.deleteUnknown) {
        const r = await api.getPod(p.plan.name);
        p.deleteUnknown = false;
        if (r.status === 404 || (r.status === 200 && r.json.metadata.deletionTimestamp)) {
          p.deleteConfirmed = true;
        } else if (r.status === 200) {
          // The delete never reached the store: it happens now.
          p.deleteSentMs = undefined;
          await this.deletePod(p);
        } else throw new Error(`reconcile delete of ${p.plan.name}: HTTP ${r.status}`);
      }
    }
  }

  /** Creates and deletes pods until the daemon is killed. */
  private async workload(population: number): Promise<void> {
    let lastList = 0;
    try {
      while (this.daemon?.alive && this.api) {
        const now = clock.now();
        const live = this.run.pods.filter((p) => !p.neverCreated && p.deleteSentMs === undefined && !p.createUnknown);
        if (live.length < population) {
          await this.createPod();
          continue;
        }
        const due = live.find((p) => p.uid && now - p.createSentMs >= p.plan.lifetimeMs);
        if (due) {
          await this.deletePod(due);
          if (this.aimAfterDelete) {
            this.aimAfterDelete = false;
            this.killAtMs = clock.now() + this.rng.between(30, 2200);
            this.killKind = 'after-delete';
          }
          continue;
        }
        if (now - lastList > 250) {
          lastList = now;
          this.noteGone(await this.api.listPodNames());
        }
        await clock.sleep(this.rng.between(40, 120));
      }
    } catch (err) {
      if (!(err instanceof DaemonUnreachable) && !(err instanceof DaemonGone)) throw err;
      // A request that failed while the daemon lived on is a finding, not a kill.
      await clock.sleep(200);
      if (this.daemon?.alive && err instanceof DaemonUnreachable) this.final.notes.push(`request failed while the daemon was alive: ${err.message}`);
    }
  }

  private async createPod(): Promise<void> {
    const plan = planPod(this.rng, `c${this.nextPod++}`);
    const rec: PodRecord = { plan, createSentMs: clock.now(), createUnknown: false, neverCreated: false, deleteUnknown: false, deleteConfirmed: false, finalDelete: false };
    this.run.pods.push(rec);
    const api = this.requireApi();
    try {
      const r = await api.createPod(podManifest(plan, this.run.token, this.paths.evidenceDir));
      if (r.status !== 201 && r.status !== 200) throw new Error(`create ${plan.name}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
      rec.uid = r.json.metadata.uid;
    } catch (err) {
      if (err instanceof DaemonUnreachable) rec.createUnknown = true;
      throw err;
    }
  }

  private async deletePod(p: PodRecord): Promise<void> {
    p.deleteSentMs = clock.now();
    const api = this.requireApi();
    const grace = p.finalDelete ? undefined : p.plan.deleteMode.kind === 'grace' ? p.plan.deleteMode.seconds : p.plan.deleteMode.kind === 'force' ? 0 : undefined;
    try {
      const r = await api.deletePod(p.plan.name, grace);
      if (r.status === 200 || r.status === 404) {
        p.deleteConfirmed = true;
        if (r.status === 404 || grace === 0) p.goneObservedMs ??= clock.now();
      } else throw new Error(`delete ${p.plan.name}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
    } catch (err) {
      if (err instanceof DaemonUnreachable) p.deleteUnknown = true;
      throw err;
    }
  }

  private requireApi(): ApiClient {
    if (!this.api || !this.daemon?.alive) throw new DaemonGone();
    return this.api;
  }

  private noteGone(listed: Map<string, unknown>): void {
    const now = clock.now();
    for (const p of this.run.pods) {
      if (p.deleteConfirmed && p.goneObservedMs === undefined && !listed.has(p.plan.name)) p.goneObservedMs = now;
    }
  }
}

class DaemonGone extends Error {
  constructor() {
    super('the daemon is down');
  }
}

function listTree(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  } catch {
    return [];
  }
}

export function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got ${JSON.stringify(raw)}`);
  return n;
}
