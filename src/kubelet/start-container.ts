import { runHook } from '../lifecycle/hook-runner.js';
import { containerConfig, stopSignalOf } from './container-config.js';
import type { ContainerRecord } from './container-record.js';
import { ContainerReason, Reason } from './event-reasons.js';
import { killContainer } from './kill-container.js';
import type { PodContext } from './pod-context.js';
import { What } from './timeline-what.js';

export type StartResult = { ok: true } | { ok: false; reason: string; message: string };

export interface StartOptions {
  nodeName: string;
  baseEnv: Record<string, string>;
  /** The sync context: aborted when the pod starts terminating (R4.4). */
  signal: AbortSignal;
  /** True once the pod is terminating: the termination path does the kill. */
  terminating(): boolean;
}

/**
 * startContainer (R2.1): config, create, Created, start, Started, then the
 * postStart synchronously — the container counts as Running only once it
 * returns (R2.2). A failed postStart records FailedPostStartHook and kills
 * the container through the full kill path, preStop included (R2.3).
 */
export async function startContainer(ctx: PodContext, rec: ContainerRecord, opts: StartOptions): Promise<StartResult> {
  const pod = ctx.pod();
  const attempt = rec.id === undefined ? 0 : rec.restartCount + 1;
  let config;
  try {
    config = containerConfig(pod, rec.spec, attempt, ctx.podIP, opts.nodeName, opts.baseEnv);
    rec.stopSignal = stopSignalOf(rec.spec);
  } catch (err) {
    return failStart(ctx, rec, ContainerReason.CreateContainerConfigError, err);
  }
  let id: string;
  try {
    id = await ctx.runtime.create(config);
  } catch (err) {
    return failStart(ctx, rec, ContainerReason.CreateContainerError, err);
  }
  // The instance before the one that just ended stays until now, for --previous.
  const stale = rec.previousId;
  if (rec.id !== undefined) {
    rec.previousId = rec.id;
    rec.restartCount = attempt;
    rec.lastTerminated = rec.terminated;
  }
  rec.id = id;
  rec.startedAt = undefined;
  rec.phase = 'waiting';
  rec.terminated = undefined;
  rec.startedSpecJson = JSON.stringify(rec.spec);
  if (stale) void ctx.runtime.remove(stale).catch(() => {});
  ctx.recorder.event(pod, 'Normal', Reason.Created, `Created container: ${rec.name}`, rec.name);
  ctx.recorder.timeline(pod, What.Created, rec.name, attempt > 0 ? `restart ${attempt}` : undefined);
  try {
    await ctx.runtime.start(id);
  } catch (err) {
    return failStart(ctx, rec, ContainerReason.RunContainerError, err);
  }
  // The runtime's own start time when its event came first (a quick exit can follow it at once).
  rec.startedAt ??= ctx.clock.now();
  // The exit may already have been reported while start() was resolving.
  // (A re-read: start() awaited, and the record is shared with the exit handler.)
  if ((rec.phase as ContainerRecord['phase']) !== 'exited') {
    rec.phase = 'starting';
    rec.waitingReason = ContainerReason.ContainerCreating;
    rec.waitingMessage = undefined;
  }
  ctx.recorder.event(pod, 'Normal', Reason.Started, `Started container ${rec.name}`, rec.name);
  ctx.recorder.timeline(pod, What.Started, rec.name, undefined, rec.startedAt);
  ctx.statusChanged();

  const postStart = rec.spec.lifecycle?.postStart;
  if (postStart) {
    const t0 = ctx.clock.now();
    ctx.recorder.timeline(pod, What.PostStartStarted, rec.name);
    const result = await runHook(postStart, ctx.hookContext(rec), ctx.hookDeps(), opts.signal);
    // A postStart cut short by the agent's death is not run again (timeline e.4).
    if (!ctx.alive()) return { ok: true };
    const took = ((ctx.clock.now() - t0) / 1000).toFixed(3);
    if (!result.ok) {
      ctx.recorder.timeline(ctx.pod(), What.PostStartFinished, rec.name, `failed after ${took}s: ${result.message}`);
      // The event omits the hook's output on purpose, so secrets do not leak (R2.3).
      ctx.recorder.event(ctx.pod(), 'Warning', Reason.FailedPostStartHook, 'PostStartHook failed', rec.name);
      if (!opts.terminating()) {
        await killContainer(ctx, rec, { message: 'FailedPostStartHook', reason: 'FailedPostStartHook', signal: opts.signal });
      }
      rec.waitingReason = ContainerReason.PostStartHookError;
      rec.waitingMessage = result.message;
      ctx.statusChanged();
      return { ok: false, reason: ContainerReason.PostStartHookError, message: result.message };
    }
    ctx.recorder.timeline(ctx.pod(), What.PostStartFinished, rec.name, `ok after ${took}s${result.detail ? `: ${result.detail}` : ''}`);
  }
  if (rec.phase === 'starting') {
    rec.phase = 'running';
    rec.waitingReason = undefined;
    ctx.recorder.timeline(ctx.pod(), What.Running, rec.name);
    ctx.statusChanged();
  }
  return { ok: true };
}

function failStart(ctx: PodContext, rec: ContainerRecord, reason: string, err: unknown): StartResult {
  const msg = err instanceof Error ? err.message : String(err);
  const pod = ctx.pod();
  ctx.recorder.event(pod, 'Warning', Reason.Failed, `Error: ${msg}`, rec.name);
  ctx.recorder.timeline(pod, What.StartFailed, rec.name, `${reason}: ${msg}`);
  rec.waitingReason = reason;
  rec.waitingMessage = msg;
  ctx.statusChanged();
  return { ok: false, reason, message: msg };
}
