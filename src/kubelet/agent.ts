import type { CoreEvent } from '../api/types.js';
import type { Clock } from '../clock/clock.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { PodStore, TimelineEntry } from '../store/pod-store.js';
import { Kubelet } from './kubelet.js';
import { RESTART_TRIGGERS, type RestartMoment } from './restart-moment.js';

export interface AgentOptions {
  store: PodStore;
  /** A runtime client over the agent's state; called again after each restart. */
  makeRuntime: () => ContainerRuntime;
  clock: Clock;
  nodeName: string;
  podIP: string;
  baseEnv?: Record<string, string>;
  onTimeline?: (e: TimelineEntry) => void;
  onEvent?: (e: CoreEvent) => void;
  /** Fault injection: restart once, the first time this moment comes. */
  restartDuring?: RestartMoment;
  /** Told just before an injected restart, with the entry that triggered it. */
  onRestarting?: (moment: RestartMoment, cause: TimelineEntry) => void;
  /** Told after a restart, with the new runtime client. */
  onRestarted?: (runtime: ContainerRuntime) => void;
}

/**
 * The engine plus its runtime client, restartable in-process: a restart
 * drops the engine (timers, hook waits) and the runtime client (pending
 * SIGKILL deadlines) as a crash would, and starts new ones over the same
 * store and state — containers keep running and are adopted (R4.9).
 */
export class Agent {
  private kubeletNow!: Kubelet;
  private runtimeNow!: ContainerRuntime;
  private restartArmed: boolean;
  private restarting: Promise<void> | undefined;
  private generationNow = 0;

  constructor(private readonly opts: AgentOptions) {
    this.restartArmed = opts.restartDuring !== undefined;
  }

  get kubelet(): Kubelet {
    return this.kubeletNow;
  }

  get runtime(): ContainerRuntime {
    return this.runtimeNow;
  }

  /** Increases with every (re)start; lets waiters notice a restart. */
  get generation(): number {
    return this.generationNow;
  }

  async start(): Promise<void> {
    this.generationNow++;
    this.runtimeNow = this.opts.makeRuntime();
    this.kubeletNow = new Kubelet({
      store: this.opts.store,
      runtime: this.runtimeNow,
      clock: this.opts.clock,
      nodeName: this.opts.nodeName,
      podIP: this.opts.podIP,
      ...(this.opts.baseEnv ? { baseEnv: this.opts.baseEnv } : {}),
      ...(this.opts.onEvent ? { onEvent: this.opts.onEvent } : {}),
      onTimeline: (e) => {
        this.opts.onTimeline?.(e);
        this.maybeRestart(e);
      },
    });
    await this.kubeletNow.start();
  }

  /** Detaches the engine and closes the runtime client; containers keep running. */
  async stop(): Promise<void> {
    await this.restarting;
    await this.kubeletNow.stop();
    await this.runtimeNow.close();
  }

  /** Waits until every pod uid is fully terminated, across restarts. */
  async terminated(uids: Iterable<string>): Promise<void> {
    const list = [...uids];
    for (;;) {
      await this.restarting;
      const gen = this.generationNow;
      await Promise.race([Promise.all(list.map((u) => this.kubeletNow.terminated(u))), this.nextRestart()]);
      await this.restarting;
      if (gen === this.generationNow) return;
    }
  }

  /** Restarts now: what a SIGKILLed and restarted daemon would do, in-process. */
  restart(): Promise<void> {
    this.restarting ??= (async () => {
      await this.kubeletNow.stop();
      await this.runtimeNow.close();
      await this.start();
      this.restarting = undefined;
      for (const w of this.restartWaiters.splice(0)) w();
      this.opts.onRestarted?.(this.runtimeNow);
    })();
    return this.restarting;
  }

  private readonly restartWaiters: Array<() => void> = [];

  private nextRestart(): Promise<void> {
    return new Promise((resolve) => this.restartWaiters.push(resolve));
  }

  private maybeRestart(e: TimelineEntry): void {
    const moment = this.opts.restartDuring;
    if (!this.restartArmed || !moment || e.what !== RESTART_TRIGGERS[moment]) return;
    this.restartArmed = false;
    this.opts.onRestarting?.(moment, e);
    queueMicrotask(() => void this.restart());
  }
}
