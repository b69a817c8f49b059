import type { Pod, PodStatus } from '../api/types.js';
import type { Clock } from '../clock/clock.js';
import type { ContainerRuntime, ContainerStatus, RuntimeEvent } from '../runtime/container-runtime.js';
import type { PodStore } from '../store/pod-store.js';
import { delegatingRuntime } from '../runtime/delegating-runtime.js';
import { planAdoption, terminatedOf } from './adoption.js';
import { isRunning, newRecord, type ContainerRecord } from './container-record.js';
import { CrashLoopBackoff, goDuration } from './crash-loop-backoff.js';
import { ExitWaiters } from './exit-waiters.js';
import { PodProbes } from './probes/pod-probes.js';
import { StatusPublisher } from './status-publisher.js';
import { ContainerReason, Reason } from './event-reasons.js';
import { effectiveGraceSeconds } from './grace.js';
import { killContainer } from './kill-container.js';
import { hookContextOf, KUBELET_VERSION, type PodContext } from './pod-context.js';
import { buildPodStatus } from './pod-status.js';
import { formatPod, type Recorder } from './recorder.js';
import { startContainer } from './start-container.js';
import { planSync, podFinished, type SyncStep } from './sync-plan.js';
import { terminationTurns } from './termination-order.js';
import { What } from './timeline-what.js';

/** A failed create/start is retried after this long (the pod worker's error back-off). */
const START_RETRY_MS = 10_000;

export interface WorkerDeps {
  store: PodStore;
  runtime: ContainerRuntime;
  clock: Clock;
  recorder: Recorder;
  backoff: CrashLoopBackoff;
  nodeName: string;
  podIP: string;
  baseEnv: Record<string, string>;
  /** Registers a runtime id as belonging to this worker (event routing). */
  claim(id: string): void;
  /** Called once the pod is fully terminated and removed. */
  onTerminated(): void;
}

/**
 * One worker per pod (the kubelet's pod worker): syncs run one at a time;
 * a sync in progress is aborted when the pod starts terminating, and the
 * termination then runs to completion with the grace it started with (R4.4).
 */
export class PodWorker {
  private pod: Pod;
  private readonly records: ContainerRecord[];
  private state: 'active' | 'terminating' | 'terminated' = 'active';
  private syncAbort = new AbortController();
  private loop: Promise<void> | undefined;
  private again = false;
  private graceSeconds = 0;
  private desiredKey = '';
  private detached = false;
  private readonly recorder: Recorder;
  private readonly startTimeMs: number;
  private readonly status: StatusPublisher;
  private readonly exits = new ExitWaiters();
  private readonly probes: PodProbes;
  private readonly sigkilled = new Set<string>();
  private readonly retryAt = new Map<ContainerRecord, number>();
  private readonly timers = new Set<() => void>();
  private readonly ctx: PodContext;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(private readonly deps: WorkerDeps, pod: Pod) {
    this.pod = pod;
    this.startTimeMs = deps.clock.now();
    this.records = [
      ...(pod.spec.initContainers ?? []).map((c) => newRecord(c, c.restartPolicy === 'Always' ? 'sidecar' : 'init')),
      ...pod.spec.containers.map((c) => newRecord(c, 'main')),
    ];
    this.done = new Promise((r) => (this.resolveDone = r));
    this.recorder = deps.recorder.guarded(() => !this.detached);
    this.probes = new PodProbes({
      pod: () => this.pod,
      runtime: deps.runtime,
      clock: deps.clock,
      podIP: deps.podIP,
      recorder: this.recorder,
      changed: () => {
        this.statusChanged();
        this.kick();
      },
    });
    this.status = new StatusPublisher(
      (previous) => this.computeStatus(previous),
      (status) => {
        const m = this.pod.metadata;
        deps.store.updatePodStatus(m.namespace ?? 'default', m.name ?? '', this.uid, status);
      },
    );
    this.ctx = this.makeContext();
  }

  get uid(): string {
    return this.pod.metadata.uid ?? '';
  }

  /** The pod's desired state changed (ADDED/MODIFIED). */
  update(pod: Pod): void {
    if (this.state === 'terminated' || this.detached) return;
    // Our own status writes come back as MODIFIED; like the kubelet's config
    // source, ignore updates that differ only in status.
    const key = desiredStateKey(pod);
    const changed = key !== this.desiredKey;
    this.desiredKey = key;
    this.pod = pod;
    if (!changed) return;
    this.syncSpecs(pod);
    if (pod.metadata.deletionTimestamp != null) {
      void this.terminate();
      return;
    }
    this.kick();
  }

  /** The API object is gone (force delete, or our own final removal). */
  removed(pod: Pod): void {
    if (this.state !== 'active' || this.detached) return;
    this.pod = { ...pod, metadata: { ...pod.metadata, deletionGracePeriodSeconds: pod.metadata.deletionGracePeriodSeconds ?? 0 } };
    void this.terminate();
  }

  onRuntimeEvent(e: RuntimeEvent): void {
    const rec = this.records.find((r) => r.id === e.id);
    if (e.type === 'signalled') {
      if (e.signal === 'SIGKILL' && rec) this.noteSigkill(rec, e.id, e.at, false);
      return;
    }
    if (e.type === 'started') {
      if (rec && rec.startedAt === undefined) rec.startedAt = e.at;
      return;
    }
    if (e.type !== 'exited') return;
    if (rec) {
      rec.phase = 'exited';
      rec.terminated = {
        exitCode: e.exitCode,
        ...(e.signal ? { signal: e.signal } : {}),
        reason: e.exitCode === 0 ? ContainerReason.Completed : ContainerReason.Error,
        startedAt: rec.startedAt ?? e.at,
        finishedAt: e.at,
        containerID: `${this.deps.runtime.name}://${e.id}`,
      };
      if (!rec.waitingReason || rec.waitingReason === ContainerReason.ContainerCreating) rec.waitingReason = undefined;
      const how = e.signal ? `signal ${e.signal} (exit code ${e.exitCode})` : `exit code ${e.exitCode}`;
      this.recorder.timeline(this.pod, What.Exited, rec.name, how, e.at);
      this.statusChanged();
    }
    this.exits.exit(e.id);
    if (rec) this.probes.stop(rec);
    if (rec && !rec.stopping && this.state === 'active') this.kick();
  }

  /**
   * The agent is going away without stopping containers (daemon stop, or an
   * injected restart): cancel timers and in-flight hooks, and write nothing
   * more. Containers keep running; the next agent adopts them.
   */
  detach(): void {
    this.detached = true;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.syncAbort.abort(new Error('context canceled'));
    this.exits.releaseAll();
    this.probes.stopAll();
  }

  /**
   * Recovery: take over the containers a previous agent left (R4.9). The
   * newest instance of each container becomes current, the one before it the
   * previous (for lastState and --previous); older ones are removed. A
   * container found running keeps running — a postStart that was in flight
   * is not run again (timeline e.4). Exits that happened while no agent
   * watched are recorded with their real time.
   */
  async adopt(found: ContainerStatus[]): Promise<void> {
    const recorded = this.deps.store.listTimeline(this.pod.metadata.namespace ?? 'default', this.pod.metadata.name ?? '', this.uid);
    this.recorder.timeline(this.pod, What.AgentRestart, undefined, `${found.length} container instance(s) found`);
    for (const rec of this.records) {
      const plan = planAdoption(found.filter((c) => c.name === rec.name));
      for (const c of plan.discard) await this.deps.runtime.remove(c.id).catch(() => {});
      if (!plan.current) continue;
      let cur = plan.current;
      if (cur.state === 'unknown') {
        // "Container is in unknown state, try killing it before restart" (R6.1).
        await this.deps.runtime.stop(cur.id, 2000).catch(() => {});
        cur = await this.deps.runtime.status(cur.id).catch(() => cur);
      }
      const previous = plan.previous;
      for (const c of [previous, cur]) if (c) this.deps.claim(c.id);
      rec.id = cur.id;
      rec.previousId = previous?.id;
      rec.restartCount = cur.attempt;
      rec.startedAt = cur.startedAt;
      rec.stopSignal = cur.stopSignal;
      rec.startedSpecJson = JSON.stringify(rec.spec);
      rec.lastTerminated = previous ? terminatedOf(previous, this.deps.runtime.name) : undefined;
      const last = recorded.filter((e) => e.container === rec.name).at(-1);
      if (cur.state === 'running') {
        rec.phase = 'running';
        rec.waitingReason = undefined;
        this.probes.start(rec);
        if (last?.what === What.PostStartStarted || last?.what === What.Started) {
          this.recorder.timeline(this.pod, What.Running, rec.name, 'found running after an agent restart; the postStart in flight is not run again');
        }
      } else {
        rec.phase = 'exited';
        rec.terminated = terminatedOf(cur, this.deps.runtime.name);
        this.exits.exit(cur.id);
        // The same exit, recorded by an earlier agent, carries the same time (the shim's).
        const seen = recorded.some((e) => e.container === rec.name && e.what === What.Exited && Math.abs(e.timeMs - (cur.finishedAt ?? 0)) < 1);
        if (!seen) {
          const how = cur.signal ? `signal ${cur.signal} (exit code ${cur.exitCode})` : `exit code ${cur.exitCode}`;
          this.recorder.timeline(this.pod, What.Exited, rec.name, `${how}, while no agent was running`, cur.finishedAt);
        }
      }
    }
    this.statusChanged();
  }


  private syncSpecs(pod: Pod): void {
    for (const r of this.records) {
      const list = r.kind === 'main' ? pod.spec.containers : pod.spec.initContainers ?? [];
      const spec = list.find((c) => c.name === r.name);
      if (spec) r.spec = spec;
    }
  }

  private kick(): void {
    if (this.state !== 'active' || this.detached) return;
    if (this.loop) {
      this.again = true;
      return;
    }
    this.loop = (async () => {
      do {
        this.again = false;
        await this.sync(this.syncAbort.signal);
      } while (this.again && this.state === 'active');
    })().finally(() => {
      this.loop = undefined;
    });
  }

  private async sync(signal: AbortSignal): Promise<void> {
    const steps = planSync({
      pod: this.pod,
      records: this.records,
      nowMs: this.deps.clock.now(),
      inBackOff: (r) => this.deps.backoff.isInBackOffSince(this.backoffKey(r), r.terminated?.finishedAt ?? 0),
      retryAtMs: (r) => this.retryAt.get(r),
    });
    for (const step of steps) {
      if (signal.aborted || this.state !== 'active') return;
      await this.execute(step, signal);
    }
    if (podFinished(this.pod, this.records)) this.statusChanged();
  }

  private async execute(step: SyncStep, signal: AbortSignal): Promise<void> {
    const { rec } = step as { rec: ContainerRecord };
    switch (step.type) {
      case 'backoff': {
        const key = this.backoffKey(rec);
        const delayMs = this.deps.backoff.get(key);
        const pod = formatPod(this.pod);
        this.recorder.event(this.pod, 'Warning', Reason.BackOff, `Back-off restarting failed container ${rec.name} in pod ${pod}`, rec.name);
        rec.waitingReason = ContainerReason.CrashLoopBackOff;
        rec.waitingMessage = `back-off ${goDuration(delayMs)} restarting failed container=${rec.name} pod=${pod}`;
        const at = (rec.terminated?.finishedAt ?? this.deps.clock.now()) + delayMs;
        this.recorder.timeline(this.pod, What.BackOff, rec.name, `back-off ${goDuration(delayMs)}: restart in ${((at - this.deps.clock.now()) / 1000).toFixed(3)}s`);
        this.statusChanged();
        this.wakeAt(at);
        return;
      }
      case 'retryLater':
        this.wakeAt(step.atMs);
        return;
      case 'restartChanged':
        await killContainer(this.ctx, rec, { message: `Container ${rec.name} definition changed, will be restarted`, reason: 'Unknown', signal });
        rec.terminated = undefined;
        rec.phase = 'waiting';
        await this.start(rec, signal);
        return;
      case 'probeKill': {
        const what = step.reason === 'LivenessProbe' ? 'liveness' : 'startup';
        const policy = this.pod.spec.restartPolicy ?? 'Always';
        // R7.2 / R5.3 Killing messages.
        const message = rec.kind === 'sidecar'
          ? `Init container ${rec.name} failed ${what} probe`
          : `Container ${rec.name} failed ${what} probe${policy !== 'Never' ? ', will be restarted' : ''}`;
        this.probes.stop(rec);
        await killContainer(this.ctx, rec, { message, reason: step.reason, signal });
        this.again = true; // its exit came while stopping: decide the restart next
        return;
      }
      case 'killSidecars':
        await this.killAll(undefined, signal);
        this.again = true;
        return;
      case 'start':
        if (step.restart) {
          this.deps.backoff.next(this.backoffKey(rec), rec.terminated?.finishedAt ?? this.deps.clock.now());
          this.recorder.timeline(this.pod, What.Restarting, rec.name, `restart ${rec.restartCount + 1}`);
        }
        await this.start(rec, signal);
        return;
    }
  }

  private async start(rec: ContainerRecord, signal: AbortSignal): Promise<void> {
    const result = await startContainer(this.ctx, rec, {
      nodeName: this.deps.nodeName,
      baseEnv: this.deps.baseEnv,
      signal,
      terminating: () => this.state !== 'active',
    });
    if (result.ok && rec.phase === 'running') {
      this.probes.start(rec);
      this.statusChanged();
    }
    if (result.ok || result.reason === ContainerReason.PostStartHookError) {
      this.retryAt.delete(rec);
    } else {
      this.retryAt.set(rec, this.deps.clock.now() + START_RETRY_MS);
    }
    // Plan again: a started init container or sidecar unblocks the next one,
    // and the exit of a container killed on this path arrived while it was
    // stopping (so it did not kick).
    this.again = true;
  }

  private wakeAt(atMs: number): void {
    const cancel = this.deps.clock.setTimer(Math.max(0, atMs - this.deps.clock.now()), () => {
      this.timers.delete(cancel);
      this.kick();
    });
    this.timers.add(cancel);
  }

  /**
   * SyncTerminatingPod (R4.5): abort the sync in progress, settle the grace
   * (R4.3), kill every running container concurrently with it (R3.6), then
   * remove the API object (the status manager's final delete, R4.1).
   */
  private async terminate(): Promise<void> {
    if (this.state !== 'active') {
      // R4.4: a shorter grace while terminating does not reach kills in flight.
      this.graceSeconds = effectiveGraceSeconds(this.graceSeconds, this.pod).grace;
      return;
    }
    this.state = 'terminating';
    this.syncAbort.abort(new Error('context canceled'));
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    await this.loop;
    const { grace } = effectiveGraceSeconds(this.graceSeconds, this.pod);
    this.graceSeconds = grace;
    this.probes.terminating();
    this.recorder.timeline(this.pod, What.PodTerminating, undefined, `grace ${grace}s`);
    this.statusChanged();
    await this.killAll(grace);
    if (this.detached) return;
    this.state = 'terminated';
    this.deps.backoff.forgetPod(this.uid);
    for (const r of this.records) {
      for (const id of [r.previousId, r.id]) if (id) await this.deps.runtime.remove(id).catch(() => {});
    }
    const m = this.pod.metadata;
    this.deps.store.removePod(m.namespace ?? 'default', m.name ?? '', this.uid);
    this.recorder.timeline(this.pod, What.PodRemoved);
    this.resolveDone();
    this.deps.onTerminated();
  }

  /** killContainersWithSyncResult: all running containers at once, sidecars in their turn (R5.1, R5.2). */
  private async killAll(graceOverrideSeconds: number | undefined, signal?: AbortSignal): Promise<void> {
    const targets = this.records.filter((r) => (graceOverrideSeconds === undefined ? r.kind === 'sidecar' : true) && isRunning(r) && !r.stopping);
    const turns = terminationTurns(this.records, this.deps.clock, (r, id) => this.ctx.exited(r, id));
    await Promise.all(
      targets.map((r) =>
        killContainer(this.ctx, r, {
          reason: 'Unknown',
          ...(graceOverrideSeconds !== undefined ? { graceOverrideSeconds } : {}),
          ...(signal ? { signal } : {}),
          ...(turns ? { waitForTurn: (ms: number) => turns(r, ms) } : {}),
        }).catch((err: unknown) => {
          this.recorder.event(this.pod, 'Warning', Reason.FailedKillPod, `error killing pod: ${err instanceof Error ? err.message : String(err)}`);
        }),
      ),
    );
  }

  private backoffKey(r: ContainerRecord): string {
    return `${this.uid}/${r.name}`;
  }

  private statusChanged(): void {
    this.status.changed();
  }

  private computeStatus(previous: PodStatus | undefined): PodStatus | undefined {
    if (this.state === 'terminated' || this.detached) return undefined;
    return buildPodStatus({
      pod: this.pod,
      records: this.records,
      runtimeName: this.deps.runtime.name,
      podIP: this.deps.podIP,
      startTimeMs: this.startTimeMs,
      nowMs: this.deps.clock.now(),
      ...(previous ? { previous } : {}),
    });
  }

  private noteSigkill(rec: ContainerRecord, id: string, atMs: number, inferred: boolean): void {
    if (this.sigkilled.has(id)) return;
    this.sigkilled.add(id);
    this.recorder.timeline(this.pod, What.SigKill, rec.name, inferred ? 'grace ran out (time inferred from the stop timeout)' : 'grace ran out', atMs);
  }

  private makeContext(): PodContext {
    const deps = this.deps;
    // The same runtime, but every id it creates is routed back to this worker.
    const runtime: ContainerRuntime = {
      ...delegatingRuntime(() => deps.runtime),
      create: async (config) => {
        const id = await deps.runtime.create(config);
        deps.claim(id);
        return id;
      },
    };
    return {
      pod: () => this.pod,
      runtime,
      clock: deps.clock,
      recorder: this.recorder,
      alive: () => !this.detached,
      podIP: deps.podIP,
      statusChanged: () => this.statusChanged(),
      hookContext: (rec) => hookContextOf(this.pod, rec, deps.podIP),
      hookDeps: () => ({
        runtime: deps.runtime,
        clock: deps.clock,
        recordPodEvent: (type, reason, message) => this.recorder.event(this.pod, type, reason, message),
        kubeletVersion: KUBELET_VERSION,
      }),
      exited: (_rec, id) => this.exits.wait(id),
      noteSigkill: (rec, id, at, inferred) => this.noteSigkill(rec, id, at, inferred),
    };
  }
}


function desiredStateKey(pod: Pod): string {
  const m = pod.metadata;
  return JSON.stringify([pod.spec, m.labels, m.annotations, m.deletionTimestamp, m.deletionGracePeriodSeconds]);
}
