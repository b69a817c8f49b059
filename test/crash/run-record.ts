/**
 * What the crash driver did and observed, and what it collected at the end:
 * the input of the invariant checks (kept plain so the checks can be unit
 * tested on hand-made records).
 */
import type { TimelineItem } from './api-client.js';
import type { PodPlan } from './crash-pod.js';
import type { AppRecord, HookRecord } from './evidence.js';
import type { TaggedProcess } from './proc-scan.js';
import type { CapturedContainer } from './state-capture.js';

export interface PodRecord {
  plan: PodPlan;
  uid?: string;
  createSentMs: number;
  /** The create's outcome is unknown (daemon died under it) until reconciled. */
  createUnknown: boolean;
  /** Reconciliation found that the create never took effect. */
  neverCreated: boolean;
  /** When the delete that took effect was sent (earliest possible delete time). */
  deleteSentMs?: number;
  /** The delete's outcome is unknown until reconciled. */
  deleteUnknown: boolean;
  deleteConfirmed: boolean;
  /** First time the harness saw the pod gone from the API. */
  goneObservedMs?: number;
  /** Deleted by the final clean-up rather than by the scenario. */
  finalDelete: boolean;
}

export interface KillRecord {
  atMs: number;
  daemonPid: number;
  /** `early`: before the daemon served; `after-delete`: aimed at a termination; `random`. */
  kind: 'early' | 'after-delete' | 'random';
}

export interface RunRecord {
  seed: number;
  token: string;
  runDir: string;
  pods: PodRecord[];
  kills: KillRecord[];
  daemonStarts: Array<{ spawnedMs: number; readyMs?: number }>;
}

export interface FinalState {
  timelines: Map<string, TimelineItem[] | undefined>;
  /** Pods still listed by the API after the final clean-up. */
  remainingPods: string[];
  /** Processes of this run still alive after everything settled. */
  leftoverProcesses: TaggedProcess[];
  /** Recorded PIDs still alive (checked with their start ticks). */
  liveRecordedPids: Array<{ id: string; role: 'container' | 'shim'; pid: number }>;
  containers: CapturedContainer[];
  /** Container directories still in the data dir after the daemon stopped. */
  dirsLeft: Array<{ id: string; entries: string[] }>;
  apps: AppRecord[];
  hooks: HookRecord[];
  hookLinesMalformed: string[];
  daemonStop?: { code: number | null; signal: NodeJS.Signals | null; timedOut: boolean };
  /** Harness-level observations (settle time-outs, failed requests to a live daemon). */
  notes: string[];
  /** Why the run stopped early (the daemon would not start again, an unexpected API answer). */
  errors: string[];
}
