#!/usr/bin/env node
// Compiles the process runtime's helpers: native/hooklet-shim.c and its
// shim-*.c to build/hooklet-shim (the per-container process), and
// native/hooklet-spawner.c and spawn-path.c to build/hooklet-spawner (starts
// processes so the agent never forks). Skips a compile when the binary is
// newer than every source and header it is built from. Honours $CC.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

if (process.platform !== 'linux') {
  console.error(`build-shim: skipped on ${process.platform}; the process runtime's shim needs Linux.`);
  process.exit(0);
}

const cc = process.env.CC || 'cc';
const native = (name) => join(root, 'native', name);
const shim = {
  sources: ['hooklet-shim.c', 'shim-common.c', 'shim-run.c', 'shim-stop.c', 'shim-exec.c', 'shim-watch.c'].map(native),
  headers: ['shim-common.h', 'shim-modes.h', 'shim-stop.h'].map(native),
};
compile(shim.sources, shim.headers, join(root, 'build', 'hooklet-shim'));
// The spawner carries all of the shim's code too, to fork shims instead of exec'ing them (native/shim-fork.c).
compile(
  [...['hooklet-spawner.c', 'spawn-path.c', 'shim-fork.c'].map(native), ...shim.sources],
  [...['spawn-path.h', 'shim-fork.h'].map(native), ...shim.headers],
  join(root, 'build', 'hooklet-spawner'),
  ['-DHOOKLET_SHIM_IN_SPAWNER'],
);

function compile(sources, headers, output, defines = []) {
  const built = mtimeMs(output);
  const inputs = [...sources, ...headers];
  if (built !== undefined && inputs.every((s) => built >= (mtimeMs(s) ?? Infinity))) return;
  const source = sources.join(' ');
  mkdirSync(dirname(output), { recursive: true });
  // Several test workers may build at once: compile to a private name, then rename.
  const temp = `${output}.${process.pid}.tmp`;
  // Static where the C library allows it: these binaries are exec'd for every
  // container and every exec hook, and a static exec skips the dynamic loader
  // (about 200 µs of CPU each, measured). Without a static libc, link dynamically.
  let result = spawnSync(cc, ['-O2', '-Wall', '-static', ...defines, '-o', temp, ...sources], { stdio: ['ignore', 'inherit', 'pipe'] });
  if (result.status !== 0 && !result.error) result = spawnSync(cc, ['-O2', '-Wall', ...defines, '-o', temp, ...sources], { stdio: 'inherit' });
  else if (result.stderr?.length) process.stderr.write(result.stderr);
  if (result.error) {
    rmSync(temp, { force: true });
    if (result.error.code === 'ENOENT') {
      console.error(
        `build-shim: no C compiler found (tried "${cc}"). hooklet's process runtime needs a small ` +
          'compiled helper: install a C compiler (Debian/Ubuntu: apt-get install gcc; Alpine: apk add gcc musl-dev) ' +
          'or set CC, then run npm run build again.',
      );
    } else {
      console.error(`build-shim: could not run "${cc}": ${result.error.message}`);
    }
    process.exit(1);
  }
  if (result.status !== 0) {
    rmSync(temp, { force: true });
    console.error(`build-shim: "${cc}" failed to compile ${source} (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
  renameSync(temp, output);
  console.error(`build-shim: built ${output}`);
}
