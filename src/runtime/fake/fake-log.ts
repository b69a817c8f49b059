import type { LogOptions } from '../container-runtime.js';

export interface FakeLogRecord {
  /** RFC3339Nano with 9 digits, as the process runtime prints it. */
  time: string;
  timeMs: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export function rfc3339Nano(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.min(999_999_999, Math.floor((ms - seconds * 1000) * 1e6));
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(nanos).padStart(9, '0')}Z`;
}

/** Writes records as `kubectl logs` shows them; returns false once limitBytes is used up. */
export class FakeLogWriter {
  private written = 0;

  constructor(
    private readonly options: LogOptions,
    private readonly out: (chunk: string) => void,
  ) {}

  get full(): boolean {
    return this.options.limitBytes !== undefined && this.written >= this.options.limitBytes;
  }

  /** The initial batch: tail first, then the since filter (as the kubelet). */
  writeInitial(records: readonly FakeLogRecord[]): void {
    const tail = this.options.tailLines;
    const kept = tail !== undefined && tail >= 0 ? records.slice(Math.max(0, records.length - tail)) : records;
    for (const r of kept) this.write(r);
  }

  write(record: FakeLogRecord): void {
    if (this.full) return;
    if (this.options.sinceTime !== undefined && record.timeMs < this.options.sinceTime) return;
    let bytes = Buffer.from(`${this.options.timestamps ? `${record.time} ` : ''}${record.text}\n`);
    if (this.options.limitBytes !== undefined) bytes = bytes.subarray(0, this.options.limitBytes - this.written);
    this.written += bytes.length;
    if (bytes.length > 0) this.out(bytes.toString('utf8'));
  }
}
