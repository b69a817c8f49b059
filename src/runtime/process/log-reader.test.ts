import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CriLogRenderer, parseCriRecord, parseRfc3339NanoMs, readCriLog } from './log-reader.js';

const rec = (line: string) => parseCriRecord(Buffer.from(line))!;

function render(lines: string[], options = {}): string {
  let out = '';
  const r = new CriLogRenderer(options, (c) => (out += c));
  for (const l of lines) r.push(rec(l));
  r.finish();
  return out;
}

const T1 = '2026-11-29T02:31:32.123456789Z';
const T2 = '2026-11-29T02:31:33.000000001Z';
const T3 = '2026-11-29T02:31:34.500000000Z';

describe('CRI log parsing', () => {
  it('parses time, stream, tag and content (content may hold spaces or be empty)', () => {
    const r = rec(`${T1} stderr F a  b `);
    expect(r).toMatchObject({ time: T1, stream: 'stderr', partial: false });
    expect(r.content.toString()).toBe('a  b ');
    expect(rec(`${T1} stdout F `).content.toString()).toBe('');
    expect(rec(`${T1} stdout F`).content.toString()).toBe('');
    expect(rec(`${T1} stdout P:extra x`).partial).toBe(true);
  });

  it('rejects malformed records', () => {
    expect(parseCriRecord(Buffer.from('garbage'))).toBeUndefined();
    expect(parseCriRecord(Buffer.from(`${T1} stdin F x`))).toBeUndefined();
    expect(parseCriRecord(Buffer.from('yesterday stdout F x'))).toBeUndefined();
  });

  it('reads RFC3339Nano times as fractional epoch ms', () => {
    expect(parseRfc3339NanoMs(T1)).toBeCloseTo(Date.UTC(2026, 10, 29, 2, 31, 32) + 123.456789, 6);
    expect(parseRfc3339NanoMs('2026-11-29T02:31:32Z')).toBe(Date.UTC(2026, 10, 29, 2, 31, 32));
    expect(parseRfc3339NanoMs('2026-11-29T03:31:32.5+01:00')).toBe(Date.UTC(2026, 10, 29, 2, 31, 32, 500));
    expect(parseRfc3339NanoMs('nope')).toBeNaN();
  });
});

describe('CriLogRenderer (kubectl logs rendering)', () => {
  const file = [`${T1} stdout P hel`, `${T1} stderr F boom`, `${T2} stdout F lo`, `${T3} stdout F last`];

  it('merges partial records of a stream into one line, in order of completion', () => {
    expect(render(file)).toBe('boom\nhello\nlast\n');
  });

  it('prefixes the first record time with timestamps', () => {
    expect(render(file, { timestamps: true })).toBe(`${T1} boom\n${T1} hello\n${T3} last\n`);
  });

  it('tailLines keeps the last N merged lines; 0 gives nothing', () => {
    expect(render(file, { tailLines: 2 })).toBe('hello\nlast\n');
    expect(render(file, { tailLines: 0 })).toBe('');
    expect(render(file, { tailLines: 10 })).toBe('boom\nhello\nlast\n');
  });

  it('sinceTime drops lines before it (by the line start time)', () => {
    expect(render(file, { sinceTime: parseRfc3339NanoMs(T2) })).toBe('last\n');
    expect(render(file, { sinceTime: parseRfc3339NanoMs(T1) })).toBe('boom\nhello\nlast\n');
  });

  it('limitBytes cuts the output, mid-line if need be', () => {
    expect(render(file, { limitBytes: 7 })).toBe('boom\nhe');
  });

  it('writes trailing partial content without a newline at the end', () => {
    expect(render([`${T1} stdout F a`, `${T2} stdout P no-newline`])).toBe('a\nno-newline');
  });
});

describe('readCriLog', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('reads a file, skipping malformed lines; a missing file is empty', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hooklet-log-'));
    const path = join(dir, 'container.log');
    writeFileSync(path, `${T1} stdout F one\nnot a record\n${T2} stdout F two\n`);
    let out = '';
    await readCriLog(path, {}, (c) => (out += c));
    expect(out).toBe('one\ntwo\n');
    out = '';
    await readCriLog(join(dir, 'missing.log'), {}, (c) => (out += c));
    expect(out).toBe('');
  });
});
