/**
 * Readers for what the apps and hooks wrote outside the data directory, and
 * for the CRI-format container logs the shim wrote inside it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HookRecord {
  timeMs: number;
  hook: 'postStart' | 'preStop';
  phase: 'begin' | 'end';
  pod: string;
  uid: string;
  container: string;
  pid: number;
}

export function readHookLog(evidenceDir: string): { records: HookRecord[]; malformed: string[] } {
  const path = join(evidenceDir, 'hooks.log');
  const records: HookRecord[] = [];
  const malformed: string[] = [];
  if (!existsSync(path)) return { records, malformed };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const m = /^(\d+) (postStart|preStop) (begin|end) (\S+) (\S+) (\S+) (\d+)$/.exec(line);
    if (!m) {
      malformed.push(line);
      continue;
    }
    records.push({
      timeMs: Number(BigInt(m[1]!) / 1000n) / 1000,
      hook: m[2] as HookRecord['hook'],
      phase: m[3] as HookRecord['phase'],
      pod: m[4]!,
      uid: m[5]!,
      container: m[6]!,
      pid: Number(m[7]),
    });
  }
  return { records, malformed };
}

/** One app process, from its witness files. */
export interface AppRecord {
  pod: string;
  container: string;
  pid: number;
  uid: string;
  startMs: number;
  /** When it received SIGTERM (each time). */
  termMs: number[];
  /** The last number it printed, as it recorded after each write. */
  lastSeq: number;
}

export function readApps(evidenceDir: string): AppRecord[] {
  const dir = join(evidenceDir, 'apps');
  if (!existsSync(dir)) return [];
  const out: AppRecord[] = [];
  for (const file of readdirSync(dir)) {
    const m = /^(.+)\.([^.]+)\.(\d+)$/.exec(file);
    if (!m) continue;
    const rec: AppRecord = { pod: m[1]!, container: m[2]!, pid: Number(m[3]), uid: '', startMs: NaN, termMs: [], lastSeq: 0 };
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const s = /^start (\d+) (\S+)$/.exec(line);
      if (s) {
        rec.startMs = nsToMs(s[1]!);
        rec.uid = s[2]!;
      }
      const t = /^term (\d+)$/.exec(line);
      if (t) rec.termMs.push(nsToMs(t[1]!));
    }
    // A SIGTERM before the start line (the pod was deleted as it started) leaves a record without a start: no app ran.
    if (!rec.uid) continue;
    const n = join(dir, `${file}.n`);
    if (existsSync(n)) rec.lastSeq = Number(readFileSync(n, 'utf8').trim()) || 0;
    out.push(rec);
  }
  return out;
}

function nsToMs(ns: string): number {
  return Number(BigInt(ns) / 1000n) / 1000;
}

export interface CriLog {
  stdout: string[];
  stderr: string[];
  /** Lines that are not `<RFC3339Nano> <stream> <F|P> <content>`. */
  malformed: string[];
}

/** Parses a CRI log, joining partial (P) records to the full (F) record that ends them, per stream. */
export function parseCriLog(text: string): CriLog {
  const out: CriLog = { stdout: [], stderr: [], malformed: [] };
  const pending: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (stdout|stderr) ([FP]) (.*)$/.exec(line);
    if (!m) {
      out.malformed.push(line);
      continue;
    }
    const stream = m[2] as 'stdout' | 'stderr';
    if (m[3] === 'P') {
      pending[stream] += m[4];
      continue;
    }
    out[stream].push(pending[stream] + m[4]);
    pending[stream] = '';
  }
  for (const s of ['stdout', 'stderr'] as const) if (pending[s] !== '') out[s].push(pending[s]);
  return out;
}

export interface SeqCheck {
  /** Highest number seen (0 when none). */
  last: number;
  /** Missing ranges, inclusive. */
  gaps: Array<[number, number]>;
  duplicates: number[];
  /** Lines on stdout that are not `seq N`. */
  unexpected: string[];
}

/** The app prints `seq 1`, `seq 2`, … in order: anything else is loss, duplication or corruption. */
export function checkSeq(stdout: string[]): SeqCheck {
  const res: SeqCheck = { last: 0, gaps: [], duplicates: [], unexpected: [] };
  let expected = 1;
  const seen = new Set<number>();
  for (const line of stdout) {
    const m = /^seq (\d+)$/.exec(line);
    if (!m) {
      res.unexpected.push(line);
      continue;
    }
    const n = Number(m[1]);
    if (seen.has(n)) {
      res.duplicates.push(n);
      continue;
    }
    seen.add(n);
    if (n > expected) res.gaps.push([expected, n - 1]);
    if (n >= expected) expected = n + 1;
    res.last = Math.max(res.last, n);
  }
  return res;
}

/** stderr carries `err N` for every N divisible by 10; each one below `lastSeq` must be there. */
export function missingErrLines(stderr: string[], lastSeq: number): number[] {
  const got = new Set(stderr.map((l) => /^err (\d+)$/.exec(l)?.[1]).filter((x): x is string => x !== undefined).map(Number));
  const missing: number[] = [];
  for (let n = 10; n < lastSeq; n += 10) if (!got.has(n)) missing.push(n);
  return missing;
}
