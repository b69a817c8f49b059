import { isRunning, type ProcIdentity } from './proc-stat.js';
import type { ClaimRecord, ExitRecord, StartedRecord, StateDir, StoredContainer } from './state-dir.js';

/** One container directory as a recovering agent finds it: each file, or why it could not be read. */
export interface Snapshot {
  config?: StoredContainer;
  intent: boolean;
  claim?: ClaimRecord;
  started?: StartedRecord;
  exit?: ExitRecord;
  /** Files that exist but cannot be read, by file name. */
  errors: Partial<Record<'config' | 'intent' | 'claim' | 'started' | 'exit', Error>>;
  /** The shim named by started.json (else by the shim's claim) runs, checked by pid + start ticks + boot. */
  shimAlive: boolean;
  /** The container process named by started.json runs, checked the same way. */
  containerAlive: boolean;
}

export type RecoveryPlan =
  /** config.json is missing or unreadable: not listed, only reported (and removable with cleanup). */
  | { kind: 'unreadable'; error: Error }
  /** exit.json says how it ended. */
  | { kind: 'exited' }
  /** No start was ever attempted. */
  | { kind: 'created' }
  /** Its shim runs: reattach. */
  | { kind: 'running' }
  /** A live shim claimed it and is starting it right now: wait a moment, then plan again. */
  | { kind: 'awaitShim' }
  /** A start was attempted and provably never ran anything: record a StartError, never start it again. */
  | { kind: 'abandon'; message: string }
  /** Shim and process are gone and nothing recorded the exit: record it as unknown (137). */
  | { kind: 'lostExit' }
  /** No shim watches it, or its files do not say enough: state unknown until stopped or cleaned up. */
  | { kind: 'lost'; reason: string };

export const AGENT_DIED_BEFORE_SHIM = 'hooklet stopped while starting this container, before its shim ran; the container never ran and is not started again';
export const SHIM_DIED_BEFORE_START = 'the shim died before the container process ran; the container never ran and is not started again';

/** What a recovering agent does with one container directory. Pure: all I/O is in the snapshot. */
export function planRecovery(s: Snapshot): RecoveryPlan {
  if (s.errors.config) return { kind: 'unreadable', error: s.errors.config };
  if (!s.config) return { kind: 'unreadable', error: new Error('no config.json (its creation was interrupted, or it was deleted)') };
  if (s.exit) return { kind: 'exited' };
  if (s.errors.exit) return { kind: 'lost', reason: s.errors.exit.message };
  if (s.started) {
    if (s.shimAlive) return { kind: 'running' };
    if (s.containerAlive) return { kind: 'lost', reason: 'its shim died; the container process still runs but nothing records its exit' };
    return { kind: 'lostExit' };
  }
  if (s.errors.started) return { kind: 'lost', reason: s.errors.started.message };
  if (s.claim?.by === 'shim') return s.shimAlive ? { kind: 'awaitShim' } : { kind: 'abandon', message: SHIM_DIED_BEFORE_START };
  if (s.claim?.by === 'agent') return { kind: 'abandon', message: s.claim.reason };
  if (s.errors.claim) return { kind: 'lost', reason: s.errors.claim.message };
  if (s.intent || s.errors.intent) return { kind: 'abandon', message: AGENT_DIED_BEFORE_SHIM };
  return { kind: 'created' };
}

/** Reads every file of one container directory; never throws. */
export async function readSnapshot(state: StateDir, id: string): Promise<Snapshot> {
  const errors: Snapshot['errors'] = {};
  const attempt = async <T>(name: keyof Snapshot['errors'], read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (err) {
      errors[name] = err instanceof Error ? err : new Error(String(err));
      return undefined;
    }
  };
  const config = await attempt('config', () => state.readConfig(id));
  const intent = (await attempt('intent', () => state.hasIntent(id))) ?? false;
  const claim = await attempt('claim', () => state.readClaim(id));
  const started = await attempt('started', () => state.readStarted(id));
  const exit = await attempt('exit', () => state.readExit(id));
  const shim = shimIdentity(started, claim);
  return {
    config,
    intent,
    claim,
    started,
    exit,
    errors,
    shimAlive: shim ? await isRunning(shim) : false,
    containerAlive: started ? await isRunning({ pid: started.pid, startTicks: started.startTicks, bootId: started.bootId }) : false,
  };
}

export function shimIdentity(started: StartedRecord | undefined, claim: ClaimRecord | undefined): ProcIdentity | undefined {
  if (started) return { pid: started.shimPid, startTicks: started.shimStartTicks, bootId: started.bootId };
  if (claim?.by === 'shim') return { pid: claim.shimPid, startTicks: claim.shimStartTicks, bootId: claim.bootId };
  return undefined;
}
