import { hostname } from 'node:os';
import { join } from 'node:path';
import { RealClock } from '../../clock/real-clock.js';
import { Agent } from '../../kubelet/agent.js';
import type { RestartMoment } from '../../kubelet/restart-moment.js';
import { delegatingRuntime } from '../../runtime/delegating-runtime.js';
import { ProcessRuntime } from '../../runtime/process/process-runtime.js';
import { SqliteStore } from '../../store/sqlite-store.js';
import { ensureToken } from '../auth/ensure-token.js';
import { HttpsApiServer } from '../https-api-server.js';
import { renderKubeconfig } from '../kubeconfig/kubeconfig.js';
import { defaultPodAdmission } from '../pods/default-pod-admission.js';
import type { ServerContext } from '../server-context.js';
import { ensureCertificates } from '../tls/ensure-certificates.js';
import { ensurePrivateDir, writePrivateFile } from './private-files.js';

export interface DaemonOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  address: string;
  nodeName?: string;
  bookmarkIntervalMs?: number;
  /** Fault injection: restart the engine in-process once, the first time this moment comes. */
  restartAgentDuring?: RestartMoment;
}

export interface RunningDaemon {
  port: number;
  /** `https://host:port` as written into the kubeconfig. */
  server: string;
  kubeconfigPath: string;
  nodeName: string;
  /** Stops serving, then detaches the engine. Containers keep running (DESIGN "Durability"). */
  stop(): Promise<void>;
}

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
 */
export async function startDaemon(opts: DaemonOptions): Promise<RunningDaemon> {
  const clock = new RealClock();
  ensurePrivateDir(opts.dataDir);
  const token = ensureToken(opts.dataDir);
  const hosts = opts.address && opts.address !== '0.0.0.0' && opts.address !== '::' ? [opts.address] : [];
  const tls = await ensureCertificates(opts.dataDir, hosts, clock.now());
  const nodeName = opts.nodeName ?? defaultNodeName();

  const store = new SqliteStore(join(opts.dataDir, 'hooklet.db'), clock);
  const agent = new Agent({
    store,
    makeRuntime: () => new ProcessRuntime({ stateDir: join(opts.dataDir, 'containers'), clock }),
    clock,
    nodeName,
    podIP: '127.0.0.1',
    ...(process.env['PATH'] ? { baseEnv: { PATH: process.env['PATH'] } } : {}),
    ...(opts.restartAgentDuring ? { restartDuring: opts.restartAgentDuring } : {}),
  });
  let started = false;
  let server: HttpsApiServer | undefined;
  try {
    await sweepUnreadable(join(opts.dataDir, 'containers'), clock);
    await agent.start();
    started = true;
    const ctx: ServerContext = {
      store,
      clock,
      nodeName,
      // The agent may replace its runtime client (injected restart); always use the current one.
      runtime: delegatingRuntime(() => agent.runtime),
      admission: defaultPodAdmission(),
      serverAddress: `${clientHost(opts.address)}:${opts.port}`,
      bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000,
    };
    server = new HttpsApiServer(ctx, { token, cert: tls.cert, key: tls.key });
    const port = await server.listen(opts.port, opts.address);
    ctx.serverAddress = `${clientHost(opts.address)}:${port}`;
    const url = `https://${ctx.serverAddress}`;
    const kubeconfigPath = join(opts.dataDir, 'kubeconfig');
    writePrivateFile(kubeconfigPath, renderKubeconfig({ server: url, caCert: tls.caCert, token }));

    let stopping: Promise<void> | undefined;
    const running = { server };
    return {
      port,
      server: url,
      kubeconfigPath,
      nodeName,
      stop: () => {
        stopping ??= (async () => {
          await running.server.close();
          await agent.stop();
          store.close();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await server?.close();
    if (started) await agent.stop();
    store.close();
    throw err;
  }
}

/**
 * Container directories whose state cannot be read (a crash mid-write, a
 * disk problem) are reported once and cleaned up — only processes the state
 * proves are ours are killed — so they never make the daemon crash-loop.
 */
async function sweepUnreadable(stateDir: string, clock: RealClock): Promise<void> {
  const runtime = new ProcessRuntime({ stateDir, clock });
  try {
    await runtime.recover();
    for (const u of runtime.unreadableStates()) {
      process.stderr.write(`hooklet: container state ${u.id} is unreadable (${u.error.message})${u.listed ? '' : '; cleaning it up'}\n`);
    }
    await runtime.removeUnreadable();
  } finally {
    await runtime.close();
  }
}
