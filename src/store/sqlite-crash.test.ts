import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreEvent, Pod } from '../api/types.js';
import { FakeClock } from '../clock/fake-clock.js';
import { SqliteStore } from './sqlite-store.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const work = mkdtempSync(join(tmpdir(), 'hooklet-sqlite-crash-'));
const children = new Set<number>();

/**
 * Node 20 cannot run TypeScript, so the store and the writer are transpiled
 * (no type check: tsc does that) into a scratch tree that resolves
 * better-sqlite3 through a node_modules link.
 */
function buildWriter(): string {
  const out = join(work, 'build');
  for (const folder of ['src/store', 'src/clock', 'src/api']) {
    mkdirSync(join(out, folder), { recursive: true });
    for (const file of readdirSync(join(repo, folder))) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.endsWith('.case.ts')) continue;
      const js = ts.transpileModule(readFileSync(join(repo, folder, file), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      }).outputText;
      writeFileSync(join(out, folder, file.replace(/\.ts$/, '.js')), js);
    }
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  symlinkSync(join(repo, 'node_modules'), join(out, 'node_modules'), 'dir');
  return join(out, 'src/store/crash-writer.fixture.js');
}

interface Report {
  created: Set<string>;
  steps: Map<string, number>;
  deleted: Map<string, boolean>;
}

/** Starts the writer and SIGKILLs it `delayMs` after it is ready, then reads what it reported as committed. */
function runAndKill(
  writer: string,
  dbPath: string,
  runId: number,
  delayMs: number,
): Promise<{ report: Report; stderr: string }> {
  const reportPath = join(work, `report-${runId}.txt`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [writer, dbPath, reportPath, String(runId)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid!;
    children.add(pid);
    let stderr = '';
    child.stdout.once('data', () => setTimeout(() => process.kill(pid, 'SIGKILL'), delayMs));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      children.delete(pid);
      if (signal !== 'SIGKILL') reject(new Error(`writer ended by itself (code ${code}): ${stderr}`));
      else resolvePromise({ report: readReport(reportPath), stderr });
    });
  });
}

function readReport(path: string): Report {
  const report: Report = { created: new Set(), steps: new Map(), deleted: new Map() };
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.pop(); // empty, or a line cut by the kill
  for (const line of lines) {
    const [what, name, value] = line.split(' ');
    if (what === 'created') report.created.add(name!);
    else if (what === 'step') report.steps.set(name!, Number(value));
    else if (what === 'deleted') report.deleted.set(name!, value === 'true');
  }
  return report;
}

/** Every row must parse and agree with its indexed columns; the counter must be ahead of every row. */
function checkRaw(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    const counter = db.prepare("SELECT value FROM meta WHERE key = 'rv'").pluck().get() as number;
    const objects = db.prepare('SELECT kind, namespace, name, uid, rv, json FROM objects').all() as {
      kind: string;
      namespace: string;
      name: string;
      uid: string;
      rv: number;
      json: string;
    }[];
    for (const row of objects) {
      const obj = JSON.parse(row.json) as Pod | CoreEvent;
      expect(obj.metadata).toMatchObject({ name: row.name, namespace: row.namespace, uid: row.uid, resourceVersion: String(row.rv) });
      expect(row.rv).toBeLessThanOrEqual(counter);
    }
    const changes = db.prepare('SELECT rv, json FROM changes').all() as { rv: number; json: string }[];
    for (const row of changes) {
      expect((JSON.parse(row.json) as Pod).metadata.resourceVersion).toBe(String(row.rv));
      expect(row.rv).toBeLessThanOrEqual(counter);
    }
    for (const json of db.prepare('SELECT json FROM timeline').pluck().all() as string[]) JSON.parse(json);
    return counter;
  } finally {
    db.close();
  }
}

/** The pods whose removal the store recorded (their DELETED change is in the replay window). */
function recordedRemovals(dbPath: string): Set<string> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const removed = db.prepare("SELECT json FROM changes WHERE kind = 'Pod' AND type = 'DELETED'").pluck().all() as string[];
    return new Set(removed.map((json) => (JSON.parse(json) as Pod).metadata.name!));
  } finally {
    db.close();
  }
}

describe('SqliteStore: SIGKILL during writes', () => {
  let writer: string;
  beforeAll(() => {
    writer = buildWriter();
  });
  afterAll(() => {
    for (const pid of children) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('a writer killed at random moments never loses a committed write nor leaves a half-written object', async () => {
    const dbPath = join(work, 'crash.db');
    let lastCounter = 0;
    const kills: number[] = [];
    for (let run = 0; run < 6; run++) {
      const delayMs = Math.floor(Math.random() * 150);
      kills.push(delayMs);
      const { report, stderr } = await runAndKill(writer, dbPath, run, delayMs);
      expect(stderr, `run ${run} (killed ${delayMs} ms after ready)`).toBe('');

      const counter = checkRaw(dbPath);
      const removals = recordedRemovals(dbPath);
      expect(counter).toBeGreaterThanOrEqual(lastCounter);
      lastCounter = counter;

      const store = new SqliteStore(dbPath, new FakeClock());
      try {
        const eventsByPod = new Map<string, CoreEvent[]>();
        for (const e of store.listEvents().items) {
          const name = e.involvedObject.name!;
          eventsByPod.set(name, [...(eventsByPod.get(name) ?? []), e]);
        }
        const lastCreated = [...report.created].at(-1);
        for (const name of report.created) {
          const pod = store.getPod('default', name);
          const removed = report.deleted.get(name);
          if (removed === true) {
            expect(pod, `${name} was removed`).toBeUndefined();
            continue;
          }
          // The kill may land between the commit of the last pod's delete and its report line.
          if (pod === undefined && name === lastCreated && report.steps.get(name) === 5 && removals.has(name)) continue;
          expect(pod, `${name} was reported created (run ${run}, kills ${kills.join(',')})`).toBeDefined();
          if (removed === false) expect(pod!.metadata.deletionGracePeriodSeconds).toBe(30);
          const step = report.steps.get(name) ?? 0;
          if (step === 0) continue;
          // A later step may have committed without being reported; an earlier one cannot be missing.
          expect(Number(pod!.status?.message?.split(' ')[1])).toBeGreaterThanOrEqual(step);
          const events = eventsByPod.get(name) ?? [];
          expect(events).toHaveLength(1);
          expect(events[0]!.count).toBeGreaterThanOrEqual(step);
          expect(store.listTimeline('default', name).length).toBeGreaterThanOrEqual(step);
        }
        // The counter carries on above everything that was written.
        expect(store.createPod({ metadata: { name: `probe-${run}` }, spec: { containers: [] } }).metadata.resourceVersion).toBe(
          String(counter + 1),
        );
        lastCounter = counter + 1;
      } finally {
        store.close();
      }
    }
  });
});
