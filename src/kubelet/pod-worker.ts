import type { Pod, PodStatus } from '../api/types.js';
import type { Clock } from '../clock/clock.js';
import type { ContainerRuntime, ContainerStatus, RuntimeEvent } from '../runtime/container-runtime.js';
import type { PodStore } from '../store/pod-store.js';
import { delegatingRuntime } from '../runtime/delegating-runtime.js';
import { adoptContainers } from './adopt-containers.js';
import { newRecord, type ContainerRecord } from './container-record.js';
import type { CrashLoopBackoff } from './crash-loop-backoff.js';
import { ExitWaiters } from './exit-waiters.js';
import { PodProbes } from './probes/pod-probes.js';
import { StatusPublisher } from './status-publisher.js';
import { ContainerReason } from './event-reasons.js';
import { effectiveGraceSeconds } from './grace.js';
import { killAllContainers } from './kill-all-containers.js';
import { hookContextOf, KUBELET_VERSION, type PodContext } from './pod-context.js';
import { buildPodStatus } from './pod-status.js';
import type { Recorder } from './recorder.js';
import { planSync, podFinished } from './sync-plan.js';
import { SyncStepExecutor } from './sync-step-executor.js';
import { What } from './timeline-what.js';

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
  private readonly ctx: PodContext;
  private readonly executor: SyncStepExecutor;
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
    this.executor = new SyncStepExecutor({
      ctx: this.ctx,
      records: this.records,
      backoff: deps.backoff,
      probes: this.probes,
      nodeName: deps.nodeName,
      baseEnv: deps.baseEnv,
      backoffKey: (r) => this.backoffKey(r),
      terminating: () => this.state !== 'active',
      kick: () => this.kick(),
      planAgain: () => {
        this.again = true;
      },
    });
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
    this.executor.cancelTimers();
    this.syncAbort.abort(new Error('context canceled'));
    this.exits.releaseAll();
    this.probes.stopAll();
  }

  /** Recovery: take over the containers a previous agent left (R4.9; see adoptContainers). */
  async adopt(found: ContainerStatus[]): Promise<void> {
    await adoptContainers(
      {
        ctx: this.ctx,
        records: this.records,
        store: this.deps.store,
        runtime: this.deps.runtime,
        probes: this.probes,
        exits: this.exits,
        claim: (id) => this.deps.claim(id),
      },
      found,
    );
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
      retryAtMs: (r) => this.executor.retryAtMs(r),
    });
    for (const step of steps) {
      if (signal.aborted || this.state !== 'active') return;
      await this.executor.execute(step, signal);
    }
    if (podFinished(this.pod, this.records)) this.statusChanged();
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
    this.executor.cancelTimers();
    await this.loop;
    const { grace } = effectiveGraceSeconds(this.graceSeconds, this.pod);
    this.graceSeconds = grace;
    this.probes.terminating();
    this.recorder.timeline(this.pod, What.PodTerminating, undefined, `grace ${grace}s`);
    this.statusChanged();
    await killAllContainers(this.ctx, this.records, grace);
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


/**
 * The store bumps metadata.generation on every spec change (as the API
 * server does), so the generation stands for the spec: serialising the whole
 * spec on each of our own status writes coming back was 2 % of the agent's
 * CPU at 500 starts. A pod without a generation falls back to the spec itself.
 */
function desiredStateKey(pod: Pod): string {
  const m = pod.metadata;
  const spec = m.generation === undefined ? pod.spec : m.generation;
  return JSON.stringify([spec, m.labels, m.annotations, m.deletionTimestamp, m.deletionGracePeriodSeconds]);
}
