import { Command, InvalidArgumentError, Option } from 'commander';
import { RESTART_MOMENTS } from '../kubelet/restart-moment.js';
import { runServe } from './run-serve.js';
import { SERVE_DEFAULTS, type ServeOptions } from './serve-options.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return n;
}

/**
 * `hooklet serve`: the daemon (runServe). main() reads plain invocations
 * with parseServeArgs and comes here for help and errors; both give the
 * same options. `action` is replaceable for that comparison.
 */
export function serveCommand(action: (opts: ServeOptions) => Promise<void> = runServe): Command {
  return new Command('serve')
    .description('Run the hooklet daemon: a Kubernetes API for kubectl on HTTPS, backed by a durable store and the engine')
    .option('--data-dir <dir>', 'state, certificates, token and kubeconfig (default: ~/.hooklet)')
    .option('--port <n>', 'HTTPS port; 0 picks a free one', port, SERVE_DEFAULTS.port)
    .option('--address <addr>', 'address to bind', SERVE_DEFAULTS.address)
    .addOption(new Option('--restart-agent-during <moment>', 'debug fault injection: restart the engine in-process once at this moment').choices([...RESTART_MOMENTS]))
    .action(action);
}
