import { watch, type FSWatcher } from 'node:fs';
import { open } from 'node:fs/promises';
import type { LogOptions } from '../container-runtime.js';

/** One record of a CRI log file: `<RFC3339Nano> <stream> <F|P> <content>`. */
export interface CriRecord {
  time: string;
  /** Epoch ms, fractional. */
  timeMs: number;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  content: Buffer;
}

const SPACE = 0x20;

export function parseCriRecord(line: Buffer): CriRecord | undefined {
  const s1 = line.indexOf(SPACE);
  const s2 = s1 < 0 ? -1 : line.indexOf(SPACE, s1 + 1);
  if (s2 < 0) return undefined;
  const s3 = line.indexOf(SPACE, s2 + 1);
  const time = line.subarray(0, s1).toString('latin1');
  const stream = line.subarray(s1 + 1, s2).toString('latin1');
  const tag = line.subarray(s2 + 1, s3 < 0 ? line.length : s3).toString('latin1');
  const timeMs = parseRfc3339NanoMs(time);
  if ((stream !== 'stdout' && stream !== 'stderr') || Number.isNaN(timeMs)) return undefined;
  // Tags are ':'-separated; the first says full (F) or partial (P).
  const partial = tag.split(':')[0] === 'P';
  return { time, timeMs, stream, partial, content: s3 < 0 ? Buffer.alloc(0) : line.subarray(s3 + 1) };
}

/** `2026-11-29T02:31:32.123456789Z` → epoch ms with the sub-ms part as a fraction. */
export function parseRfc3339NanoMs(text: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return NaN;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  const fraction = m[2] ? Number(`0.${m[2]}`) * 1000 : 0;
  return whole + fraction;
}

interface MergedLine {
  time: string;
  timeMs: number;
  content: Buffer;
  /** False for trailing partial content with no newline (written as is). */
  complete: boolean;
}

/**
 * Turns CRI records into what `kubectl logs` prints: partial (P) records are
 * merged with the rest of their line (per stream), tailLines keeps the last N
 * lines of the initial read, sinceTime drops older lines, limitBytes cuts the
 * output, timestamps prefixes each line with its first record's time.
 */
export class CriLogRenderer {
  private readonly pending = new Map<'stdout' | 'stderr', { time: string; timeMs: number; parts: Buffer[] }>();
  private tail: MergedLine[] | undefined;
  private written = 0;

  constructor(
    private readonly options: Pick<LogOptions, 'tailLines' | 'sinceTime' | 'timestamps' | 'limitBytes'>,
    private readonly out: (chunk: string) => void,
  ) {
    if (options.tailLines !== undefined && options.tailLines >= 0) this.tail = [];
  }

  /** True once limitBytes has been reached: nothing more will be written. */
  get full(): boolean {
    return this.options.limitBytes !== undefined && this.written >= this.options.limitBytes;
  }

  push(record: CriRecord): void {
    const open = this.pending.get(record.stream);
    if (record.partial) {
      if (open) open.parts.push(record.content);
      else this.pending.set(record.stream, { time: record.time, timeMs: record.timeMs, parts: [record.content] });
      return;
    }
    this.pending.delete(record.stream);
    const content = open ? Buffer.concat([...open.parts, record.content]) : record.content;
    this.line({ time: open?.time ?? record.time, timeMs: open?.timeMs ?? record.timeMs, content, complete: true });
  }

  /** Ends the initial read: writes the lines kept for tailLines; later lines go straight out. */
  endInitial(): void {
    const kept = this.tail;
    this.tail = undefined;
    for (const l of kept ?? []) this.write(l);
  }

  /** Ends the output: partial content still open is written without a newline. */
  finish(): void {
    const open = [...this.pending.values()].sort((a, b) => a.timeMs - b.timeMs);
    this.pending.clear();
    for (const p of open) this.line({ time: p.time, timeMs: p.timeMs, content: Buffer.concat(p.parts), complete: false });
    this.endInitial();
  }

  private line(l: MergedLine): void {
    if (this.tail) {
      this.tail.push(l);
      if (this.tail.length > (this.options.tailLines ?? 0)) this.tail.shift();
      return;
    }
    this.write(l);
  }

  private write(l: MergedLine): void {
    if (this.full) return;
    // As the kubelet: tail first, then the since filter.
    if (this.options.sinceTime !== undefined && l.timeMs < this.options.sinceTime) return;
    const prefix = this.options.timestamps ? `${l.time} ` : '';
    let bytes = Buffer.concat([Buffer.from(prefix), l.content, Buffer.from(l.complete ? '\n' : '')]);
    if (this.options.limitBytes !== undefined) bytes = bytes.subarray(0, Math.max(0, this.options.limitBytes - this.written));
    this.written += bytes.length;
    if (bytes.length > 0) this.out(bytes.toString('utf8'));
  }
}

export interface FollowSource {
  /** True once the container's exit is recorded (its log is then complete). */
  isExited(): boolean;
  /** Resolves when the container exits. */
  exited: Promise<void>;
}

/**
 * Renders a CRI log file. With `follow`, keeps reading as the file grows
 * (woken by fs.watch, not by polling) until the container exits, the signal
 * aborts, or limitBytes is reached. The shim writes exit.json only after it
 * has drained the container's output, so once exited the file is complete.
 */
export async function readCriLog(
  path: string,
  options: LogOptions,
  out: (chunk: string) => void,
  follow?: FollowSource,
): Promise<void> {
  const renderer = new CriLogRenderer(options, out);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  let offset = 0;
  let carry = Buffer.alloc(0);
  const chunk = Buffer.alloc(64 * 1024);
  const readAvailable = async (): Promise<void> => {
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset);
      if (bytesRead === 0) return;
      offset += bytesRead;
      let data = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      let nl: number;
      while ((nl = data.indexOf(0x0a)) >= 0) {
        const record = parseCriRecord(data.subarray(0, nl));
        if (record) renderer.push(record);
        data = data.subarray(nl + 1);
      }
      // Copy: `chunk` is reused by the next read.
      carry = Buffer.from(data);
    }
  };

  let watcher: FSWatcher | undefined;
  try {
    const follows = options.follow === true && follow !== undefined && !follow.isExited() && !options.signal?.aborted;
    await readAvailable();
    if (!follows) return;
    renderer.endInitial();

    let dirty = false;
    let wake: (() => void) | undefined;
    const poke = (): void => {
      dirty = true;
      wake?.();
    };
    watcher = watch(path, poke);
    watcher.on('error', poke);
    void follow.exited.then(poke);
    options.signal?.addEventListener('abort', poke, { once: true });
    try {
      while (!options.signal?.aborted && !renderer.full) {
        const exitedBefore = follow.isExited();
        dirty = false;
        await readAvailable();
        if (exitedBefore) break;
        if (!dirty) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      options.signal?.removeEventListener('abort', poke);
    }
  } finally {
    watcher?.close();
    renderer.finish();
    await handle.close();
  }
}
