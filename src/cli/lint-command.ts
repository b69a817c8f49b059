import { Command, Option } from 'commander';
import type { LoadError } from '../api/load/load-error.js';
import { loadManifestFile } from '../api/load/load-manifests.js';
import type { Finding } from './lint/finding.js';
import { countBySeverity, formatHuman, formatJson, type LintReport } from './lint/format-findings.js';
import { lintPod } from './lint/lint-pod.js';

export interface LintOptions {
  /** `text` (compiler-style lines) or `json`. */
  output: 'text' | 'json';
  /** Warnings fail the run too. */
  strict: boolean;
}

/** Where `hooklet lint` writes its report; tests capture it. */
export interface LintIo {
  stdout(text: string): void;
}

/** Rule ids of the findings made from load errors, by LoadError reason. */
const loadRule: Record<LoadError['reason'], string> = {
  read: 'read-error',
  parse: 'parse-error',
  limit: 'input-limit',
  kind: 'unsupported-kind',
  strict: 'strict-decoding',
  type: 'wrong-type',
  internal: 'internal-error',
};

/**
 * Lints manifest files and writes the report; resolves with the exit code:
 * 1 when there are errors (or warnings with `strict`), 0 otherwise.
 */
export async function runLint(files: string[], options: LintOptions, io: LintIo): Promise<number> {
  const report: LintReport = { findings: [], rejections: [], files: files.length, pods: 0 };
  for (const file of files) {
    const loaded = await loadManifestFile(file);
    const findings: Finding[] = loaded.errors.map((e) => ({
      file,
      ...(e.line === undefined ? {} : { line: e.line, col: e.col ?? 1 }),
      rule: loadRule[e.reason],
      severity: 'error',
      path: '',
      message: e.message,
    }));
    for (const pod of loaded.pods) {
      const result = lintPod(pod);
      findings.push(...result.findings);
      if (result.invalid) report.rejections.push({ file, pod: pod.pod.metadata.name ?? '', text: result.invalid });
    }
    report.pods += loaded.pods.length;
    // Stable: findings on one line keep the order validation and the rules produced them in.
    findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
    report.findings.push(...findings);
  }
  io.stdout(options.output === 'json' ? formatJson(report.findings) : formatHuman(report));
  const counts = countBySeverity(report.findings);
  return counts.error > 0 || (options.strict && counts.warning > 0) ? 1 : 0;
}

/** `hooklet lint FILE...` (commander 14). */
export function lintCommand(): Command {
  return new Command('lint')
    .description('Check Pod manifests: API validation as kubectl shows it, plus lifecycle-hook advice')
    .argument('<file...>', 'YAML or JSON manifests (several documents and kind: List allowed)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--strict', 'exit with 1 on warnings too', false)
    .action(async (files: string[], opts: { output: 'text' | 'json'; strict: boolean }) => {
      process.exitCode = await runLint(files, opts, { stdout: (t) => process.stdout.write(t) });
    });
}
