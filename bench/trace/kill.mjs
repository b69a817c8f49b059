// N pods that ignore SIGTERM (grace 1 s → 2 s floor): where does a late SIGKILL come from? Uses hooklet's own timeline.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { HookletEngine } from '../lib/hooklet-engine.mjs';
const dir = mkdtempSync(join(tmpdir(), 'hooklet-trace-'));
const engine = await HookletEngine.start({ workDir: dir, store: 'memory' });
try {
  const n = Number(process.argv[2] ?? 500);
  const names = Array.from({ length: n }, (_, i) => `k-${i}`);
  const pods = names.map((name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'x', command: ['/bin/sh', '-c', 'trap "" TERM; while :; do sleep 100; done'], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'true'] } }, preStop: { exec: { command: ['sh', '-c', 'true'] } } } }] } }));
  const running = engine.allRunning(names);
  const uids = engine.create(pods);
  await running;
  const t0 = engine.timeline.length;
  await engine.deleteAll(names, uids);
  const tl = engine.timeline.slice(t0);
  const by = new Map();
  for (const e of tl) { if (!e.container) continue; const k = e.pod; if (!by.has(k)) by.set(k, {}); by.get(k)[e.what] ??= e.timeMs; }
  const late = [...by.values()].filter((v) => v['stop.signal'] && v.sigkill).map((v) => v.sigkill - v['stop.signal'] - 2000).sort((a, b) => a - b);
  const exitAfterKill = [...by.values()].filter((v) => v.exited && v.sigkill).map((v) => v.exited - v.sigkill).sort((a, b) => a - b);
  const q = (a, p) => a[Math.min(a.length - 1, Math.floor(a.length * p))]?.toFixed(1);
  console.log(`shim SIGKILL − (stop.signal + 2 s): n=${late.length} median ${q(late, 0.5)} p95 ${q(late, 0.95)} max ${q(late, 1)} min ${q(late,0)} ms`);
  console.log(`exited − sigkill (shim's view): median ${q(exitAfterKill, 0.5)} p95 ${q(exitAfterKill, 0.95)}`);
  const ss = [...by.values()].map((v) => v['stop.signal']).filter(Boolean).sort((a, b) => a - b);
  console.log(`stop signals spread over ${(ss.at(-1) - ss[0]).toFixed(0)} ms`);
} finally {
  // Whatever the run got to, every container it started is stopped and removed (by the runtime's verified pids).
  for (const c of await engine.runtime.list()) await engine.runtime.remove(c.id).catch(() => undefined);
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
