import type { Clock } from '../../clock/clock.js';
import { Agent } from '../../kubelet/agent.js';
import type { RestartMoment } from '../../kubelet/restart-moment.js';
import type { ContainerRuntime } from '../../runtime/container-runtime.js';
import { ProcessRuntime } from '../../runtime/process/process-runtime.js';
import type { PodStore } from '../../store/pod-store.js';

export interface EngineOptions {
  store: PodStore;
  clock: Clock;
  /** The process runtime's state directory (`<dataDir>/containers`). */
  stateDir: string;
  /** Container logs, when they are not inside stateDir (see containerDirs). */
  logDir?: string;
  nodeName: string;
  /** The runtime name the API was told (container IDs carry it); checked against the real one. */
  runtimeName: string;
  restartAgentDuring?: RestartMoment;
}

export interface RunningEngine {
  /** The runtime client the engine uses now (an injected restart replaces it). */
  runtime(): ContainerRuntime;
  /** Detaches the engine and closes its runtime client; containers keep running. */
  stop(): Promise<void>;
}

/**
 * The daemon's engine: the agent on the process runtime, started over the
 * store. Resolves once every container on disk is recovered and adopted
 * (or found orphaned) and unreadable container state is swept.
 */
export async function startEngine(opts: EngineOptions): Promise<RunningEngine> {
  let first: ProcessRuntime | undefined;
  const agent = new Agent({
    store: opts.store,
    makeRuntime: () => {
      const runtime = new ProcessRuntime({ stateDir: opts.stateDir, ...(opts.logDir ? { logDir: opts.logDir } : {}), clock: opts.clock });
      first ??= runtime;
      return runtime;
    },
    clock: opts.clock,
    nodeName: opts.nodeName,
    podIP: '127.0.0.1',
    ...(process.env['PATH'] ? { baseEnv: { PATH: process.env['PATH'] } } : {}),
    ...(opts.restartAgentDuring ? { restartDuring: opts.restartAgentDuring } : {}),
  });
  await agent.start();
  try {
    if (agent.runtime.name !== opts.runtimeName) throw new Error(`runtime "${agent.runtime.name}" is not "${opts.runtimeName}"`);
    // The agent's own runtime client did the recovery; sweeping with it saves a second walk of the state directory.
    await sweepUnreadable(first!);
  } catch (err) {
    await agent.stop();
    throw err;
  }
  return { runtime: () => agent.runtime, stop: () => agent.stop() };
}

/**
 * Container directories whose state cannot be read (a crash mid-write, a
 * disk problem) are reported once and cleaned up — only processes the state
 * proves are ours are killed — so they never make the daemon crash-loop.
 * Those no pod can account for are invisible to the engine, so sweeping
 * them after it started changes nothing it sees.
 */
async function sweepUnreadable(runtime: ProcessRuntime): Promise<void> {
  await runtime.recover(); // done already by the agent's start; a no-op walk-wise
  for (const u of runtime.unreadableStates()) {
    process.stderr.write(`hooklet: container state ${u.id} is unreadable (${u.error.message})${u.listed ? '' : '; cleaning it up'}\n`);
  }
  await runtime.removeUnreadable();
}
