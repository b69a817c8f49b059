// Compiles the bench's two small C programs (the workload app and the exit
// watcher) into the run's temp dir. The project already needs a C compiler
// for its shim, so the bench adds no new requirement.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = fileURLToPath(new URL('../native/', import.meta.url));

export function buildNatives(outDir) {
  const cc = process.env.CC || 'cc';
  const out = {};
  for (const [name, source] of [
    ['app', 'bench-app.c'],
    ['watcher', 'exit-watcher.c'],
  ]) {
    const target = join(outDir, `bench-${name}`);
    const r = spawnSync(cc, ['-O2', '-Wall', '-o', target, join(nativeDir, source)], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      throw new Error(`cannot compile bench/native/${source} with ${cc}: ${r.error?.message ?? r.stderr}`);
    }
    out[name] = target;
  }
  return out;
}
