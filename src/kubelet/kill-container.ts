import { runHook } from '../lifecycle/hook-runner.js';
import { RuntimeError } from '../runtime/container-runtime.js';
import { isRunning, type ContainerRecord } from './container-record.js';
import { Reason, type KillReason } from './event-reasons.js';
import { baseGraceSeconds, MIN_STOP_GRACE_SECONDS } from './grace.js';
import type { PodContext } from './pod-context.js';
import { What } from './timeline-what.js';

export interface KillOptions {
  /** Killing event message; default `Stopping container <name>`. */
  message?: string;
  reason: KillReason;
  /** Pod termination always passes one (R4.3); lifecycle kills do not (R3.1). */
  graceOverrideSeconds?: number;
  /**
   * The sync context (R3.5): aborted when the pod starts terminating. Absent
   * on the termination path, whose preStop is never cancelled.
   */
  signal?: AbortSignal;
  /** Sidecar ordering (R5.2): resolves when it is this container's turn to stop. */
  waitForTurn?: (graceMs: number) => Promise<void>;
}

/**
 * killContainer (R3.2), step for step: grace selection, Killing event,
 * preStop bounded by the grace, elapsed whole seconds subtracted, sidecar
 * turn, 2 s floor, then stop with what is left.
 */
export async function killContainer(ctx: PodContext, rec: ContainerRecord, opts: KillOptions): Promise<void> {
  const id = rec.id;
  if (!id) return;
  const pod = ctx.pod();
  let grace = baseGraceSeconds(pod, rec.name, opts.reason);
  const message = opts.message ?? `Stopping container ${rec.name}`;
  ctx.recorder.event(pod, 'Normal', Reason.Killing, message, rec.name);
  if (opts.graceOverrideSeconds != null) grace = opts.graceOverrideSeconds;
  ctx.recorder.timeline(pod, What.Killing, rec.name, `${message} (grace ${grace}s)`);
  rec.stopping = true;
  try {
    const preStop = rec.spec.lifecycle?.preStop;
    // A container that already died has nothing to run a hook in.
    if (preStop && grace > 0 && isRunning(rec)) {
      const elapsedMs = await runPreStop(ctx, rec, grace, opts.signal);
      grace -= Math.trunc(elapsedMs / 1000);
    }
    if (opts.waitForTurn && grace > 0) {
      const start = ctx.clock.now();
      await opts.waitForTurn(grace * 1000);
      grace -= Math.trunc((ctx.clock.now() - start) / 1000);
    }
    if (grace < MIN_STOP_GRACE_SECONDS) grace = MIN_STOP_GRACE_SECONDS;
    // An agent that died meanwhile sends nothing; its successor starts the kill over (R4.9).
    if (!ctx.alive()) return;
    await stopWithTimeline(ctx, rec, id, grace);
  } finally {
    rec.stopping = false;
  }
}

/**
 * executePreStopHook (R3.4): waits for the hook or `grace` seconds, whichever
 * comes first, and returns the elapsed time. The hook is not cancelled when
 * the timer wins; a failure it reports later still yields FailedPreStopHook.
 */
async function runPreStop(ctx: PodContext, rec: ContainerRecord, graceSeconds: number, signal?: AbortSignal): Promise<number> {
  const pod = ctx.pod();
  const handler = rec.spec.lifecycle!.preStop!;
  const start = ctx.clock.now();
  ctx.recorder.timeline(pod, What.PreStopStarted, rec.name, `grace ${graceSeconds}s`);
  let timerWon = false;
  const hook = runHook(handler, ctx.hookContext(rec), ctx.hookDeps(), signal).then((result) => {
    const tookMs = ctx.clock.now() - start;
    if (!result.ok) {
      ctx.recorder.event(ctx.pod(), 'Warning', Reason.FailedPreStopHook, 'PreStopHook failed', rec.name);
    }
    const how = result.ok ? `ok${result.detail ? ` (${oneLine(result.detail)})` : ''}` : `failed: ${result.message}`;
    ctx.recorder.timeline(ctx.pod(), What.PreStopFinished, rec.name, `${how} after ${(tookMs / 1000).toFixed(3)}s${timerWon ? ' (after the grace ran out)' : ''}`);
  });
  let cancelTimer = (): void => {};
  const timer = new Promise<'timer'>((resolve) => {
    cancelTimer = ctx.clock.setTimer(graceSeconds * 1000, () => resolve('timer'));
  });
  const winner = await Promise.race([hook.then(() => 'hook' as const), timer]);
  cancelTimer();
  if (winner === 'timer') {
    timerWon = true;
    ctx.recorder.timeline(pod, What.PreStopCutOff, rec.name, `grace of ${graceSeconds}s ran out; hook still running`);
  }
  return ctx.clock.now() - start;
}

async function stopWithTimeline(ctx: PodContext, rec: ContainerRecord, id: string, graceSeconds: number): Promise<void> {
  const pod = ctx.pod();
  if (!isRunning(rec) || rec.id !== id) return;
  // The exit may be on disk before its event reached us (e.g. the app quit
  // during its preStop); do not report a stop signal to a dead container.
  const now = await ctx.runtime.status(id).catch(() => undefined);
  if (now && now.state === 'exited') {
    await ctx.exited(rec, id);
    return;
  }
  const signal = rec.stopSignal;
  const sentAt = ctx.clock.now();
  ctx.recorder.event(pod, 'Normal', Reason.StopSignalSent, `Sent ${signal} to container ${rec.name}; SIGKILL in ${graceSeconds}s if it has not exited`, rec.name);
  ctx.recorder.timeline(pod, What.StopSignal, rec.name, `${signal}, SIGKILL in ${graceSeconds}s`, sentAt);
  try {
    await ctx.runtime.stop(id, graceSeconds * 1000, signal);
  } catch (err) {
    if (!(err instanceof RuntimeError && err.reason === 'NotFound')) throw err;
  }
  await ctx.exited(rec, id);
  const t = rec.terminated;
  if (t && t.signal === 'SIGKILL' && signal !== 'SIGKILL') {
    ctx.noteSigkill(rec, id, sentAt + graceSeconds * 1000, true);
    const after = ((t.finishedAt - sentAt) / 1000).toFixed(3);
    ctx.recorder.event(ctx.pod(), 'Warning', Reason.ForceKilled, `Container ${rec.name} did not exit within ${graceSeconds}s of ${signal}; killed with SIGKILL ${after}s after the stop signal`, rec.name);
  }
}

/** Hook output can be long and multi-line; the timeline keeps its first line, bounded. */
function oneLine(s: string): string {
  const first = s.split('\n', 1)[0] ?? '';
  return first.length > 120 ? `${first.slice(0, 117)}...` : first;
}
