import type { Finding, Severity } from './finding.js';

/** Everything one `hooklet lint` run found. */
export interface LintReport {
  findings: Finding[];
  /** kubectl's rejection text for each Pod the API server would refuse. */
  rejections: { file: string; pod: string; text: string }[];
  files: number;
  pods: number;
}

/** `file:line:col rule-id severity path: message`, like a compiler. */
export function formatFinding(f: Finding): string {
  const where = f.line === undefined ? f.file : `${f.file}:${f.line}:${f.col ?? 1}`;
  return `${where} ${f.rule} ${f.severity} ${f.path ? `${f.path}: ` : ''}${f.message}`;
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** One line per finding, then kubectl's text for each rejected Pod, then a summary line. */
export function formatHuman(report: LintReport): string {
  const lines = report.findings.map(formatFinding);
  for (const r of report.rejections) {
    lines.push('', `${r.file}: kubectl would reject Pod ${JSON.stringify(r.pod)} with:`, r.text);
  }
  const c = countBySeverity(report.findings);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const scope = `in ${plural(report.files, 'file')} (${plural(report.pods, 'pod')})`;
  const total = c.error + c.warning + c.info;
  if (lines.length > 0) lines.push('');
  lines.push(total === 0 ? `no findings ${scope}` : `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info ${scope}`);
  return lines.join('\n') + '\n';
}

/** `-o json`: an array of findings with every key present (line and col null when unknown). */
export function formatJson(findings: Finding[]): string {
  const rows = findings.map((f) => ({
    file: f.file,
    line: f.line ?? null,
    col: f.col ?? null,
    rule: f.rule,
    severity: f.severity,
    path: f.path,
    message: f.message,
  }));
  return JSON.stringify(rows, null, 2) + '\n';
}
