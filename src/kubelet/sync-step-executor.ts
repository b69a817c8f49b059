import type { ContainerRecord } from './container-record.js';
import { goDuration, type CrashLoopBackoff } from './crash-loop-backoff.js';
import { ContainerReason, Reason } from './event-reasons.js';
import { killAllContainers } from './kill-all-containers.js';
import { killContainer } from './kill-container.js';
import type { PodContext } from './pod-context.js';
import type { PodProbes } from './probes/pod-probes.js';
import { formatPod } from './recorder.js';
import { startContainer } from './start-container.js';
import type { SyncStep } from './sync-plan.js';
import { What } from './timeline-what.js';

/** A failed create/start is retried after this long (the pod worker's error back-off). */
const START_RETRY_MS = 10_000;

/** What the executor needs from its pod worker. */
export interface SyncStepHost {
  ctx: PodContext;
  /** The worker's records (the same array: the kill of sidecars looks at all of them). */
  records: ContainerRecord[];
  backoff: CrashLoopBackoff;
  probes: PodProbes;
  nodeName: string;
  baseEnv: Record<string, string>;
  backoffKey(rec: ContainerRecord): string;
  /** True once the pod is terminating: the termination path does the kill. */
  terminating(): boolean;
  /** Starts a sync (or asks the one running to plan again). */
  kick(): void;
  /** The sync running now plans once more when it ends. */
  planAgain(): void;
}

/**
 * Carries out one step of the plan (SyncPod's numbered steps after
 * computePodActions). It keeps when a failed start may be retried and the
 * timers that wake the worker for a back-off or a retry.
 */
export class SyncStepExecutor {
  private readonly retryAt = new Map<ContainerRecord, number>();
  private readonly timers = new Set<() => void>();

  constructor(private readonly host: SyncStepHost) {}

  /** When a failed create/start of this container may be retried (for the planner). */
  retryAtMs(rec: ContainerRecord): number | undefined {
    return this.retryAt.get(rec);
  }

  /** Cancels every pending wake-up (termination, detach). */
  cancelTimers(): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }

  async execute(step: SyncStep, signal: AbortSignal): Promise<void> {
    const { ctx } = this.host;
    const { rec } = step as { rec: ContainerRecord };
    switch (step.type) {
      case 'backoff': {
        const key = this.host.backoffKey(rec);
        const delayMs = this.host.backoff.get(key);
        const pod = formatPod(ctx.pod());
        ctx.recorder.event(ctx.pod(), 'Warning', Reason.BackOff, `Back-off restarting failed container ${rec.name} in pod ${pod}`, rec.name);
        rec.waitingReason = ContainerReason.CrashLoopBackOff;
        rec.waitingMessage = `back-off ${goDuration(delayMs)} restarting failed container=${rec.name} pod=${pod}`;
        const at = (rec.terminated?.finishedAt ?? ctx.clock.now()) + delayMs;
        ctx.recorder.timeline(ctx.pod(), What.BackOff, rec.name, `back-off ${goDuration(delayMs)}: restart in ${((at - ctx.clock.now()) / 1000).toFixed(3)}s`);
        ctx.statusChanged();
        this.wakeAt(at);
        return;
      }
      case 'retryLater':
        this.wakeAt(step.atMs);
        return;
      case 'restartChanged':
        await killContainer(ctx, rec, { message: `Container ${rec.name} definition changed, will be restarted`, reason: 'Unknown', signal });
        rec.terminated = undefined;
        rec.phase = 'waiting';
        await this.start(rec, signal);
        return;
      case 'probeKill': {
        const what = step.reason === 'LivenessProbe' ? 'liveness' : 'startup';
        const policy = ctx.pod().spec.restartPolicy ?? 'Always';
        // R7.2 / R5.3 Killing messages.
        const message = rec.kind === 'sidecar'
          ? `Init container ${rec.name} failed ${what} probe`
          : `Container ${rec.name} failed ${what} probe${policy !== 'Never' ? ', will be restarted' : ''}`;
        this.host.probes.stop(rec);
        await killContainer(ctx, rec, { message, reason: step.reason, signal });
        this.host.planAgain(); // its exit came while stopping: decide the restart next
        return;
      }
      case 'killSidecars':
        await killAllContainers(ctx, this.host.records, undefined, signal);
        this.host.planAgain();
        return;
      case 'start':
        if (step.restart) {
          this.host.backoff.next(this.host.backoffKey(rec), rec.terminated?.finishedAt ?? ctx.clock.now());
          ctx.recorder.timeline(ctx.pod(), What.Restarting, rec.name, `restart ${rec.restartCount + 1}`);
        }
        await this.start(rec, signal);
        return;
    }
  }

  private async start(rec: ContainerRecord, signal: AbortSignal): Promise<void> {
    const { ctx } = this.host;
    const result = await startContainer(ctx, rec, {
      nodeName: this.host.nodeName,
      baseEnv: this.host.baseEnv,
      signal,
      terminating: () => this.host.terminating(),
    });
    if (result.ok && rec.phase === 'running') {
      this.host.probes.start(rec);
      ctx.statusChanged();
    }
    if (result.ok || result.reason === ContainerReason.PostStartHookError) {
      this.retryAt.delete(rec);
    } else {
      this.retryAt.set(rec, ctx.clock.now() + START_RETRY_MS);
    }
    // Plan again: a started init container or sidecar unblocks the next one,
    // and the exit of a container killed on this path arrived while it was
    // stopping (so it did not kick).
    this.host.planAgain();
  }

  private wakeAt(atMs: number): void {
    const { clock } = this.host.ctx;
    const cancel = clock.setTimer(Math.max(0, atMs - clock.now()), () => {
      this.timers.delete(cancel);
      this.host.kick();
    });
    this.timers.add(cancel);
  }
}
