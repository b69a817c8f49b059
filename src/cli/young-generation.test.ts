import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'hooklet-young-gen-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The flag is process-wide, so it is set in a child process (Node 20 cannot
 * run TypeScript: the module is transpiled for it), which then allocates
 * objects that survive a few scavenges and reports the young generation's size.
 */
function youngGenerationAfterChurn(cap: boolean, nodeArgs: string[] = []): number {
  const module = join(work, 'young-generation.mjs');
  writeFileSync(
    module,
    ts.transpileModule(readFileSync(join(here, 'young-generation.ts'), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText,
  );
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { capYoungGeneration } from ${JSON.stringify(module)};
    const size = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    if (${cap}) capYoungGeneration();
    let keep = [];
    for (let i = 0; i < 1_000_000; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 20_000) keep = []; }
    process.stdout.write(String(size()));`;
  return Number(execFileSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], { encoding: 'utf8' }));
}

describe('capYoungGeneration', () => {
  it('keeps the young generation as small as --max-semi-space-size=1 did, where it would otherwise grow', () => {
    const flag = youngGenerationAfterChurn(false, ['--max-semi-space-size=1']);
    expect(youngGenerationAfterChurn(false)).toBeGreaterThan(flag);
    expect(youngGenerationAfterChurn(true)).toBeLessThanOrEqual(flag);
  });
});
