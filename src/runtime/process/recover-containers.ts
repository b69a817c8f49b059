import type { Clock } from '../../clock/clock.js';
import { newEntry, type Entry } from './container-entry.js';
import { lostExit, type ContainerFollower } from './container-follower.js';
import { planRecovery, readSnapshot, type RecoveryPlan, type Snapshot } from './recovery-plan.js';
import type { StateDir } from './state-dir.js';

/** A container directory recovery could not fully read. */
export interface UnreadableState {
  id: string;
  /** What could not be read, and why. */
  error: Error;
  /**
   * True when config.json was readable: the container is also listed
   * (usually as `unknown`), so the engine can account for it through its pod.
   * False: no pod can claim it; only cleanup() or removeUnreadable() ends it.
   */
  listed: boolean;
}

export interface RecoveryDeps {
  state: StateDir;
  clock: Clock;
  follower: ContainerFollower;
  entries: Map<string, Entry>;
  unreadable: Map<string, UnreadableState>;
}

/** A live shim that claimed a container writes started.json within milliseconds; this bounds a stuck one. */
const AWAIT_SHIM_STEP_MS = 10;
const AWAIT_SHIM_MAX_MS = 2000;

/**
 * Walks the state directory once, as containerd's shim_load does: each
 * container directory is read, planned (planRecovery) and adopted into
 * `entries`, or reported in `unreadable`. One bad directory never stops the
 * others. Emits no event for what happened while no agent ran.
 */
export async function recoverContainers(deps: RecoveryDeps): Promise<void> {
  await deps.state.sweepLeftovers(deps.clock.now());
  for (const id of await deps.state.ids()) {
    try {
      await recoverOne(deps, id);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      deps.unreadable.set(id, { id, error, listed: deps.entries.has(id) });
    }
  }
}

async function recoverOne(deps: RecoveryDeps, id: string): Promise<void> {
  for (let waitedMs = 0; ; waitedMs += AWAIT_SHIM_STEP_MS) {
    const snap = await readSnapshot(deps.state, id);
    let plan = planRecovery(snap);
    if (plan.kind === 'awaitShim' && waitedMs >= AWAIT_SHIM_MAX_MS) {
      plan = { kind: 'lost', reason: `its shim claimed it but has not started it within ${AWAIT_SHIM_MAX_MS} ms` };
    }
    if (plan.kind === 'awaitShim') {
      await deps.clock.sleep(AWAIT_SHIM_STEP_MS);
      continue;
    }
    // Take the claim before declaring the start abandoned: if a late shim takes it first, look again.
    if (plan.kind === 'abandon' && !snap.claim && !(await deps.state.claimForAgent(id, deps.clock.now(), plan.message))) continue;
    await adopt(deps, id, snap, plan);
    return;
  }
}

async function adopt(deps: RecoveryDeps, id: string, snap: Snapshot, plan: RecoveryPlan): Promise<void> {
  if (plan.kind === 'unreadable') {
    deps.unreadable.set(id, { id, error: plan.error, listed: false });
    return;
  }
  const e = newEntry(snap.config!);
  Object.assign(e, { started: snap.started, claim: snap.claim, exit: snap.exit });
  deps.entries.set(id, e);
  const problems = Object.values(snap.errors);
  if (problems.length > 0) {
    deps.unreadable.set(id, { id, error: new Error(problems.map((p) => p.message).join('; ')), listed: true });
  }
  const now = deps.clock.now();
  const { follower } = deps;
  switch (plan.kind) {
    case 'created':
      return;
    case 'exited':
      e.exited.resolve();
      return;
    case 'abandon':
      return follower.recordExit(e, { exitCode: 128, startError: plan.message, finishedAt: now }, false);
    case 'lostExit':
      return follower.recordExit(e, lostExit(now, 'it and its shim ended while no agent ran, and nothing recorded the exit'), false);
    case 'running':
      follower.follow(e);
      return follower.refresh(e);
    case 'lost':
      e.lost = plan.reason;
      if (snap.containerAlive) follower.followLost(e);
  }
}
