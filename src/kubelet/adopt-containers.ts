import type { ContainerRuntime, ContainerStatus } from '../runtime/container-runtime.js';
import type { PodStore } from '../store/pod-store.js';
import { planAdoption, terminatedOf } from './adoption.js';
import type { ContainerRecord } from './container-record.js';
import type { ExitWaiters } from './exit-waiters.js';
import type { PodContext } from './pod-context.js';
import type { PodProbes } from './probes/pod-probes.js';
import { What } from './timeline-what.js';

/** What adoption needs from its pod worker. */
export interface AdoptionHost {
  ctx: PodContext;
  records: ContainerRecord[];
  store: PodStore;
  /** The agent's runtime itself (ids are claimed here, not on create). */
  runtime: ContainerRuntime;
  probes: PodProbes;
  exits: ExitWaiters;
  /** Registers a runtime id as belonging to this worker (event routing). */
  claim(id: string): void;
}

/**
 * Recovery: take over the containers a previous agent left (R4.9). The
 * newest instance of each container becomes current, the one before it the
 * previous (for lastState and --previous); older ones are removed. A
 * container found running keeps running — a postStart that was in flight
 * is not run again (timeline e.4). Exits that happened while no agent
 * watched are recorded with their real time.
 */
export async function adoptContainers(host: AdoptionHost, found: ContainerStatus[]): Promise<void> {
  const { ctx, runtime } = host;
  const m = ctx.pod().metadata;
  const recorded = host.store.listTimeline(m.namespace ?? 'default', m.name ?? '', m.uid ?? '');
  ctx.recorder.timeline(ctx.pod(), What.AgentRestart, undefined, `${found.length} container instance(s) found`);
  for (const rec of host.records) {
    const plan = planAdoption(found.filter((c) => c.name === rec.name));
    for (const c of plan.discard) await runtime.remove(c.id).catch(() => {});
    if (!plan.current) continue;
    let cur = plan.current;
    if (cur.state === 'unknown') {
      // "Container is in unknown state, try killing it before restart" (R6.1).
      await runtime.stop(cur.id, 2000).catch(() => {});
      cur = await runtime.status(cur.id).catch(() => cur);
    }
    const previous = plan.previous;
    for (const c of [previous, cur]) if (c) host.claim(c.id);
    rec.id = cur.id;
    rec.previousId = previous?.id;
    rec.restartCount = cur.attempt;
    rec.startedAt = cur.startedAt;
    rec.stopSignal = cur.stopSignal;
    rec.startedSpecJson = JSON.stringify(rec.spec);
    rec.lastTerminated = previous ? terminatedOf(previous, runtime.name) : undefined;
    const last = recorded.filter((e) => e.container === rec.name).at(-1);
    if (cur.state === 'running') {
      rec.phase = 'running';
      rec.waitingReason = undefined;
      host.probes.start(rec);
      if (last?.what === What.PostStartStarted || last?.what === What.Started) {
        ctx.recorder.timeline(ctx.pod(), What.Running, rec.name, 'found running after an agent restart; the postStart in flight is not run again');
      }
    } else {
      rec.phase = 'exited';
      rec.terminated = terminatedOf(cur, runtime.name);
      host.exits.exit(cur.id);
      // The same exit, recorded by an earlier agent, carries the same time (the shim's).
      const seen = recorded.some((e) => e.container === rec.name && e.what === What.Exited && Math.abs(e.timeMs - (cur.finishedAt ?? 0)) < 1);
      if (!seen) {
        const how = cur.signal ? `signal ${cur.signal} (exit code ${cur.exitCode})` : `exit code ${cur.exitCode}`;
        ctx.recorder.timeline(ctx.pod(), What.Exited, rec.name, `${how}, while no agent was running`, cur.finishedAt);
      }
    }
  }
  ctx.statusChanged();
}
