// One pod at a time through the in-process engine; prints where the time goes (timeline offsets from create).
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { HookletEngine } from '../lib/hooklet-engine.mjs';
const dir = mkdtempSync(join(tmpdir(), 'hooklet-trace-'));
const engine = await HookletEngine.start({ workDir: dir, store: 'memory' });
try {
  const n = Number(process.argv[2] ?? 30);
  const rows = [];
  for (let i = 0; i < n; i++) {
    const name = `one-${i}`;
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'x', command: ['/bin/sleep', '100'], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'true'] } }, preStop: { exec: { command: ['sh', '-c', 'true'] } } } }] } };
    const t0 = performance.now();
    const running = engine.allRunning([name]);
    const startTl = engine.timeline.length;
    const [uid] = engine.create([pod]);
    await running;
    const t1 = performance.now();
    const wall0 = performance.timeOrigin + t0;
    rows.push({ total: t1 - t0, tl: engine.timeline.slice(startTl).map((e) => `${e.what}@${(e.timeMs - wall0).toFixed(2)}`).join(' ') });
    await engine.deleteAll([name], [uid]);
  }
  const totals = rows.map((r) => r.total).sort((a, b) => a - b);
  console.log('median', totals[Math.floor(n / 2)].toFixed(2), 'p90', totals[Math.floor(n * 0.9)].toFixed(2));
  for (const r of rows.slice(-6)) console.log(r.total.toFixed(2), r.tl);
} finally {
  // Whatever the run got to, every container it started is stopped and removed (by the runtime's verified pids).
  for (const c of await engine.runtime.list()) await engine.runtime.remove(c.id).catch(() => undefined);
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
