import type { CoreEvent, Pod } from '../../api/types.js';
import type { TimelineEntry } from '../../store/pod-store.js';

export type OutputMode = 'text' | 'json';

/**
 * What `hooklet run` prints while it runs. Text: events and container
 * output prefixed by pod/container (like `docker compose up`). JSON: one
 * object per line — Event, Pod (on status change), TimelineEntry.
 */
export class RunOutput {
  constructor(
    private readonly mode: OutputMode,
    private readonly write: (line: string) => void,
  ) {}

  event(e: CoreEvent): void {
    if (this.mode === 'json') return this.write(JSON.stringify(e));
    const who = whoOf(e);
    const count = e.count && e.count > 1 ? ` (x${e.count})` : '';
    this.write(`${clockTime(e.eventTime ?? e.lastTimestamp)} ${who.padEnd(20)} ${e.type.padEnd(7)} ${e.reason.padEnd(19)} ${e.message}${count}`);
  }

  pod(p: Pod): void {
    if (this.mode === 'json') this.write(JSON.stringify(p));
  }

  timeline(t: TimelineEntry): void {
    if (this.mode === 'json') this.write(JSON.stringify(t));
  }

  log(pod: string, container: string, line: string): void {
    if (this.mode === 'json') return;
    this.write(`${`${pod}/${container}`.padEnd(20)} | ${line}`);
  }

  note(text: string): void {
    if (this.mode === 'json') return;
    this.write(text);
  }
}

function whoOf(e: CoreEvent): string {
  const name = e.involvedObject.name ?? '';
  const m = /\{(.+)\}$/.exec(e.involvedObject.fieldPath ?? '');
  return m ? `${name}/${m[1]}` : name;
}

function clockTime(t: string | undefined): string {
  if (!t) return '            ';
  const m = /T(\d\d:\d\d:\d\d)(\.\d{3})?/.exec(t);
  return m ? `${m[1]}${m[2] ?? '.000'}` : t;
}
