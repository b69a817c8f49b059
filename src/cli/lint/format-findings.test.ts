import { describe, expect, it } from 'vitest';
import type { Finding } from './finding.js';
import { formatFinding, formatHuman, formatJson } from './format-findings.js';

const rule: Finding = {
  file: 'pod.yaml',
  line: 12,
  col: 9,
  rule: 'lifecycle-tcp-socket',
  severity: 'error',
  path: 'spec.containers[0].lifecycle.preStop.tcpSocket',
  message: 'A tcpSocket handler passes validation but always fails when it runs, so this preStop hook never does anything.',
};
const fileLevel: Finding = { file: 'big.yaml', rule: 'input-limit', severity: 'error', path: '', message: 'file too large' };

describe('formatFinding', () => {
  it('prints file:line:col rule-id severity path: message', () => {
    expect(formatFinding(rule)).toBe(
      'pod.yaml:12:9 lifecycle-tcp-socket error spec.containers[0].lifecycle.preStop.tcpSocket: A tcpSocket handler passes validation but always fails when it runs, so this preStop hook never does anything.',
    );
  });

  it('leaves out what is unknown', () => {
    expect(formatFinding(fileLevel)).toBe('big.yaml input-limit error file too large');
  });
});

describe('formatHuman', () => {
  it('lists findings, the kubectl rejections, then a summary', () => {
    const text = formatHuman({
      findings: [rule, { ...rule, rule: 'https-hook-unverified', severity: 'info' }, { ...rule, severity: 'warning', rule: 'x' }],
      rejections: [{ file: 'pod.yaml', pod: 'web', text: 'The Pod "web" is invalid: spec.containers[0].image: Required value' }],
      files: 2,
      pods: 1,
    });
    expect(text.split('\n').slice(3)).toEqual([
      '',
      'pod.yaml: kubectl would reject Pod "web" with:',
      'The Pod "web" is invalid: spec.containers[0].image: Required value',
      '',
      '1 error, 1 warning, 1 info in 2 files (1 pod)',
      '',
    ]);
  });

  it('says when there is nothing to report', () => {
    expect(formatHuman({ findings: [], rejections: [], files: 1, pods: 2 })).toBe('no findings in 1 file (2 pods)\n');
  });
});

describe('formatJson', () => {
  it('writes every key of every finding, null where unknown', () => {
    expect(JSON.parse(formatJson([rule, fileLevel]))).toEqual([
      { file: 'pod.yaml', line: 12, col: 9, rule: 'lifecycle-tcp-socket', severity: 'error', path: rule.path, message: rule.message },
      { file: 'big.yaml', line: null, col: null, rule: 'input-limit', severity: 'error', path: '', message: 'file too large' },
    ]);
  });
});
