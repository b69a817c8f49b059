import type { Pod } from '../../api/types.js';
import type { Clock } from '../../clock/clock.js';
import { Kubelet } from '../../kubelet/kubelet.js';
import type { ContainerRuntime } from '../../runtime/container-runtime.js';
import type { PodStore, TimelineEntry } from '../../store/pod-store.js';
import { adviceLines, graceAdvice } from '../timeline/grace-advice.js';
import { renderTimeline } from '../timeline/render-timeline.js';
import type { RunOutput } from './run-output.js';

/** `--measure` deletes with this grace so nothing is cut short (a day). */
export const MEASURE_GRACE_SECONDS = 86_400;
export const NODE_NAME = 'hooklet';
export const POD_IP = '127.0.0.1';

export interface RunSessionOptions {
  store: PodStore;
  runtime: ContainerRuntime;
  clock: Clock;
  output: RunOutput;
  /** Delete every pod this long after start. */
  deleteAfterMs?: number;
  /** DeleteOptions.gracePeriodSeconds of the first (graceful) delete. */
  gracePeriodSeconds?: number;
  measure: boolean;
  baseEnv: Record<string, string>;
  /** Receives the final report (chart, verdicts, advice). */
  report(text: string): void;
}

/**
 * The one-shot run: pods go into a memory store, the engine runs them on the
 * process runtime, and the session ends when every pod has been deleted and
 * fully terminated — after `interrupt()`, `--delete-after`, or once all pods
 * have finished (Never/OnFailure).
 */
export class RunSession {
  private readonly kubelet: Kubelet;
  private readonly timeline: TimelineEntry[] = [];
  private readonly uids = new Set<string>();
  private readonly following = new Set<string>();
  private interrupts = 0;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly followAbort = new AbortController();

  constructor(private readonly opts: RunSessionOptions) {
    this.kubelet = new Kubelet({
      store: opts.store,
      runtime: opts.runtime,
      clock: opts.clock,
      nodeName: NODE_NAME,
      podIP: POD_IP,
      baseEnv: opts.baseEnv,
      onTimeline: (e) => {
        this.timeline.push(e);
        opts.output.timeline(e);
      },
    });
  }

  async run(pods: Pod[]): Promise<void> {
    const { store, output, runtime } = this.opts;
    this.unsubscribe.push(store.watchEvents(undefined, (e) => output.event(e.object)));
    this.unsubscribe.push(
      store.watchPods(undefined, (e) => {
        if (e.type !== 'DELETED') output.pod(e.object);
        if (e.object.status?.phase === 'Succeeded' || e.object.status?.phase === 'Failed') this.maybeAllFinished();
      }),
    );
    this.unsubscribe.push(runtime.onEvent((e) => {
      if (e.type === 'started') void this.follow(e.id);
    }));
    await this.kubelet.start();
    if (this.opts.measure) {
      output.note(`--measure: the grace period is stretched to ${MEASURE_GRACE_SECONDS} s so every preStop and shutdown runs to completion — a cluster would cut them off.`);
    }
    for (const pod of pods) {
      const created = store.createPod({ ...pod, spec: { ...pod.spec, nodeName: pod.spec.nodeName || NODE_NAME } });
      this.uids.add(created.metadata.uid ?? '');
    }
    let cancelDeleteAfter = (): void => {};
    if (this.opts.deleteAfterMs !== undefined) {
      cancelDeleteAfter = this.opts.clock.setTimer(this.opts.deleteAfterMs, () => this.deleteAll(this.graceful()));
    }
    await Promise.all([...this.uids].map((uid) => this.kubelet.terminated(uid)));
    cancelDeleteAfter();
    for (const u of this.unsubscribe) u();
    this.followAbort.abort();
    await this.kubelet.stop();
    this.report();
  }

  /** Ctrl-C: the first deletes gracefully, the second with grace 0 (force). */
  interrupt(): void {
    this.interrupts++;
    if (this.interrupts === 1) {
      this.opts.output.note('Deleting pods gracefully (Ctrl-C again to force, grace 0)…');
      this.deleteAll(this.graceful());
    } else {
      this.opts.output.note('Force deleting pods (grace 0: the kubelet still gives 1 s plus the 2 s minimum)…');
      this.deleteAll(0);
    }
  }

  private graceful(): number | undefined {
    return this.opts.measure ? MEASURE_GRACE_SECONDS : this.opts.gracePeriodSeconds;
  }

  private deleteAll(graceSeconds: number | undefined): void {
    for (const pod of this.opts.store.listPods().items) {
      if (!this.uids.has(pod.metadata.uid ?? '')) continue;
      try {
        this.opts.store.deletePod(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '', graceSeconds);
      } catch {
        // Already gone.
      }
    }
  }

  private maybeAllFinished(): void {
    const mine = this.opts.store.listPods().items.filter((p) => this.uids.has(p.metadata.uid ?? ''));
    if (mine.length > 0 && mine.every((p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed')) {
      this.deleteAll(undefined);
    }
  }

  private async follow(id: string): Promise<void> {
    if (this.following.has(id)) return;
    this.following.add(id);
    try {
      const st = await this.opts.runtime.status(id);
      const pod = this.opts.store.listPods().items.find((p) => p.metadata.uid === st.podUid);
      const podName = pod?.metadata.name ?? st.podUid;
      let partial = '';
      await this.opts.runtime.logs(id, { follow: true, signal: this.followAbort.signal }, (chunk) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.opts.output.log(podName, st.name, line);
      });
      if (partial) this.opts.output.log(podName, st.name, partial);
    } catch {
      // The container may be removed before its log is read; nothing to show then.
    }
  }

  private report(): void {
    const out: string[] = [renderTimeline(this.timeline)];
    if (this.opts.measure) out.push('', 'Grace advice (measured with the grace stretched):', ...adviceLines(graceAdvice(this.timeline)).map((l) => `  ${l}`));
    this.opts.report(out.join('\n'));
  }
}
