// Until `serve` and `timeline` are registered in src/cli/main.ts, the e2e
// tests start the built commands through this tiny program.
import { Command } from 'commander';
import { serveCommand } from '../../../dist/cli/serve-command.js';
import { timelineCommand } from '../../../dist/cli/timeline-command.js';

const program = new Command('hooklet').addCommand(serveCommand()).addCommand(timelineCommand());
await program.parseAsync(process.argv);
