import { containerStories } from './container-story.js';
import type { TimelineEntry } from '../../store/pod-store.js';

/** Margin added on top of what was measured: slow CI nodes and cold caches take longer. */
export const ADVICE_MARGIN = 0.2;

const JITTER_SECONDS = 0.05;

export interface GraceAdvice {
  pod: string;
  container: string;
  preStopMs: number;
  shutdownMs: number;
  /** whole preStop seconds + shutdown, rounded up: the least grace that would have sufficed this time. */
  minimumSeconds: number;
  /** minimum plus the margin, rounded up. */
  recommendedSeconds: number;
}

/**
 * The grace advisor (`hooklet run --measure`): with the grace stretched, each
 * container's preStop and its shutdown after the stop signal run as long as
 * they need; their sum is the grace the pod needs, since the kubelet's
 * countdown starts before the preStop (R3.2).
 */
export function graceAdvice(entries: TimelineEntry[]): GraceAdvice[] {
  const out: GraceAdvice[] = [];
  for (const s of containerStories(entries)) {
    const st = s.stops.at(-1);
    if (!st || st.signalAt === undefined || st.exitAt === undefined) continue;
    const preStopMs = st.preStopStartAt !== undefined ? (st.preStopEndAt ?? st.signalAt) - st.preStopStartAt : 0;
    const shutdownMs = st.exitAt - st.signalAt;
    // The kubelet subtracts the preStop's whole seconds (R3.4) and the app
    // must exit within what is left; 50 ms of measuring jitter is forgiven.
    const needed = Math.trunc(preStopMs / 1000) + shutdownMs / 1000;
    const minimumSeconds = Math.max(1, Math.ceil(needed - JITTER_SECONDS));
    out.push({
      pod: s.pod,
      container: s.container,
      preStopMs,
      shutdownMs,
      minimumSeconds,
      recommendedSeconds: Math.ceil(minimumSeconds * (1 + ADVICE_MARGIN)),
    });
  }
  return out;
}

export function adviceLines(advice: GraceAdvice[]): string[] {
  const byPod = new Map<string, GraceAdvice[]>();
  for (const a of advice) byPod.set(a.pod, [...(byPod.get(a.pod) ?? []), a]);
  const lines: string[] = [];
  for (const [pod, list] of byPod) {
    for (const a of list) {
      lines.push(`${pod}/${a.container}: preStop ${(a.preStopMs / 1000).toFixed(1)} s + shutdown after the stop signal ${(a.shutdownMs / 1000).toFixed(1)} s`);
    }
    // Containers stop concurrently, so the pod needs the largest, not the sum.
    const need = Math.max(...list.map((a) => a.minimumSeconds));
    const rec = Math.max(...list.map((a) => a.recommendedSeconds));
    lines.push(`${pod}: set terminationGracePeriodSeconds to at least ${need} (${rec} with a ${Math.round(ADVICE_MARGIN * 100)}% margin)`);
  }
  return lines;
}
