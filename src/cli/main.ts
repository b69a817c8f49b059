import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

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
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
}
