import type { TimelineEntry } from '../../store/pod-store.js';

/** One stop of one container instance, read back from its timeline entries. */
export interface StopStory {
  killingAt: number;
  graceSeconds?: number;
  preStopStartAt?: number;
  preStopEndAt?: number;
  preStopFailed?: boolean;
  preStopCutOff?: boolean;
  signalAt?: number;
  signal?: string;
  sigkillInSeconds?: number;
  sigkillAt?: number;
  exitAt?: number;
  exitDetail?: string;
}

export interface ContainerStory {
  pod: string;
  namespace: string;
  container: string;
  entries: TimelineEntry[];
  stops: StopStory[];
  /** Exits that were not caused by a stop (the app ended by itself). */
  selfExits: TimelineEntry[];
  lastEntry?: TimelineEntry;
}

/** Groups entries by container and pairs each Killing with its preStop, signal, SIGKILL and exit. */
export function containerStories(entries: TimelineEntry[]): ContainerStory[] {
  const byKey = new Map<string, ContainerStory>();
  const sorted = [...entries].sort((a, b) => a.timeMs - b.timeMs);
  for (const e of sorted) {
    if (!e.container) continue;
    const key = `${e.namespace}/${e.pod}/${e.container}`;
    let s = byKey.get(key);
    if (!s) {
      s = { pod: e.pod, namespace: e.namespace, container: e.container, entries: [], stops: [], selfExits: [] };
      byKey.set(key, s);
    }
    s.entries.push(e);
    s.lastEntry = e;
    const open = s.stops.at(-1);
    const inStop = open && open.exitAt === undefined;
    switch (e.what) {
      case 'killing':
        if (!inStop) {
          const grace = num(/\(grace (\d+)s\)$/, e.detail);
          s.stops.push({ killingAt: e.timeMs, ...(grace !== undefined ? { graceSeconds: grace } : {}) });
        }
        break;
      case 'preStop.started':
        if (inStop) {
          open.preStopStartAt = e.timeMs;
          open.graceSeconds = num(/grace (\d+)s/, e.detail);
        }
        break;
      case 'preStop.cutoff':
        if (inStop) open.preStopCutOff = true;
        break;
      case 'preStop.finished': {
        // A hook cut off by the grace may finish after the container is gone.
        const target = [...s.stops].reverse().find((st) => st.preStopStartAt !== undefined && st.preStopEndAt === undefined);
        if (target) {
          target.preStopEndAt = e.timeMs;
          target.preStopFailed = e.detail?.startsWith('failed') ?? false;
        }
        break;
      }
      case 'stop.signal':
        if (inStop) {
          open.signalAt = e.timeMs;
          open.signal = e.detail?.split(',')[0];
          open.sigkillInSeconds = num(/SIGKILL in (\d+)s/, e.detail);
        }
        break;
      case 'sigkill':
        if (inStop) open.sigkillAt = e.timeMs;
        break;
      case 'exited':
        if (inStop) {
          open.exitAt = e.timeMs;
          open.exitDetail = e.detail;
        } else {
          s.selfExits.push(e);
        }
        break;
    }
  }
  return [...byKey.values()];
}

function num(re: RegExp, s: string | undefined): number | undefined {
  const m = s ? re.exec(s) : null;
  return m ? Number(m[1]) : undefined;
}
