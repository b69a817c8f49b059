import type { CoreEvent, Pod } from '../api/types.js';
import type { Clock } from '../clock/clock.js';
import type { ContainerRuntime, ContainerStatus, RuntimeEvent } from '../runtime/container-runtime.js';
import { MIN_STOP_GRACE_SECONDS } from './grace.js';
import type { PodStore, TimelineEntry, WatchEvent } from '../store/pod-store.js';
import { CrashLoopBackoff } from './crash-loop-backoff.js';
import { PodWorker } from './pod-worker.js';
import { Recorder } from './recorder.js';
import { What } from './timeline-what.js';

export interface KubeletOptions {
  store: PodStore;
  runtime: ContainerRuntime;
  clock: Clock;
  nodeName: string;
  /** The IP every pod gets (hooklet: host network, 127.0.0.1). */
  podIP: string;
  /** Environment every container starts from (e.g. PATH), before the pod's env. */
  baseEnv?: Record<string, string>;
  onTimeline?: (e: TimelineEntry) => void;
  onEvent?: (e: CoreEvent) => void;
}

/**
 * The engine: reads desired state from the store, runs one worker per pod
 * on the container runtime, and writes status, events and the timeline back
 * (as the kubelet does with the API server).
 */
export class Kubelet {
  private readonly workers = new Map<string, PodWorker>();
  private readonly owners = new Map<string, PodWorker>();
  private readonly backoff: CrashLoopBackoff;
  private readonly recorder: Recorder;
  private unsubscribe: Array<() => void> = [];

  constructor(private readonly opts: KubeletOptions) {
    this.backoff = new CrashLoopBackoff(opts.clock);
    this.recorder = new Recorder(opts.store, opts.clock, opts.nodeName, opts.onTimeline, opts.onEvent);
  }

  /**
   * Starts the engine. Containers a previous agent left behind are adopted
   * by their pods' workers before anything is started (no container runs
   * twice); those whose pod is gone are orphans, stopped with grace 1 and no
   * preStop (R4.6).
   */
  async start(): Promise<void> {
    this.unsubscribe.push(this.opts.runtime.onEvent((e) => this.routeRuntimeEvent(e)));
    const found = await this.opts.runtime.list();
    const { items, resourceVersion } = this.opts.store.listPods();
    const known = new Set(items.map((p) => p.metadata.uid ?? ''));
    for (const pod of items) {
      const mine = found.filter((c) => c.podUid === pod.metadata.uid);
      const worker = this.workerFor(pod, mine.length === 0);
      if (mine.length > 0) await worker.adopt(mine);
    }
    for (const pod of items) this.workers.get(pod.metadata.uid ?? '')?.update(pod);
    this.unsubscribe.push(this.opts.store.watchPods(resourceVersion, (e) => this.handle(e)));
    const orphans = found.filter((c) => !known.has(c.podUid));
    if (orphans.length > 0) this.orphansDone = this.stopOrphans(orphans);
  }

  /** Resolves once the orphans found at start are stopped and removed. */
  orphansDone: Promise<void> = Promise.resolve();

  private async stopOrphans(orphans: ContainerStatus[]): Promise<void> {
    await Promise.all(
      orphans.map(async (c) => {
        // Grace override 1, floored to the 2 s minimum (R3.3, R4.6).
        if (c.state === 'running' || c.state === 'unknown') await this.opts.runtime.stop(c.id, MIN_STOP_GRACE_SECONDS * 1000).catch(() => {});
        const final = await this.opts.runtime.status(c.id).catch(() => undefined);
        if (final) this.recordOrphanExit(final);
        await this.opts.runtime.remove(c.id).catch(() => {});
      }),
    );
  }

  /** The pod is gone, but its timeline is kept: an orphan's exit is recorded there once. */
  private recordOrphanExit(c: ContainerStatus): void {
    if (c.state !== 'exited' || !c.podName) return;
    const pod: Pod = { metadata: { name: c.podName, namespace: c.podNamespace ?? 'default', uid: c.podUid }, spec: { containers: [] } };
    const recorded = this.opts.store.listTimeline(c.podNamespace ?? 'default', c.podName, c.podUid);
    if (recorded.some((e) => e.container === c.name && e.what === What.Exited && Math.abs(e.timeMs - (c.finishedAt ?? 0)) < 1)) return;
    const how = c.signal ? `signal ${c.signal} (exit code ${c.exitCode})` : `exit code ${c.exitCode}`;
    this.recorder.timeline(pod, What.Exited, c.name, `${how}; orphan: its pod was deleted while no agent ran`, c.finishedAt);
  }

  /** Stops watching and detaches the workers. Containers are left as they are. */
  async stop(): Promise<void> {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    for (const w of this.workers.values()) w.detach();
  }

  /** Resolves when the pod with this uid has been fully terminated (or is unknown). */
  terminated(uid: string): Promise<void> {
    return this.workers.get(uid)?.done ?? Promise.resolve();
  }

  /** Pods with a live worker. */
  get activeUids(): string[] {
    return [...this.workers.keys()];
  }

  private handle(e: WatchEvent<Pod>): void {
    const pod = e.object;
    const uid = pod.metadata.uid ?? '';
    let worker = this.workers.get(uid);
    if (e.type === 'DELETED') {
      worker?.removed(pod);
      return;
    }
    if (!worker) {
      worker = this.workerFor(pod, true);
    }
    worker.update(pod);
  }

  private workerFor(pod: Pod, announce: boolean): PodWorker {
    const uid = pod.metadata.uid ?? '';
    let worker = this.workers.get(uid);
    if (!worker) {
      worker = new PodWorker(
        {
          store: this.opts.store,
          runtime: this.opts.runtime,
          clock: this.opts.clock,
          recorder: this.recorder,
          backoff: this.backoff,
          nodeName: this.opts.nodeName,
          podIP: this.opts.podIP,
          baseEnv: this.opts.baseEnv ?? {},
          claim: (id) => this.owners.set(id, worker!),
          onTerminated: () => this.forget(uid),
        },
        pod,
      );
      this.workers.set(uid, worker);
      if (announce) this.recorder.timeline(pod, What.PodAdded);
    }
    return worker;
  }

  private forget(uid: string): void {
    const w = this.workers.get(uid);
    this.workers.delete(uid);
    for (const [id, owner] of this.owners) if (owner === w) this.owners.delete(id);
  }

  private routeRuntimeEvent(e: RuntimeEvent): void {
    this.owners.get(e.id)?.onRuntimeEvent(e);
  }
}
