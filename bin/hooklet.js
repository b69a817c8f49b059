#!/usr/bin/env node
import { statSync } from 'node:fs';

// No V8 flags on the shebang line: any of them makes Node reject the code
// cache of its own modules, ~35 ms more for every start of the daemon (serve
// and run cap the young generation at run time: src/cli/young-generation.ts).
const dist = new URL('../dist/cli/main.js', import.meta.url);
const bundle = new URL('../dist/serve-bundle/serve.mjs', import.meta.url);

/** `npm run build` bundles serve's code (scripts/bundle-serve.mjs); a bundle older than dist/ is stale. */
function bundleIsCurrent() {
  try {
    return statSync(bundle).mtimeMs >= statSync(dist).mtimeMs;
  } catch {
    return false;
  }
}

const { main } = await import((process.argv[2] === 'serve' && bundleIsCurrent() ? bundle : dist).href);
main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.stack ?? err.message : String(err)); process.exitCode = 2; },
);
