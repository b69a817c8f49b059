#!/usr/bin/env node
// Bundles the code path of `hooklet serve` (dist/cli/main.js and everything
// it loads for serve) into dist/serve-bundle/, run by `npm run build` after
// tsc. bin/hooklet.js runs serve from it: loading ~170 small ESM files
// (resolution, reads, one compile each) was a fifth of the daemon's cold
// start (bench figure 5). Packages (better-sqlite3's addon, ws, yaml,
// commander) and Node's own modules stay external.
//
// Split, not one file: a single file hoists every Node module the engine
// uses (http2, child_process, …) and its parse ahead of the listen, which
// measured slower to the first kubectl answer. The entry chunk holds what
// comes before the kubeconfig is printed; the API, pod admission and engine
// chunks load behind it, as dist/ loads them (dynamic imports).
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RolldownMagicString, rolldown } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outDir = join(dist, 'serve-bundle');
const main = join(dist, 'cli', 'main.js');
/** What main.js loads for `hooklet serve`; its other commands stay in dist/ (bin only comes here for serve). */
const SERVE_IMPORTS = new Set(['./run-serve.js', './serve-command.js']);
/** Modules that must be inside the bundle, or it would quietly run serve from dist/. */
const MUST_BUNDLE = ['cli/run-serve.js', 'server/daemon/start-daemon.js', 'server/api-endpoints.js', 'server/daemon/start-engine.js'];

if (!existsSync(main)) {
  console.error('bundle-serve: dist/cli/main.js is missing; run tsc first (npm run build does).');
  process.exit(1);
}

/** `path` (a dist/ file) as a specifier relative to the bundle's directory. */
const fromBundle = (path) => relative(outDir, path).split(sep).join('/');

const build = await rolldown({
  input: { serve: main },
  platform: 'node',
  // Only our own files are bundled: bare specifiers are packages or Node's modules.
  external: (id) => !id.startsWith('.') && !isAbsolute(id),
  logLevel: 'warn',
  onLog(level, log, handler) {
    // Warnings fail the build: a bundle that differs from dist/ in behaviour must not ship quietly.
    if (level === 'warn') handler('error', log);
    else handler(level, log);
  },
  plugins: [
    {
      name: 'hooklet-serve-only',
      resolveId(source, importer, extra) {
        if (importer !== main || extra.kind !== 'dynamic-import' || !source.startsWith('.') || SERVE_IMPORTS.has(source)) return null;
        return { id: fromBundle(join(dirname(main), source)), external: true };
      },
    },
    {
      name: 'hooklet-dist-sourcemaps',
      // tsc's maps come along, so the bundle's map points at src/*.ts.
      load(id) {
        if (!id.startsWith(dist + sep) || !id.endsWith('.js')) return null;
        const code = readFileSync(id, 'utf8');
        const mapPath = `${id}.map`;
        return existsSync(mapPath) ? { code, map: readFileSync(mapPath, 'utf8') } : { code };
      },
    },
    {
      name: 'hooklet-original-import-meta-url',
      // Paths next to a module (build/hooklet-shim, package.json, createRequire)
      // are computed from its import.meta.url: keep them those of its dist/ file.
      transform(code, id) {
        if (!code.includes('import.meta.url')) return null;
        const s = new RolldownMagicString(code);
        s.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle(id))}, import.meta.url).href`);
        return { code: s };
      },
    },
  ],
});

// Written beside, then renamed over the old files one by one: a daemon starting
// meanwhile (tests, other builds) never reads half a file.
const tmpDir = `${outDir}.${process.pid}.tmp`;
rmSync(tmpDir, { recursive: true, force: true });
let output;
try {
  ({ output } = await build.write({
    dir: tmpDir,
    format: 'esm',
    entryFileNames: '[name].mjs',
    chunkFileNames: '[name].mjs',
    sourcemap: true,
  }));
} finally {
  await build.close();
}
const bundled = new Set(output.flatMap((o) => (o.type === 'chunk' ? o.moduleIds : [])).map((id) => relative(dist, id).split(sep).join('/')));
const missing = MUST_BUNDLE.filter((m) => !bundled.has(m));
if (missing.length > 0) {
  rmSync(tmpDir, { recursive: true, force: true });
  console.error(`bundle-serve: ${missing.join(', ')} not in the bundle; is SERVE_IMPORTS in scripts/bundle-serve.mjs still what main.ts loads for serve?`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
const written = new Set(readdirSync(tmpDir));
// Chunks first, the entry last: the entry is what makes bin/hooklet.js use the bundle.
for (const f of [...written].sort((a, b) => Number(a === 'serve.mjs') - Number(b === 'serve.mjs'))) renameSync(join(tmpDir, f), join(outDir, f));
for (const f of readdirSync(outDir)) if (!written.has(f)) rmSync(join(outDir, f), { force: true });
rmSync(tmpDir, { recursive: true, force: true });
