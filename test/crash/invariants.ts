/**
 * The crash test's invariants, checked after the run from what the harness
 * recorded (kills, deletes), what the apps and hooks wrote outside the data
 * directory, the hard-linked runtime state, and the daemon's timelines.
 * Each violation names the invariant, the pod/container, and expected vs seen.
 */
import { readFileSync } from 'node:fs';
import type { TimelineItem } from './api-client.js';
import { deleteGraceSeconds, TERM_EXIT_CODE, type ContainerPlan } from './crash-pod.js';
import { checkSeq, missingErrLines, parseCriLog, type AppRecord } from './evidence.js';
import type { FinalState, PodRecord, RunRecord } from './run-record.js';
import type { CapturedContainer } from './state-capture.js';

export const Invariant = {
  NoLeftovers: 'I1 no process left behind',
  ExitsRecorded: 'I2 every exit recorded',
  LogsComplete: 'I3 every log line present',
  PreStopAtLeastOnce: 'I4 preStop at least once',
  PodsGoneNoDoubleStart: 'I5 pods gone, no container started twice',
  PostStartNotRerun: 'I6 postStart not re-run',
  CleanStop: 'daemon clean stop',
  Cleanup: 'state cleaned up',
  Harness: 'harness',
} as const;

export interface Violation {
  invariant: string;
  severity: 'fail' | 'warn';
  pod?: string;
  uid?: string;
  container?: string;
  expected: string;
  seen: string;
  detail?: string;
}

export interface Counts {
  kills: number;
  killsEarly: number;
  killsAfterDelete: number;
  daemonStarts: number;
  meanRestartMs: number;
  podsCreated: number;
  podsDeleted: number;
  forceDeletes: number;
  containerInstances: number;
  terminationsInterrupted: number;
  interruptedDuringPreStop: number;
  /** SIGTERM-ignoring containers whose stop window (SIGTERM → SIGKILL) a kill cut into. */
  interruptedWhileStopping: number;
  /** Containers of force-deleted pods that outlived a daemon kill (stopped by the orphan path, R4.6). */
  orphanContainers: number;
  /** Stop windows cut by a kill where the container ended (the shim's own deadline) before the next daemon served. */
  stoppedWhileDown: number;
  preStopDeliveries: number;
  preStopRedeliveries: number;
  postStartDeliveries: number;
  exitsRecordedWhileDown: number;
  logLinesChecked: number;
  logsCaptured: number;
  exitFilesCaptured: number;
}

export interface CrashReport {
  violations: Violation[];
  counts: Counts;
}

/** One container instance: the app's own record and/or the runtime state the harness kept. */
interface Instance {
  uid: string;
  pod: string;
  container: string;
  app?: AppRecord;
  captured?: CapturedContainer;
  startMs: number;
}

const key = (uid: string, container: string): string => `${uid}/${container}`;

export function checkInvariants(run: RunRecord, final: FinalState, readText: (path: string) => string = (p) => readFileSync(p, 'utf8')): CrashReport {
  const v: Violation[] = [];
  const podsByUid = new Map<string, PodRecord>();
  for (const p of run.pods) if (p.uid) podsByUid.set(p.uid, p);
  const instances = buildInstances(final);
  const byContainer = groupBy(instances, (i) => key(i.uid, i.container));
  const timelineOf = (uid: string): TimelineItem[] => final.timelines.get(uid) ?? [];
  const planOf = (uid: string, container: string): ContainerPlan | undefined => podsByUid.get(uid)?.plan.containers.find((c) => c.name === container);

  // I1: nothing of this run still runs.
  for (const p of final.leftoverProcesses) {
    v.push({
      invariant: Invariant.NoLeftovers,
      severity: 'fail',
      ...(p.pod ? { pod: p.pod } : {}),
      ...(p.container ? { container: p.container } : {}),
      expected: 'no process of this run alive after all pods are gone and the daemon stopped',
      seen: `pid ${p.pid} (${p.state}) ${p.cmdline}`,
    });
  }
  for (const r of final.liveRecordedPids) {
    const c = final.containers.find((x) => x.id === r.id);
    v.push({
      invariant: Invariant.NoLeftovers,
      severity: 'fail',
      ...(c?.config ? { pod: c.config.config.podName, uid: c.config.config.podUid, container: c.config.config.name } : {}),
      expected: `recorded ${r.role} pid gone`,
      seen: `${r.role} pid ${r.pid} of container ${r.id} still running (same start ticks)`,
    });
  }

  // I2: every started instance has its exit on disk and in the timeline, with the real code.
  let exitsRecordedWhileDown = 0;
  let exitFilesCaptured = 0;
  for (const c of final.containers) {
    for (const u of c.unreadable) {
      v.push({ invariant: Invariant.ExitsRecorded, severity: 'fail', ...who(c), expected: 'whole state files', seen: `unreadable ${u}`, detail: `container ${c.id}` });
    }
    if (!c.started) continue;
    if (c.exit) exitFilesCaptured++;
    else if (final.dirsLeft.some((d) => d.id === c.id)) {
      v.push({ invariant: Invariant.ExitsRecorded, severity: 'fail', ...who(c), expected: 'exit.json beside started.json', seen: 'started.json without exit.json', detail: `container ${c.id}` });
    }
  }
  for (const list of byContainer.values()) {
    const first = list[0]!;
    const tl = timelineOf(first.uid);
    if (!final.timelines.get(first.uid)) {
      v.push({ invariant: Invariant.ExitsRecorded, severity: 'fail', pod: first.pod, uid: first.uid, container: first.container, expected: 'a timeline for the pod', seen: 'no timeline entries' });
      continue;
    }
    const exited = tl.filter((e) => e.container === first.container && e.what === 'exited').sort((a, b) => a.timeMs - b.timeMs);
    exitsRecordedWhileDown += exited.filter((e) => e.detail?.includes('while no agent')).length;
    // The same exit written twice (same finish time): nothing lost, but the timeline says it happened twice.
    const dup = exited.filter((e, i) => i > 0 && Math.abs(e.timeMs - exited[i - 1]!.timeMs) < 1);
    if (dup.length > 0) {
      v.push({ invariant: Invariant.ExitsRecorded, severity: 'warn', pod: first.pod, uid: first.uid, container: first.container, expected: 'each exit once in the timeline', seen: `${dup.length} repeated 'exited' entr${dup.length === 1 ? 'y' : 'ies'}`, detail: exited.map((e) => `${e.time.slice(11, 23)} ${e.detail ?? ''}`).join('; ') });
    }
    const plan = planOf(first.uid, first.container);
    const used = new Set<TimelineItem>();
    for (const inst of list) {
      // Entries carry the runtime's finish time, so an instance's exit is the entry at its exit.json time.
      // (Instances that never ran — a start abandoned by a dying daemon — have their own entries, not matched here.)
      const finished = inst.captured?.exit?.finishedAt;
      const entry =
        finished !== undefined
          ? exited.find((e) => Math.abs(e.timeMs - finished) < 1)
          : exited.find((e) => e.timeMs >= inst.startMs - 50 && !used.has(e) && !e.detail?.includes('never ran'));
      if (entry) used.add(entry);
      if (!entry) {
        v.push({
          invariant: Invariant.ExitsRecorded,
          severity: 'fail',
          pod: inst.pod,
          uid: inst.uid,
          container: inst.container,
          expected: finished !== undefined ? `an 'exited' timeline entry at the shim's finish time ${iso(finished)} (code ${inst.captured!.exit!.exitCode})` : "an 'exited' timeline entry after the start",
          seen: exited.length === 0 ? 'no exited entry' : `exited entries at ${exited.map((e) => `${iso(e.timeMs)} (${e.detail})`).join(', ')}`,
          detail:
            (orphaned(podsByUid.get(inst.uid)) ? 'force-deleted pod whose container outlived a daemon kill, so it was stopped as an orphan (R4.6): exit.json has the exit but the timeline does not; ' : '') +
            `instance: ${describeInstance(inst)}; timeline tail: ${tail(tl, inst.container)}`,
        });
      }
      const recorded = entry ? Number(/exit code (\d+)/.exec(entry.detail ?? '')?.[1]) : undefined;
      if (inst.captured?.exit && recorded !== undefined && recorded !== inst.captured.exit.exitCode) {
        v.push({ invariant: Invariant.ExitsRecorded, severity: 'fail', pod: inst.pod, uid: inst.uid, container: inst.container, expected: `timeline exit code = the shim's exit.json code ${inst.captured.exit.exitCode}`, seen: `${recorded} (${entry!.detail})` });
      }
      const real = inst.captured?.exit?.exitCode ?? recorded;
      if (plan && real !== undefined && inst.app) {
        const want = plan.mode === 'term' ? TERM_EXIT_CODE : 137;
        if (real !== want) {
          v.push({
            invariant: Invariant.ExitsRecorded,
            severity: 'fail',
            pod: inst.pod,
            uid: inst.uid,
            container: inst.container,
            expected: `exit code ${want} (${plan.mode === 'term' ? 'app exits 43 after SIGTERM' : 'app ignores SIGTERM, so SIGKILL'})`,
            seen: `${real}${inst.app.termMs.length === 0 ? ' — the app never received SIGTERM' : ''}`,
            detail: `timeline tail: ${tail(tl, inst.container)}`,
          });
        }
      }
    }
  }

  // I3: every line the app printed is in its log, in order, once.
  let logLinesChecked = 0;
  let logsCaptured = 0;
  for (const inst of instances) {
    const c = inst.captured;
    if (!c?.logPath) continue;
    logsCaptured++;
    const log = parseCriLog(readText(c.logPath));
    const seq = checkSeq(log.stdout);
    logLinesChecked += seq.last;
    const base = { invariant: Invariant.LogsComplete, severity: 'fail' as const, pod: inst.pod, uid: inst.uid, container: inst.container };
    if (log.malformed.length > 0) v.push({ ...base, expected: 'CRI lines `<RFC3339Nano> <stream> <F|P> <text>`', seen: `${log.malformed.length} malformed, first ${JSON.stringify(log.malformed[0])}`, detail: `container ${c.id}` });
    if (seq.gaps.length > 0) v.push({ ...base, expected: `seq 1..${seq.last} contiguous`, seen: `missing ${seq.gaps.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ')}`, detail: `container ${c.id}` });
    if (seq.duplicates.length > 0) v.push({ ...base, expected: 'each line once', seen: `duplicated ${seq.duplicates.slice(0, 10).join(', ')}`, detail: `container ${c.id}` });
    if (seq.unexpected.length > 0) v.push({ ...base, expected: 'only `seq N` on stdout', seen: `${seq.unexpected.length} other lines, first ${JSON.stringify(seq.unexpected[0])}`, detail: `container ${c.id}` });
    if (inst.app && inst.app.lastSeq > seq.last) {
      v.push({ ...base, expected: `log reaches seq ${inst.app.lastSeq} (the app's last write)`, seen: `log ends at seq ${seq.last}`, detail: `container ${c.id}, pid ${inst.app.pid}` });
    }
    const missingErr = missingErrLines(log.stderr, seq.last);
    if (missingErr.length > 0) v.push({ ...base, expected: 'every `err N` (N%10=0) below the last seq on stderr', seen: `missing ${missingErr.slice(0, 10).join(', ')}`, detail: `container ${c.id}` });
  }

  // I4: preStop at least once; re-delivered (with the full grace, after agent.restart) when a kill cut into it.
  let terminationsInterrupted = 0;
  let interruptedDuringPreStop = 0;
  let interruptedWhileStopping = 0;
  let orphanContainers = 0;
  let stoppedWhileDown = 0;
  const preStops = final.hooks.filter((h) => h.hook === 'preStop' && h.phase === 'begin');
  for (const pod of run.pods) {
    if (!pod.uid || !pod.deleteConfirmed || pod.deleteSentMs === undefined) continue;
    const tl = timelineOf(pod.uid);
    const removed = tl.find((e) => e.what === 'pod.removed')?.timeMs;
    const goneMs = Math.min(removed ?? Infinity, pod.goneObservedMs ?? Infinity);
    const killsDuring = run.kills.filter((k) => k.atMs > pod.deleteSentMs! && k.atMs < goneMs);
    if (killsDuring.length > 0) terminationsInterrupted++;
    const force = !pod.finalDelete && pod.plan.deleteMode.kind === 'force';
    // The final clean-up deletes with the pod's own grace, whatever the plan said.
    const grace = pod.finalDelete ? pod.plan.graceSeconds : deleteGraceSeconds(pod.plan);
    for (const plan of pod.plan.containers) {
      const base = { invariant: Invariant.PreStopAtLeastOnce, severity: 'fail' as const, pod: pod.plan.name, uid: pod.uid, container: plan.name };
      const inst = byContainer.get(key(pod.uid, plan.name))?.[0];
      const postStartEnd = final.hooks.find((h) => h.hook === 'postStart' && h.phase === 'end' && h.uid === pod.uid && h.container === plan.name);
      const runningAtDelete = inst?.app !== undefined && postStartEnd !== undefined && postStartEnd.timeMs < pod.deleteSentMs;
      const deliveries = preStops.filter((h) => h.uid === pod.uid && h.container === plan.name).sort((a, b) => a.timeMs - b.timeMs);
      for (const e of tl.filter((x) => x.container === plan.name && x.what === 'preStop.started')) {
        const g = Number(/grace (\d+)s/.exec(e.detail ?? '')?.[1]);
        if (g !== grace) v.push({ ...base, expected: `preStop run with the full grace ${grace}s (R4.3, R4.9)`, seen: `${e.detail} at ${e.time}` });
      }
      if (force) {
        // R4.6: once a daemon died under it, the force-deleted pod's containers are orphans: the
        // next daemon stops them (grace 1, floor 2 s) with no preStop.
        const exitedMs = inst?.captured?.exit?.finishedAt ?? Infinity;
        const kill = run.kills.find((k) => k.atMs > pod.deleteSentMs! && k.atMs < exitedMs);
        if (!kill) continue;
        orphanContainers++;
        // Hooks the dying daemon had just started may log a little after the kill; the next daemon needs far longer to boot.
        const nextSpawn = run.daemonStarts.find((d) => d.spawnedMs >= kill.atMs)?.spawnedMs ?? Infinity;
        const late = deliveries.filter((d) => d.timeMs > nextSpawn + 200);
        if (late.length > 0) {
          v.push({ ...base, expected: `no preStop for an orphan (R4.6): the pod was force-deleted and the daemon killed at ${iso(kill.atMs)}`, seen: `preStop delivered at ${late.map((d) => iso(d.timeMs)).join(', ')}` });
        }
        continue;
      }
      if (runningAtDelete && deliveries.length === 0) {
        v.push({
          ...base,
          expected: '≥ 1 preStop delivery for a container running at the delete',
          seen: '0 deliveries',
          detail: `delete sent ${iso(pod.deleteSentMs)}, ${killsDuring.length} kill(s) before the pod was gone (${killsDuring.map((k) => iso(k.atMs)).join(', ')}); timeline tail: ${tail(tl, plan.name)}`,
        });
        continue;
      }
      if (deliveries.length === 0) continue;
      const firstMs = deliveries[0]!.timeMs;
      const termMs = inst?.app?.termMs.length ? Math.min(...inst.app.termMs) : Infinity;
      if (termMs < firstMs) v.push({ ...base, expected: 'stop signal after the preStop began (R3.2)', seen: `SIGTERM at ${iso(termMs)}, preStop began ${iso(firstMs)}` });
      const stopMs = tl.find((e) => e.container === plan.name && e.what === 'stop.signal')?.timeMs ?? Infinity;
      const exitedMs = inst?.captured?.exit?.finishedAt ?? tl.find((e) => e.container === plan.name && e.what === 'exited')?.timeMs ?? Infinity;
      // Until the stop signal, a container keeps running through a daemon death, so the next daemon
      // must start the termination over with the preStop (R4.9). An app that ignores SIGTERM keeps
      // running until a daemon SIGKILLs it, so a kill anywhere before its exit calls for it too; an app
      // that honours SIGTERM is gone shortly after it, so only kills before the signal count.
      const beforeStop = Math.min(termMs, stopMs, exitedMs);
      const windowEnd = plan.mode === 'ignore' ? exitedMs - 100 : beforeStop;
      const cutting = run.kills.filter((k) => k.atMs >= firstMs && k.atMs < windowEnd);
      if (cutting.some((k) => k.atMs < beforeStop)) interruptedDuringPreStop++;
      if (cutting.some((k) => k.atMs >= beforeStop)) interruptedWhileStopping++;
      let endedWhileDown = false;
      for (const k of cutting) {
        if (k.atMs >= beforeStop) {
          // The stop signal was sent: the shim enforces the SIGKILL deadline on its own, so the
          // container may be gone before a daemon is back. Only one still running when a later
          // daemon had been serving for a second must see its termination start over; a daemon
          // killed within its first second may not have recovered its containers yet (its own
          // kill is judged the same way, by the daemon after it).
          const steadyReady =
            run.daemonStarts
              .filter((d) => d.spawnedMs > k.atMs && d.readyMs !== undefined)
              .map((d) => d.readyMs!)
              .find((ready) => !run.kills.some((other) => other.atMs > ready && other.atMs < ready + 1000)) ?? Infinity;
          if (exitedMs <= steadyReady + 1000) {
            endedWhileDown = true;
            continue;
          }
        }
        // A hook the dying daemon had just started may log its start a little after the kill; with no
        // daemon alive, only one logged after the next daemon was spawned is a re-delivery.
        const nextSpawn = run.daemonStarts.find((d) => d.spawnedMs >= k.atMs)?.spawnedMs ?? Infinity;
        const again = deliveries.find((d) => d.timeMs > k.atMs && d.timeMs >= nextSpawn);
        if (!again) {
          v.push({
            ...base,
            expected: `preStop delivered again after the kill at ${iso(k.atMs)} (it cut into the ${k.atMs < beforeStop ? 'preStop or the wait before the stop signal' : 'stop window of an app that ignores SIGTERM'}: R4.9, timeline e)`,
            seen: `${deliveries.length} deliver${deliveries.length === 1 ? 'y' : 'ies'}: ${deliveries.map((d) => iso(d.timeMs)).join(', ')}`,
            detail: `SIGTERM ${iso(termMs)}, stop.signal ${iso(stopMs)}, exited ${iso(exitedMs)}; timeline tail: ${tail(tl, plan.name)}`,
          });
          continue;
        }
        // Hook lines and the daemon's timeline share the host clock; allow a little skew.
        const restart = tl.find((e) => e.what === 'agent.restart' && e.timeMs > k.atMs - 5 && e.timeMs <= again.timeMs + 50);
        if (!restart) {
          v.push({ ...base, expected: `an agent.restart timeline entry between the kill at ${iso(k.atMs)} and the re-delivery at ${iso(again.timeMs)}`, seen: 'none', detail: `timeline tail: ${tail(tl, plan.name)}` });
        }
      }
      if (endedWhileDown) stoppedWhileDown++;
    }
  }

  // I5: every pod gone; no container started twice.
  for (const name of final.remainingPods) {
    v.push({ invariant: Invariant.PodsGoneNoDoubleStart, severity: 'fail', pod: name, expected: 'pod gone after its deletion', seen: 'still listed after the final settle' });
  }
  for (const list of byContainer.values()) {
    const apps = list.filter((i) => i.app);
    if (apps.length > 1) {
      const f = list[0]!;
      v.push({
        invariant: Invariant.PodsGoneNoDoubleStart,
        severity: 'fail',
        pod: f.pod,
        uid: f.uid,
        container: f.container,
        expected: 'one start (these apps never exit on their own, so any second start is a restart that should not happen)',
        seen: `${apps.length} starts: ${apps.map(describeInstance).join('; ')}`,
        detail: `timeline tail: ${tail(timelineOf(f.uid), f.container)}`,
      });
    }
  }
  const byAttempt = groupBy(
    final.containers.filter((c) => c.started && c.config),
    (c) => `${c.config!.config.podUid}/${c.config!.config.name}/${c.config!.config.attempt}`,
  );
  for (const [k, list] of byAttempt) {
    if (list.length < 2) continue;
    const c = list[0]!;
    v.push({ invariant: Invariant.PodsGoneNoDoubleStart, severity: 'fail', ...who(c), expected: 'one started instance per (pod uid, container, attempt)', seen: `${list.length}: ${list.map((x) => `${x.id} pid ${x.started!.pid}`).join(', ')}`, detail: k });
  }

  // I6: a postStart in flight when the daemon died is not run again (timeline e.4).
  const postStarts = groupBy(
    final.hooks.filter((h) => h.hook === 'postStart' && h.phase === 'begin'),
    (h) => key(h.uid, h.container),
  );
  for (const [k, list] of postStarts) {
    const starts = byContainer.get(k)?.filter((i) => i.app).length ?? 0;
    if (list.length > Math.max(1, starts)) {
      const h = list[0]!;
      v.push({ invariant: Invariant.PostStartNotRerun, severity: 'fail', pod: h.pod, uid: h.uid, container: h.container, expected: `≤ ${Math.max(1, starts)} postStart deliveries (one per container start)`, seen: `${list.length} at ${list.map((x) => iso(x.timeMs)).join(', ')}` });
    }
  }

  if (final.daemonStop && (final.daemonStop.code !== 0 || final.daemonStop.timedOut)) {
    v.push({ invariant: Invariant.CleanStop, severity: 'fail', expected: 'exit 0 within 15 s of SIGTERM', seen: `code ${final.daemonStop.code} signal ${final.daemonStop.signal}${final.daemonStop.timedOut ? ' (timed out, SIGKILLed)' : ''}` });
  }
  for (const d of final.dirsLeft) {
    const c = final.containers.find((x) => x.id === d.id);
    v.push({ invariant: Invariant.Cleanup, severity: 'warn', ...(c ? who(c) : {}), expected: 'container state removed once its pod is gone', seen: `containers/${d.id}/ still present with [${d.entries.join(', ')}]` });
  }
  for (const line of final.hookLinesMalformed) v.push({ invariant: Invariant.Harness, severity: 'warn', expected: 'well-formed hook line', seen: JSON.stringify(line) });
  for (const err of final.errors) v.push({ invariant: Invariant.Harness, severity: 'fail', expected: 'the scenario runs to its end', seen: err });
  for (const note of final.notes) v.push({ invariant: Invariant.Harness, severity: 'warn', expected: '-', seen: note });

  const restarts = run.daemonStarts.filter((s) => s.readyMs !== undefined).map((s) => s.readyMs! - s.spawnedMs);
  const deleted = run.pods.filter((p) => p.deleteConfirmed && !p.finalDelete);
  return {
    violations: v,
    counts: {
      kills: run.kills.length,
      killsEarly: run.kills.filter((k) => k.kind === 'early').length,
      killsAfterDelete: run.kills.filter((k) => k.kind === 'after-delete').length,
      daemonStarts: run.daemonStarts.length,
      meanRestartMs: restarts.length ? Math.round(restarts.reduce((a, b) => a + b, 0) / restarts.length) : 0,
      podsCreated: run.pods.filter((p) => p.uid).length,
      podsDeleted: deleted.length,
      forceDeletes: deleted.filter((p) => p.plan.deleteMode.kind === 'force').length,
      containerInstances: instances.length,
      terminationsInterrupted,
      interruptedDuringPreStop,
      interruptedWhileStopping,
      orphanContainers,
      stoppedWhileDown,
      preStopDeliveries: preStops.length,
      preStopRedeliveries: [...groupBy(preStops, (h) => key(h.uid, h.container)).values()].reduce((s, l) => s + l.length - 1, 0),
      postStartDeliveries: final.hooks.filter((h) => h.hook === 'postStart' && h.phase === 'begin').length,
      exitsRecordedWhileDown,
      logLinesChecked,
      logsCaptured,
      exitFilesCaptured,
    },
  };
}

/** Pairs each app (ground truth of a start) with the runtime state the harness kept, by pid. */
function buildInstances(final: FinalState): Instance[] {
  const out: Instance[] = [];
  const usedCaptured = new Set<string>();
  for (const app of final.apps) {
    const c = final.containers.find((x) => x.started?.pid === app.pid && (!x.config || x.config.config.podUid === app.uid));
    if (c) usedCaptured.add(c.id);
    out.push({ uid: app.uid, pod: app.pod, container: app.container, app, ...(c ? { captured: c } : {}), startMs: app.startMs });
  }
  for (const c of final.containers) {
    if (!c.started || !c.config || usedCaptured.has(c.id)) continue;
    const cfg = c.config.config;
    out.push({ uid: cfg.podUid, pod: cfg.podName, container: cfg.name, captured: c, startMs: c.started.startedAt });
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

function orphaned(pod: PodRecord | undefined): boolean {
  return pod !== undefined && !pod.finalDelete && pod.plan.deleteMode.kind === 'force';
}

function groupBy<T>(items: T[], f: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = f(i);
    const l = m.get(k);
    if (l) l.push(i);
    else m.set(k, [i]);
  }
  return m;
}

function who(c: CapturedContainer): { pod?: string; uid?: string; container?: string } {
  return c.config ? { pod: c.config.config.podName, uid: c.config.config.podUid, container: c.config.config.name } : {};
}

function describeInstance(i: Instance): string {
  const parts = [`started ${iso(i.startMs)}`];
  if (i.app) parts.push(`pid ${i.app.pid}`);
  if (i.captured) parts.push(`id ${i.captured.id.slice(0, 12)} attempt ${i.captured.config?.config.attempt ?? '?'}`);
  if (i.captured?.exit) parts.push(`exit ${i.captured.exit.exitCode}`);
  return parts.join(' ');
}

function tail(tl: TimelineItem[], container: string): string {
  return tl
    .filter((e) => e.container === undefined || e.container === container)
    .slice(-14)
    .map((e) => `${e.time.slice(11, 23)} ${e.what}${e.container ? `[${e.container}]` : ''}${e.detail ? ` (${e.detail})` : ''}`)
    .join(' | ');
}

export function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(11, 23) : '-';
}
