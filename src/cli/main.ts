import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { parseServeArgs } from './serve-options.js';

/**
 * Each command's module, loaded only when it runs: `serve` alone pulls in
 * the API server, SQLite and TLS, and loading every command cost the daemon
 * ~0.2 s of its cold start (bench, figure 5).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./run/run-command.js')).runCommand(),
  serve: async () => (await import('./serve-command.js')).serveCommand(),
  lint: async () => (await import('./lint-command.js')).lintCommand(),
  timeline: async () => (await import('./timeline-command.js')).timelineCommand(),
};

/** Builds the `hooklet` program with the commands `argv` needs (all of them for help). */
export async function buildProgram(argv: string[] = []): Promise<Command> {
  const { Command } = await import('commander');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const program = new Command('hooklet')
    .description('A single-machine kubelet: run Pod manifests with exact lifecycle-hook semantics')
    .version(pkg.version)
    .showHelpAfterError()
    .exitOverride();
  const wanted = argv.slice(2).find((a) => !a.startsWith('-'));
  const names = wanted && wanted in COMMANDS ? [wanted] : Object.keys(COMMANDS);
  // Subcommands inherit exitOverride, so usage errors come back through main() as exit codes.
  for (const name of names) program.addCommand((await COMMANDS[name]!()).copyInheritedSettings(program));
  return program;
}

/** Entry point used by bin/hooklet.js; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  // The daemon's plain invocations skip commander: its load is a tenth of the cold start (bench figure 5).
  const serve = argv[2] === 'serve' ? parseServeArgs(argv.slice(3)) : undefined;
  if (serve) {
    await (await import('./run-serve.js')).runServe(serve);
    return exitCode();
  }
  const program = await buildProgram(argv);
  const { CommanderError } = await import('commander');
  try {
    await program.parseAsync(argv);
    return exitCode();
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
}

function exitCode(): number {
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
