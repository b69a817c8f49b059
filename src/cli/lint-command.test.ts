import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { lintCommand, runLint, type LintOptions } from './lint-command.js';

const dir = mkdtempSync(join(tmpdir(), 'hooklet-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function lint(files: string[], options: Partial<LintOptions> = {}) {
  let stdout = '';
  const code = await runLint(files, { output: 'text', strict: false, ...options }, { stdout: (t) => (stdout += t) });
  return { code, stdout: stdout.split(dir + '/').join('') };
}

const clean = file(
  'clean.yaml',
  `apiVersion: v1
kind: Pod
metadata: {name: clean}
spec:
  containers:
  - name: app
    image: nginx
    lifecycle:
      preStop: {sleep: {seconds: 5}}
`,
);

const hooks = file(
  'hooks.yaml',
  `apiVersion: v1
kind: Pod
metadata:
  name: hooks
spec:
  terminationGracePeriodSeconds: 10
  containers:
  - name: app
    image: nginx
    lifecycle:
      preStop:
        exec: {command: [sleep, "10"]}
`,
);

const broken = file(
  'broken.yaml',
  `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    lifecycle:
      postStart:
        tcpSocket: {port: 80}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
---
apiVersion: v1
kind: Pod
metadata: {name: strict}
spec:
  foo: 1
`,
);

describe('hooklet lint (runLint)', () => {
  it('prints compiler-style lines, the kubectl rejection, and a summary; exits 1 on errors', async () => {
    const { code, stdout } = await lint([broken]);
    expect(stdout).toBe(
      [
        'broken.yaml:7:5 validation error spec.containers[0].image: Required value',
        'broken.yaml:10:9 lifecycle-tcp-socket error spec.containers[0].lifecycle.postStart.tcpSocket: A tcpSocket handler passes validation but always fails when it runs, so the kubelet kills the container right after it starts.',
        'broken.yaml:13:1 unsupported-kind error document 2: kind "Service" is not supported: hooklet runs Pods',
        'broken.yaml:20:3 strict-decoding error Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"',
        '',
        'broken.yaml: kubectl would reject Pod "web" with:',
        'The Pod "web" is invalid: spec.containers[0].image: Required value',
        '',
        '4 errors, 0 warnings, 0 info in 1 file (1 pod)',
        '',
      ].join('\n'),
    );
    expect(code).toBe(1);
  });

  it('exits 0 with only warnings and info, and 1 with --strict', async () => {
    const relaxed = await lint([hooks]);
    expect(relaxed.stdout).toBe(
      [
        'hooks.yaml:12:16 prestop-uses-whole-grace warning spec.containers[0].lifecycle.preStop.exec.command: The preStop hook sleeps 10 s, the whole 10 s grace period, so the container gets its stop signal only 2 s before it is killed.',
        'hooks.yaml:12:16 prefer-native-sleep info spec.containers[0].lifecycle.preStop.exec.command: Use `sleep: {seconds: 10}` instead of running sleep in the container: it works in images without a sleep binary or shell.',
        '',
        '0 errors, 1 warning, 1 info in 1 file (1 pod)',
        '',
      ].join('\n'),
    );
    expect(relaxed.code).toBe(0);
    expect((await lint([hooks], { strict: true })).code).toBe(1);
  });

  it('exits 0 on a clean file', async () => {
    expect(await lint([clean], { strict: true })).toEqual({ code: 0, stdout: 'no findings in 1 file (1 pod)\n' });
  });

  it('-o json writes an array of findings with file, line, col, rule, severity, path, message', async () => {
    const { code, stdout } = await lint([clean, hooks], { output: 'json' });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      {
        file: 'hooks.yaml',
        line: 12,
        col: 16,
        rule: 'prestop-uses-whole-grace',
        severity: 'warning',
        path: 'spec.containers[0].lifecycle.preStop.exec.command',
        message: 'The preStop hook sleeps 10 s, the whole 10 s grace period, so the container gets its stop signal only 2 s before it is killed.',
      },
      {
        file: 'hooks.yaml',
        line: 12,
        col: 16,
        rule: 'prefer-native-sleep',
        severity: 'info',
        path: 'spec.containers[0].lifecycle.preStop.exec.command',
        message: 'Use `sleep: {seconds: 10}` instead of running sleep in the container: it works in images without a sleep binary or shell.',
      },
    ]);
  });

  it('reports an unreadable file as an error', async () => {
    const missing = join(dir, 'missing.yaml');
    const { code, stdout } = await lint([missing, clean]);
    expect(code).toBe(1);
    expect(stdout.split('\n')[0]).toBe('missing.yaml read-error error the path "missing.yaml" does not exist');
  });

  it('lints the shipped examples as documented', async () => {
    const examples = new URL('../../examples/lint/', import.meta.url).pathname;
    const good = await lint([`${examples}good-hooks.yaml`], { strict: true });
    expect(good.code).toBe(0);
    const bad = await lint([`${examples}bad-hooks.yaml`], { output: 'json' });
    const rules = (JSON.parse(bad.stdout) as { rule: string }[]).map((f) => f.rule);
    expect(new Set(rules)).toEqual(
      new Set([
        'poststart-delays-start',
        'prestop-not-run-on-exit',
        'prestop-uses-whole-grace',
        'prefer-native-sleep',
        'lifecycle-tcp-socket',
        'http-hook-unknown-port',
        'https-hook-unverified',
      ]),
    );
    const invalid = await lint([`${examples}invalid.yaml`]);
    expect(invalid.stdout).toContain('The Pod "invalid" is invalid: \n* spec.containers[0].image: Required value\n');
  });
});

describe('lintCommand (commander)', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  function program(): { prog: Command; out: () => string } {
    let out = '';
    const prog = new Command('hooklet').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
    // main.ts's program uses exitOverride; a command added with addCommand takes it over explicitly.
    prog.addCommand(lintCommand().copyInheritedSettings(prog));
    return { prog, out: () => out };
  }

  it('sets the exit code from the findings', async () => {
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (writes.push(s), true)) as typeof process.stdout.write;
    try {
      await program().prog.parseAsync(['lint', '--strict', '-o', 'json', hooks], { from: 'user' });
    } finally {
      process.stdout.write = original;
    }
    expect(process.exitCode).toBe(1);
    expect(JSON.parse(writes.join(''))).toHaveLength(2);
  });

  it('rejects an unknown output format and a missing file argument', async () => {
    const p = program();
    await expect(p.prog.parseAsync(['lint', '-o', 'yaml', clean], { from: 'user' })).rejects.toThrow();
    expect(p.out()).toContain("error: option '-o, --output <format>' argument 'yaml' is invalid. Allowed choices are text, json.");
    await expect(program().prog.parseAsync(['lint'], { from: 'user' })).rejects.toThrow(/missing required argument 'file'/);
  });

  it('has help text for hooklet --help', () => {
    expect(lintCommand().description()).toMatch(/^Check Pod manifests/);
  });
});
