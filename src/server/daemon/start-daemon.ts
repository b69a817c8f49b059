import { hostname } from 'node:os';
import { join } from 'node:path';
import { RealClock } from '../../clock/real-clock.js';
import type { RestartMoment } from '../../kubelet/restart-moment.js';
import type { ContainerRuntime } from '../../runtime/container-runtime.js';
import type { SqliteStore } from '../../store/sqlite-store.js';
import type { ApiEndpoints } from '../api-endpoints.js';
import { ensureToken } from '../auth/ensure-token.js';
import { HttpsApiServer } from '../https-api-server.js';
import { renderKubeconfig } from '../kubeconfig/kubeconfig.js';
import type { ServerContext } from '../server-context.js';
import { ensureCertificates } from '../tls/ensure-certificates.js';
import { lockDataDir } from './data-dir-lock.js';
import { deferredAdmission } from './deferred-admission.js';
import { deferredRuntime } from './deferred-runtime.js';
import { ensurePrivateDir, writePrivateFile } from './private-files.js';
import type { RunningEngine } from './start-engine.js';

export interface DaemonOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  address: string;
  nodeName?: string;
  bookmarkIntervalMs?: number;
  /** Fault injection: restart the engine in-process once, the first time this moment comes. */
  restartAgentDuring?: RestartMoment;
  /**
   * Called once the engine's code is loaded (with the API's, and every module
   * of Node's that they import), before it recovers: for process-wide
   * settings that would slow that loading (the CLI caps V8's young generation).
   */
  codeLoaded?: () => void;
  /**
   * Called once the kubeconfig is written, before the daemon builds its TLS
   * context (the CLI prints where the kubeconfig is): the client it reaches
   * starts while the rest of the daemon loads.
   */
  announce?: (daemon: Pick<RunningDaemon, 'server' | 'kubeconfigPath' | 'nodeName'>) => void;
}

export interface RunningDaemon {
  port: number;
  /** `https://host:port` as written into the kubeconfig. */
  server: string;
  kubeconfigPath: string;
  nodeName: string;
  /**
   * Resolves once the engine has recovered every container and runs; rejects
   * if it cannot start (the daemon should then stop). The API serves the
   * store before that; logs and exec wait for it.
   */
  engineStarted: Promise<void>;
  /** Stops serving, then detaches the engine. Containers keep running (DESIGN "Durability"). */
  stop(): Promise<void>;
}

/** The process runtime's name, as container IDs carry it (`process://…`); the engine checks it. */
const RUNTIME_NAME = 'process';

/** The name clients use to reach an address: wildcards mean loopback; IPv6 gets brackets. */
function clientHost(address: string): string {
  if (address === '0.0.0.0' || address === '::' || address === '') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}

/** A node name the API accepts: the host name, lower-case, DNS-1123 characters only. */
function defaultNodeName(): string {
  const name = hostname().toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return name || 'hooklet';
}

/**
 * The daemon's composition root: data directory (0700) with the CA, serving
 * certificate, token and kubeconfig (0600), the SQLite store, the process
 * runtime and the engine, and the HTTPS API in front of them.
 *
 * Ordered for a fast first answer (bench figure 5): only what the kubeconfig
 * needs comes before it — the data directory's lock (which keeps a second
 * daemon from overwriting a running one's files), certificates and the port.
 * The TLS context (~40 ms), the store (loading SQLite's addon and opening the
 * database, ~30 ms) and the API's code are made while the client starts; the
 * engine recovers its containers behind the API, which answers from the store
 * meanwhile.
 */
export async function startDaemon(opts: DaemonOptions): Promise<RunningDaemon> {
  const clock = new RealClock();
  ensurePrivateDir(opts.dataDir);
  const lock = await lockDataDir(opts.dataDir);
  let tls: ReturnType<typeof ensureCertificates>;
  let token: string;
  try {
    token = ensureToken(opts.dataDir);
    const hosts = opts.address && opts.address !== '0.0.0.0' && opts.address !== '::' ? [opts.address] : [];
    tls = ensureCertificates(opts.dataDir, hosts, clock.now());
  } catch (err) {
    await lock.release();
    throw err;
  }
  const nodeName = opts.nodeName ?? defaultNodeName();

  let resolveApi!: (api: Promise<ApiEndpoints>) => void;
  const api = new Promise<ApiEndpoints>((resolve) => (resolveApi = resolve));
  const server = new HttpsApiServer(api, { cert: tls.cert, key: tls.key });
  let port: number;
  try {
    port = await server.listen(opts.port, opts.address);
  } catch (err) {
    resolveApi(Promise.reject(err instanceof Error ? err : new Error(String(err))));
    await server.close();
    await lock.release();
    throw err;
  }
  const serverAddress = `${clientHost(opts.address)}:${port}`;
  const url = `https://${serverAddress}`;
  const kubeconfigPath = join(opts.dataDir, 'kubeconfig');
  try {
    writePrivateFile(kubeconfigPath, renderKubeconfig({ server: url, caCert: tls.caCert, token }));
    opts.announce?.({ server: url, kubeconfigPath, nodeName });
    // In the same turn of the event loop as the announcement: the TLS context
    // (~40 ms) is built while the client starts, and before any connection
    // can be accepted (https-api-server.ts).
    server.startTls();
  } catch (err) {
    resolveApi(Promise.reject(err instanceof Error ? err : new Error(String(err))));
    await server.close();
    await lock.release();
    throw err;
  }
  // Past the kubeconfig: a store that cannot open (damaged, or locked by a
  // daemon in another network namespace) fails the API's requests with 503
  // and engineStarted, on which the CLI reports it and exits.
  const storeOpened = openStore(join(opts.dataDir, 'hooklet.db'), clock);
  storeOpened.catch(() => {});

  let stopJanitor: () => void = () => undefined;
  let engineRuntime!: (current: Promise<() => ContainerRuntime>) => void;
  const runtime = deferredRuntime(RUNTIME_NAME, new Promise((resolve) => (engineRuntime = resolve)));
  const apiLoaded = storeOpened.then((store) =>
    loadApi({ store, clock, nodeName, runtime, serverAddress, bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000 }, token),
  );
  resolveApi(apiLoaded);
  // The API first: the client that was just handed the kubeconfig is about to call it.
  const engine = apiLoaded
    .catch(() => undefined)
    .then(async () => {
      const store = await storeOpened;
      const { startEngine } = await import('./start-engine.js');
      const { containerDirs, sweepAbandonedContainerDirs } = await import('./container-dirs.js');
      const { startStoreJanitor } = await import('./store-janitor.js');
      opts.codeLoaded?.();
      // Expired events and old timelines go a little after start (never in the cold start's way), then every 10 min.
      if (!stopping) stopJanitor = startStoreJanitor(store, clock, {
        firstMs: 5_000,
        onError: (err) => console.error(`hooklet: store cleanup failed: ${err instanceof Error ? err.message : String(err)}`),
      });
      const dirs = containerDirs(opts.dataDir);
      // State other daemons left on tmpfs for data dirs since deleted; nothing waits on it.
      void sweepAbandonedContainerDirs(clock.now()).catch(() => undefined);
      return startEngine({
        store,
        clock,
        ...dirs,
        nodeName,
        runtimeName: RUNTIME_NAME,
        ...(opts.restartAgentDuring ? { restartAgentDuring: opts.restartAgentDuring } : {}),
      });
    });
  engineRuntime(engine.then((e) => () => e.runtime()));
  const engineStarted = Promise.all([apiLoaded, engine]).then(() => undefined);
  engineStarted.catch(() => {}); // the caller is told through engineStarted; stop() must not throw for it

  let stopping: Promise<void> | undefined;
  return {
    port,
    server: url,
    kubeconfigPath,
    nodeName,
    engineStarted,
    stop: () => {
      stopping ??= (async () => {
        await server.close();
        stopJanitor();
        const running: RunningEngine | undefined = await engine.catch(() => undefined);
        await running?.stop();
        (await storeOpened.catch(() => undefined))?.close();
        await lock.release();
      })();
      return stopping;
    },
  };
}

/** Loads SQLite's addon with the store's code, and opens (checks, migrates) the database. */
async function openStore(path: string, clock: RealClock): Promise<SqliteStore> {
  const { SqliteStore } = await import('../../store/sqlite-store.js');
  return new SqliteStore(path, clock);
}

/** The API's code, then (while reads are already answered) pod admission's, which writes wait for. */
async function loadApi(ctx: Omit<ServerContext, 'admission' | 'admissionReady'>, token: string): Promise<ApiEndpoints> {
  const { createApiEndpoints } = await import('../api-endpoints.js');
  const { admission, ready } = deferredAdmission(import('../pods/default-pod-admission.js').then((m) => m.defaultPodAdmission()));
  return createApiEndpoints({ ...ctx, admission, admissionReady: ready }, { token });
}
