import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.js';
import { FakeClock } from '../clock/fake-clock.js';
import { StoreError, type WatchEvent } from './pod-store.js';
import { SCHEMA_VERSION } from './sqlite-schema.js';
import { SqliteStore } from './sqlite-store.js';
import { aPod, anEvent, storeConformance, timelineEntry } from './store-conformance.case.js';
import { StoreOpenError } from './store-open-error.js';
import { storeRetention } from './store-retention.case.js';
import { storeDeleteConformance } from './store-delete.case.js';
import { storeWatchConformance } from './store-watch.case.js';

const dir = mkdtempSync(join(tmpdir(), 'hooklet-sqlite-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const freshPath = (): string => join(dir, `store-${seq++}.db`);

storeConformance('SqliteStore', { open: (clock, options) => new SqliteStore(freshPath(), clock, options) });
storeRetention('SqliteStore', { open: (clock, options) => new SqliteStore(freshPath(), clock, options) });
storeDeleteConformance('SqliteStore', { open: (clock, options) => new SqliteStore(freshPath(), clock, options) });
storeWatchConformance('SqliteStore', { open: (clock, options) => new SqliteStore(freshPath(), clock, options) });

function openError(fn: () => unknown): StoreOpenError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreOpenError) return err;
    throw err;
  }
  throw new Error('expected a StoreOpenError');
}

describe('SqliteStore: durability', () => {
  it('reopening the file gives back every pod, event and timeline entry, and RVs continue', async () => {
    const path = freshPath();
    const clock = new FakeClock(Date.UTC(2026, 10, 29));
    const first = new SqliteStore(path, clock);
    const web = first.createPod(aPod('web'));
    first.createPod(aPod('db', { namespace: 'data' }));
    first.updatePodStatus('default', 'web', web.metadata.uid!, { phase: 'Running', podIP: '127.0.0.1' });
    const terminating = first.deletePod('default', 'web', 30).pod;
    first.recordEvent(anEvent('Killing', 'Stopping container app'));
    await clock.advance(5000);
    const killing = first.recordEvent(anEvent('Killing', 'Stopping container app'));
    first.appendTimeline(timelineEntry('preStop started', 1));
    first.appendTimeline(timelineEntry('SIGTERM', 2));
    const before = { pods: first.listPods(), events: first.listEvents(), timeline: first.listTimeline('default', 'web') };
    first.close();

    const second = new SqliteStore(path, clock);
    expect(second.listPods()).toEqual(before.pods);
    expect(second.listEvents()).toEqual(before.events);
    expect(second.listTimeline('default', 'web')).toEqual(before.timeline);
    expect(second.getPod('default', 'web')).toEqual(terminating);
    expect(before.pods.resourceVersion).toBe(6);
    // The correlator still finds the event written before the restart.
    const third = second.recordEvent(anEvent('Killing', 'Stopping container app'));
    expect([third.metadata.name, third.count, third.metadata.resourceVersion]).toEqual([killing.metadata.name, 3, '7']);
    expect(second.createPod(aPod('later')).metadata.resourceVersion).toBe('8');
    second.close();
  });

  it('a watch resumes across a restart from an RV seen before it; the replay floor survives too', () => {
    const path = freshPath();
    const clock = new FakeClock();
    const first = new SqliteStore(path, clock, { replayWindow: 4 });
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f']) first.createPod(aPod(n));
    first.removePod('default', 'a', first.getPod('default', 'a')!.metadata.uid!);
    first.close();

    const second = new SqliteStore(path, clock, { replayWindow: 4 });
    const seen: WatchEvent<Pod>[] = [];
    second.watchPods(4, (e) => seen.push(e));
    expect(seen.map((e) => [e.type, e.object.metadata.name, e.resourceVersion])).toEqual([
      ['ADDED', 'e', 5],
      ['ADDED', 'f', 6],
      ['DELETED', 'a', 7],
    ]);
    expect(() => second.watchPods(2, () => undefined)).toThrow(new StoreError('Gone', 'too old resource version: 2 (3)'));
    second.createPod(aPod('g'));
    expect(seen.at(-1)?.resourceVersion).toBe(8);
    second.close();

    // A smaller window after a restart drops the surplus and raises the floor accordingly.
    const third = new SqliteStore(path, clock, { replayWindow: 2 });
    expect(() => third.watchPods(5, () => undefined)).toThrow(StoreError);
    const tail: WatchEvent<Pod>[] = [];
    third.watchPods(6, (e) => tail.push(e));
    expect(tail.map((e) => e.resourceVersion)).toEqual([7, 8]);
    third.close();
  });

  it('uses WAL and keeps the replay table bounded', () => {
    const path = freshPath();
    const store = new SqliteStore(path, new FakeClock(), { replayWindow: 10 });
    const created = store.createPod(aPod('web'));
    for (let i = 0; i < 50; i++) store.updatePodStatus('default', 'web', created.metadata.uid!, { phase: 'Running', message: `${i}` });
    for (let i = 0; i < 30; i++) store.recordEvent(anEvent('Pulled', `image ${i}`));
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const perKind = db.prepare('SELECT kind, count(*) AS n FROM changes GROUP BY kind ORDER BY kind').all();
    expect(perKind).toEqual([
      { kind: 'Event', n: 10 },
      { kind: 'Pod', n: 10 },
    ]);
    db.close();
  });

  it('a status update costs the same with 50 or 500 pods stored; a 500-pod list stays cheap', () => {
    // CPU time, not wall time: other test processes share the machine.
    const cpuMs = (fn: () => void): number => {
      const before = process.cpuUsage();
      fn();
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    };
    const statusUpdates = (pods: number, updates: number): { updateMs: number; listMs: number } => {
      const store = new SqliteStore(freshPath(), new FakeClock());
      const uids: string[] = [];
      for (let i = 0; i < pods; i++) uids.push(store.createPod(aPod(`pod-${i}`)).metadata.uid!);
      let watched = 0;
      store.watchPods(undefined, () => watched++);
      const updateMs = cpuMs(() => {
        for (let round = 0; round < updates; round++) {
          const i = round % pods;
          store.updatePodStatus('default', `pod-${i}`, uids[i]!, { phase: 'Running', message: `round ${round}` });
        }
      });
      const listMs = cpuMs(() => {
        for (let i = 0; i < 20; i++) expect(store.listPods().items).toHaveLength(pods);
      });
      store.close();
      expect(watched).toBe(updates);
      return { updateMs, listMs };
    };
    statusUpdates(50, 200); // warm-up: JIT and page cache
    const small = statusUpdates(50, 500);
    const large = statusUpdates(500, 500);
    // Measured here: ~90 ms for 500 updates either way, ~3.5 ms per 500-pod list. Re-reading
    // every stored pod on each write would make the large case 10× the small one.
    expect(large.updateMs).toBeLessThan(small.updateMs * 3 + 50);
    expect(large.updateMs).toBeLessThan(2000);
    expect(large.listMs / 20).toBeLessThan(50);
  });
});

describe('SqliteStore: files it cannot use', () => {
  it('a garbage file is a clear NotADatabase error, and the file is left as it was', () => {
    const path = freshPath();
    const garbage = 'this is not a database\n'.repeat(300);
    writeFileSync(path, garbage);
    const err = openError(() => new SqliteStore(path, new FakeClock()));
    expect(err.reason).toBe('NotADatabase');
    expect(err.message).toBe(`cannot open the hooklet store ${path}: the file is not an SQLite database`);
    expect(readFileSync(path, 'utf8')).toBe(garbage);
  });

  it('an SQLite database of another program is ForeignDatabase', () => {
    const path = freshPath();
    const other = new Database(path);
    other.exec('CREATE TABLE notes (body TEXT)');
    other.close();
    expect(openError(() => new SqliteStore(path, new FakeClock())).reason).toBe('ForeignDatabase');
  });

  it('a store from a newer hooklet is NewerSchema', () => {
    const path = freshPath();
    new SqliteStore(path, new FakeClock()).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const err = openError(() => new SqliteStore(path, new FakeClock()));
    expect(err.reason).toBe('NewerSchema');
    expect(err.message).toContain('upgrade hooklet');
  });

  it('a damaged store is Corrupt, not a crash', () => {
    const path = freshPath();
    const store = new SqliteStore(path, new FakeClock());
    for (let i = 0; i < 200; i++) store.createPod(aPod(`pod-${i}`));
    store.close();
    const bytes = readFileSync(path);
    // Keep the header page, scribble over the b-tree pages behind it.
    for (let i = 4096; i < bytes.length; i += 7) bytes[i] = 0xa5;
    writeFileSync(path, bytes);
    expect(openError(() => new SqliteStore(path, new FakeClock())).reason).toBe('Corrupt');
  });

  it('a second store on the same file is refused while the first holds it', () => {
    const path = freshPath();
    const first = new SqliteStore(path, new FakeClock());
    const err = openError(() => new SqliteStore(path, new FakeClock()));
    expect(err.reason).toBe('Locked');
    first.createPod(aPod('still-works'));
    first.close();
    const again = new SqliteStore(path, new FakeClock());
    expect(again.listPods().items).toHaveLength(1);
    again.close();
  });

  it('a path in a missing directory is CannotOpen', () => {
    expect(openError(() => new SqliteStore(join(dir, 'missing', 'x.db'), new FakeClock())).reason).toBe('CannotOpen');
  });
});
