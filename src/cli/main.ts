import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { lintCommand } from './lint-command.js';
import { runCommand } from './run/run-command.js';
import { serveCommand } from './serve-command.js';
import { timelineCommand } from './timeline-command.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Builds the `hooklet` program; each command lives in its own module. */
export function buildProgram(): Command {
  const program = new Command('hooklet')
    .description('A single-machine kubelet: run Pod manifests with exact lifecycle-hook semantics')
    .version(pkg.version)
    .showHelpAfterError()
    .exitOverride();
  // Subcommands inherit exitOverride, so usage errors come back through main() as exit codes.
  for (const cmd of [runCommand(), serveCommand(), lintCommand(), timelineCommand()]) {
    program.addCommand(cmd.copyInheritedSettings(program));
  }
  return program;
}

/** Entry point used by bin/hooklet.js; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
}
