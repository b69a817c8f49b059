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
  // Listening for signals before the kubeconfig is out: whoever reads it may send SIGTERM at once.
  const signalled = nextStopSignal();
  let daemon;
  try {
    daemon = await startDaemon({
      dataDir,
      port: opts.port,
      address: opts.address,
      codeLoaded: capYoungGeneration,
      announce: (d) =>
        process.stdout.write(
          `hooklet serving on ${d.server} (node ${d.nodeName})\n` + `kubeconfig: ${d.kubeconfigPath}\n` + `export KUBECONFIG=${d.kubeconfigPath}\n`,
        ),
      ...(opts.restartAgentDuring ? { restartAgentDuring: opts.restartAgentDuring } : {}),
    });
  } catch (err) {
    signalled.cancel();
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
    return;
  }
  const ended = await Promise.race([
    signalled.signal.then((signal) => ({ signal })),
    daemon.engineStarted.then(
      () => new Promise<never>(() => {}),
      (engineError: unknown) => ({ engineError }),
    ),
  ]);
  signalled.cancel();
  if ('engineError' in ended) {
    const err = ended.engineError;
    // The store opens behind the kubeconfig (start-daemon.ts): its errors say what is wrong by themselves.
    const what = err instanceof Error && err.name === 'StoreOpenError' ? '' : 'the engine could not start: ';
    process.stderr.write(`error: ${what}${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`hooklet: ${ended.signal}, stopping (containers keep running)\n`);
  }
  await daemon.stop();
  process.stdout.write('hooklet: stopped\n');
}

/** The first SIGTERM or SIGINT; `cancel()` gives both back to Node's default (a second one ends the process). */
function nextStopSignal(): { signal: Promise<NodeJS.Signals>; cancel(): void } {
  let onSignal!: (signal: NodeJS.Signals) => void;
  const cancel = (): void => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = (s) => {
      cancel();
      resolve(s);
    };
  });
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return { signal, cancel };
}
