import { resolve } from 'node:path';
import { startDaemon } from '../server/daemon/start-daemon.js';
import { defaultDataDir } from './default-data-dir.js';
import type { ServeOptions } from './serve-options.js';
import { capYoungGeneration } from './young-generation.js';

/**
 * `hooklet serve`'s body: starts the daemon, prints where its kubeconfig is,
 * and runs until SIGTERM or SIGINT (or until the engine fails to start);
 * then stops serving and detaches the engine. Containers keep running and
 * are picked up again by the next `hooklet serve` over the same data
 * directory. Failures set process.exitCode to 1.
 */
export async function runServe(opts: ServeOptions): Promise<void> {
  const dataDir = resolve(opts.dataDir ?? defaultDataDir());
  let daemon;
  try {
    daemon = await startDaemon({
      dataDir,
      port: opts.port,
      address: opts.address,
      codeLoaded: capYoungGeneration,
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
  const ended = await stopCause(daemon.engineStarted);
  if ('engineError' in ended) {
    const err = ended.engineError;
    process.stderr.write(`error: the engine could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`hooklet: ${ended.signal}, stopping (containers keep running)\n`);
  }
  await daemon.stop();
  process.stdout.write('hooklet: stopped\n');
}

/** What ends the daemon: a signal, or an engine that could not start (the API was already serving). */
function stopCause(engineStarted: Promise<void>): Promise<{ signal: NodeJS.Signals } | { engineError: unknown }> {
  return new Promise((done) => {
    const stopListening = (): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      stopListening();
      done({ signal });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    engineStarted.catch((engineError: unknown) => {
      stopListening();
      done({ engineError });
    });
  });
}
