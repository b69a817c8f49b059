import { Command, InvalidArgumentError, Option } from 'commander';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { RESTART_MOMENTS, type RestartMoment } from '../kubelet/restart-moment.js';
import { startDaemon } from '../server/daemon/start-daemon.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return n;
}

export function defaultDataDir(): string {
  return join(homedir(), '.hooklet');
}

/**
 * `hooklet serve`: the daemon. Runs until SIGTERM or SIGINT, then stops
 * serving and detaches the engine; containers keep running and are picked up
 * again by the next `hooklet serve` over the same data directory.
 */
export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the hooklet daemon: a Kubernetes API for kubectl on HTTPS, backed by a durable store and the engine')
    .option('--data-dir <dir>', 'state, certificates, token and kubeconfig (default: ~/.hooklet)')
    .option('--port <n>', 'HTTPS port; 0 picks a free one', port, 6443)
    .option('--address <addr>', 'address to bind', '127.0.0.1')
    .addOption(new Option('--restart-agent-during <moment>', 'debug fault injection: restart the engine in-process once at this moment').choices([...RESTART_MOMENTS]))
    .action(async (opts: { dataDir?: string; port: number; address: string; restartAgentDuring?: RestartMoment }) => {
      const dataDir = resolve(opts.dataDir ?? defaultDataDir());
      let daemon;
      try {
        daemon = await startDaemon({
          dataDir,
          port: opts.port,
          address: opts.address,
          ...(opts.restartAgentDuring ? { restartAgentDuring: opts.restartAgentDuring } : {}),
        });
      } catch (err) {
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(
        `hooklet serving on ${daemon.server} (node ${daemon.nodeName})\n` +
          `kubeconfig: ${daemon.kubeconfigPath}\n` +
          `export KUBECONFIG=${daemon.kubeconfigPath}\n`,
      );
      const signal = await new Promise<NodeJS.Signals>((done) => {
        process.once('SIGTERM', () => done('SIGTERM'));
        process.once('SIGINT', () => done('SIGINT'));
      });
      process.stdout.write(`hooklet: ${signal}, stopping (containers keep running)\n`);
      await daemon.stop();
      process.stdout.write('hooklet: stopped\n');
    });
}
