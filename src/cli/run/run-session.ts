import type { Pod } from '../../api/types.js';
import type { Clock } from '../../clock/clock.js';
import { Agent } from '../../kubelet/agent.js';
import type { RestartMoment } from '../../kubelet/restart-moment.js';
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
  /** A runtime over the run's state directory; called again for each injected agent restart. */
  makeRuntime: () => ContainerRuntime;
  clock: Clock;
  output: RunOutput;
  /** Delete every pod this long after start. */
  deleteAfterMs?: number;
  /** DeleteOptions.gracePeriodSeconds of the first (graceful) delete. */
  gracePeriodSeconds?: number;
  measure: boolean;
  /** Fault injection: restart the agent (engine + runtime client) the first time this moment comes. */
  restartAgentDuring?: RestartMoment;
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
  private readonly agent: Agent;
  private readonly timeline: TimelineEntry[] = [];
  private readonly uids = new Set<string>();
  /** Pods of this run that exist, and those of them that finished (see track). */
  private readonly present = new Set<string>();
  private readonly finished = new Set<string>();
  private allFinished = false;
  private readonly following = new Set<string>();
  private interrupts = 0;
  private readonly unsubscribe: Array<() => void> = [];
  private unsubscribeRuntime = (): void => {};
  private followAbort = new AbortController();

  constructor(private readonly opts: RunSessionOptions) {
    this.agent = new Agent({
      store: opts.store,
      makeRuntime: () => {
        const runtime = opts.makeRuntime();
        this.unsubscribeRuntime();
        this.unsubscribeRuntime = runtime.onEvent((e) => {
          if (e.type === 'started') void this.follow(runtime, e.id);
        });
        return runtime;
      },
      clock: opts.clock,
      nodeName: NODE_NAME,
      podIP: POD_IP,
      baseEnv: opts.baseEnv,
      ...(opts.restartAgentDuring ? { restartDuring: opts.restartAgentDuring } : {}),
      onTimeline: (e) => {
        this.timeline.push(e);
        opts.output.timeline(e);
      },
      onRestarting: (moment, e) => {
        opts.output.note(`--restart-agent-during ${moment}: restarting the agent now (${e.pod}/${e.container ?? ''} ${e.what})`);
        this.followAbort.abort();
        this.followAbort = new AbortController();
      },
      onRestarted: (runtime) => void this.followRunning(runtime, opts.clock.now()),
    });
  }

  async run(pods: Pod[]): Promise<void> {
    const { store, output } = this.opts;
    this.unsubscribe.push(store.watchEvents(undefined, (e) => output.event(e.object)));
    this.unsubscribe.push(
      store.watchPods(undefined, (e) => {
        if (e.type !== 'DELETED') output.pod(e.object);
        this.track(e.type, e.object);
      }),
    );
    await this.agent.start();
    if (this.opts.measure) {
      output.note(`--measure: the grace period is stretched to ${MEASURE_GRACE_SECONDS} s so every preStop and shutdown runs to completion — a cluster would cut them off.`);
    }
    for (const pod of pods) {
      const created = store.createPod({ ...pod, spec: { ...pod.spec, nodeName: pod.spec.nodeName || NODE_NAME } });
      this.uids.add(created.metadata.uid ?? '');
      // Its ADDED was delivered inside createPod, before the uid was known here.
      this.present.add(created.metadata.uid ?? '');
    }
    let cancelDeleteAfter = (): void => {};
    if (this.opts.deleteAfterMs !== undefined) {
      cancelDeleteAfter = this.opts.clock.setTimer(this.opts.deleteAfterMs, () => this.deleteAll(this.graceful()));
    }
    await this.agent.terminated(this.uids);
    cancelDeleteAfter();
    for (const u of this.unsubscribe) u();
    this.unsubscribeRuntime();
    this.followAbort.abort();
    await this.agent.stop();
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

  /**
   * Once every pod of the run that still exists has finished (Succeeded or
   * Failed, phases a pod never leaves), they are deleted. Counted from the
   * watch: listing every pod on each status change was quadratic in `run`
   * with many pods.
   */
  private track(type: string, pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    if (!this.uids.has(uid)) return;
    if (type === 'DELETED') {
      this.present.delete(uid);
      this.finished.delete(uid);
      return;
    }
    this.present.add(uid);
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') this.finished.add(uid);
    if (!this.allFinished && this.present.size > 0 && this.finished.size === this.present.size) {
      this.allFinished = true;
      this.deleteAll(undefined);
    }
  }

  /** After a restart: follow the logs of containers the new agent adopted, from now on. */
  private async followRunning(runtime: ContainerRuntime, sinceTime: number): Promise<void> {
    for (const c of await runtime.list()) if (c.state === 'running') void this.follow(runtime, c.id, sinceTime);
  }

  private async follow(runtime: ContainerRuntime, id: string, sinceTime?: number): Promise<void> {
    const key = `${id}@${sinceTime ?? 0}`;
    if (this.following.has(key)) return;
    this.following.add(key);
    try {
      const st = await runtime.status(id);
      const pod = this.opts.store.listPods().items.find((p) => p.metadata.uid === st.podUid);
      const podName = pod?.metadata.name ?? st.podUid;
      let partial = '';
      const options = { follow: true, signal: this.followAbort.signal, ...(sinceTime !== undefined ? { sinceTime } : {}) };
      await runtime.logs(id, options, (chunk) => {
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
