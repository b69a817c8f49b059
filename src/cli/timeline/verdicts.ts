import type { ContainerStory, StopStory } from './container-story.js';

/** A stop window this long means `--measure` stretched the grace. */
const STRETCHED_MS = 3_600_000;

const sec = (ms: number): string => `${(ms / 1000).toFixed(Math.abs(ms) < 100 ? 3 : 1)} s`;

/** One line per container saying how its (last) shutdown went and what to change. */
export function verdictLines(stories: ContainerStory[]): string[] {
  return stories.map((s) => `${s.pod}/${s.container}: ${verdict(s)}`);
}

function verdict(s: ContainerStory): string {
  const stop = s.stops.at(-1);
  if (!stop) {
    const exit = s.selfExits.at(-1);
    if (exit?.detail === 'exit code 0') return 'completed (exit code 0)';
    if (exit) return `exited by itself (${exit.detail ?? 'exit'}); a preStop hook does not run for a container that exits on its own (R3.7)`;
    return 'still running when the timeline ended';
  }
  return stopVerdict(stop);
}

function stopVerdict(st: StopStory): string {
  const grace = st.graceSeconds;
  const preStopMs = st.preStopStartAt !== undefined ? (st.preStopEndAt ?? st.signalAt ?? st.killingAt) - st.preStopStartAt : 0;
  const failed = st.preStopFailed ? ' (the preStop hook failed)' : '';
  if (st.signalAt === undefined) {
    if (st.exitAt !== undefined) {
      const during = st.preStopStartAt !== undefined ? ` ${sec(st.exitAt - st.preStopStartAt)} into its preStop hook` : '';
      return `exited by itself${during}, before any stop signal (${st.exitDetail ?? 'exit'})${failed}`;
    }
    return `stop started but no stop signal was sent${failed}`;
  }
  const signal = st.signal ?? 'SIGTERM';
  if (st.sigkillAt !== undefined || st.exitDetail?.includes('SIGKILL')) {
    const window = st.sigkillInSeconds ?? 0;
    const parts: string[] = [];
    if (st.preStopStartAt !== undefined) {
      parts.push(st.preStopCutOff
        ? `the preStop hook used the whole ${grace ?? '?'} s grace and was cut off`
        : `preStop used ${sec(preStopMs)}${grace !== undefined ? ` of the ${grace} s grace` : ''}${failed}`);
    }
    parts.push(`the app had not exited ${window.toFixed(1)} s after ${signal}`);
    const need = grace !== undefined ? `; terminationGracePeriodSeconds must be more than ${grace}, or the app must exit sooner after ${signal}` : '';
    const floor = window === 2 && st.preStopStartAt !== undefined ? ' (only the kubelet\'s 2 s minimum was left for the app)' : '';
    return `SIGKILLed — ${parts.join(' and ')}${floor}${need}`;
  }
  if (st.exitAt === undefined) return `${signal} sent; no exit recorded`;
  const afterSignal = st.exitAt - st.signalAt;
  const window = (st.sigkillInSeconds ?? 0) * 1000;
  const spare = window - afterSignal;
  const pre = st.preStopStartAt !== undefined ? `preStop took ${sec(preStopMs)}${failed}; ` : '';
  if (window >= STRETCHED_MS) return `${pre}exited ${sec(afterSignal)} after ${signal} (grace stretched: no SIGKILL deadline)`;
  return `${pre}exited ${sec(afterSignal)} after ${signal}, ${sec(Math.max(0, spare))} before SIGKILL`;
}
