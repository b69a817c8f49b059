import type { TimelineEntry } from '../../store/pod-store.js';
import type { ContainerStory } from './container-story.js';

const WIDTH = 64;

/** Span kinds drawn on a container's row, weakest first. */
const FILL = { alive: '=', postStart: 'P', preStop: 'p', stopping: '-' } as const;
/** Instant marks, drawn over spans. */
const MARK: Record<string, string> = { 'stop.signal': 'T', sigkill: 'K', exited: 'X', started: 'S' };

/**
 * A terminal chart: one row per container on a shared time axis, spans for
 * running / postStart / preStop / stop window, marks for the stop signal,
 * SIGKILL and exit; then every entry with its millisecond offset.
 */
export function renderChart(stories: ContainerStory[], entries: TimelineEntry[]): string {
  if (entries.length === 0) return 'No timeline entries.';
  const times = entries.map((e) => e.timeMs);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const col = (t: number): number => Math.min(WIDTH - 1, Math.floor(((t - t0) / (t1 - t0)) * (WIDTH - 1)));
  const label = (s: ContainerStory): string => `${s.pod}/${s.container}`;
  const labelWidth = Math.max(...stories.map((s) => label(s).length), 4);
  const lines: string[] = [];
  lines.push(`${' '.repeat(labelWidth)}  ${axis(t1 - t0)}`);
  for (const s of stories) {
    const row = Array<string>(WIDTH).fill(' ');
    const paint = (from: number, to: number, ch: string): void => {
      for (let c = col(from); c <= col(to); c++) row[c] = ch;
    };
    let aliveFrom: number | undefined;
    let hookFrom: number | undefined;
    let stopFrom: number | undefined;
    for (const e of s.entries) {
      switch (e.what) {
        case 'started': aliveFrom = e.timeMs; break;
        case 'postStart.started': case 'preStop.started': hookFrom = e.timeMs; break;
        case 'postStart.finished':
          if (hookFrom !== undefined) paint(hookFrom, e.timeMs, FILL.postStart);
          hookFrom = undefined;
          break;
        case 'preStop.finished': case 'preStop.cutoff':
          if (hookFrom !== undefined) paint(hookFrom, e.timeMs, FILL.preStop);
          hookFrom = undefined;
          break;
        case 'stop.signal': stopFrom = e.timeMs; break;
        case 'exited':
          if (aliveFrom !== undefined) paintUnder(row, col(aliveFrom), col(e.timeMs), FILL.alive);
          if (stopFrom !== undefined) paint(stopFrom, e.timeMs, FILL.stopping);
          aliveFrom = stopFrom = undefined;
          break;
      }
    }
    if (aliveFrom !== undefined) paintUnder(row, col(aliveFrom), WIDTH - 1, FILL.alive);
    // Marks drawn weakest first, so SIGKILL and the stop signal stay visible when they share a column with the exit.
    for (const what of ['started', 'exited', 'stop.signal', 'sigkill']) {
      for (const e of s.entries) if (e.what === what) row[col(e.timeMs)] = MARK[what]!;
    }
    lines.push(`${label(s).padEnd(labelWidth)} |${row.join('')}|`);
  }
  lines.push('');
  lines.push('  S started  P postStart  = running  p preStop  T stop signal  - stop window  K SIGKILL  X exited');
  lines.push('');
  const start = new Date(t0).toISOString();
  lines.push(`t=0 is ${start}`);
  for (const e of [...entries].sort((a, b) => a.timeMs - b.timeMs)) {
    const who = e.container ? `${e.pod}/${e.container}` : e.pod;
    lines.push(`  +${((e.timeMs - t0) / 1000).toFixed(3).padStart(9)}s  ${who.padEnd(labelWidth)}  ${e.what}${e.detail ? `  ${oneLine(e.detail)}` : ''}`);
  }
  return lines.join('\n');
}

function paintUnder(row: string[], from: number, to: number, ch: string): void {
  for (let c = from; c <= to; c++) if (row[c] === ' ') row[c] = ch;
}

function axis(spanMs: number): string {
  const ticks = 4;
  let out = '';
  for (let i = 0; i < ticks; i++) {
    const label = `${((spanMs * i) / ticks / 1000).toFixed(1)}s`;
    out += label.padEnd(WIDTH / ticks);
  }
  return `${out.slice(0, WIDTH)} ${(spanMs / 1000).toFixed(1)}s`;
}

/** Hook messages can carry whole scripts; the chart shows the first 160 characters on one line. */
function oneLine(s: string): string {
  const flat = s.replace(/\s*\n\s*/g, ' ⏎ ');
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
