import type { Container, Probe } from '../../api/types.js';
import type { ProbeDeps, ProbeTarget, ProbeType } from './probe-types.js';
import { ProbeWorker } from './probe-worker.js';

export interface ContainerProbesOptions {
  container: Container;
  target: ProbeTarget;
  deps: ProbeDeps;
  /** When the container instance started, on the deps' clock. */
  startedAt: number;
  recordEvent(reason: string, message: string): void;
  /** A probe's result changed after its thresholds. */
  onResult(type: ProbeType, healthy: boolean): void;
}

/**
 * The probe workers of one container instance (the kubelet's prober
 * manager): startup first; liveness and readiness once startup has
 * succeeded (or at once without a startup probe).
 */
export class ContainerProbes {
  private readonly workers = new Map<ProbeType, ProbeWorker>();
  private startupDone: boolean;
  private readinessOk: boolean;

  constructor(private readonly opts: ContainerProbesOptions) {
    const c = opts.container;
    this.startupDone = !c.startupProbe;
    // Without a readiness probe a running container is ready; with one, not until it succeeds.
    this.readinessOk = !c.readinessProbe;
  }

  start(): void {
    const c = this.opts.container;
    if (c.startupProbe) this.run('startup', c.startupProbe);
    else this.afterStartup();
  }

  /** R7.3: liveness and startup stop when the pod starts terminating; readiness goes on. */
  stopLivenessAndStartup(): void {
    for (const t of ['liveness', 'startup'] as const) {
      this.workers.get(t)?.stop();
      this.workers.delete(t);
    }
  }

  stop(): void {
    for (const w of this.workers.values()) w.stop();
    this.workers.clear();
  }

  /** status.containerStatuses[].started */
  get started(): boolean {
    return this.startupDone;
  }

  /** status.containerStatuses[].ready (before the running check). */
  get ready(): boolean {
    return this.startupDone && this.readinessOk;
  }

  private afterStartup(): void {
    const c = this.opts.container;
    if (c.livenessProbe) this.run('liveness', c.livenessProbe);
    if (c.readinessProbe) this.run('readiness', c.readinessProbe);
  }

  private run(type: ProbeType, probe: Probe): void {
    const worker = new ProbeWorker({
      type,
      probe,
      containerName: this.opts.container.name,
      target: this.opts.target,
      deps: this.opts.deps,
      startedAt: this.opts.startedAt,
      recordEvent: (_type, reason, message) => this.opts.recordEvent(reason, message),
      onResult: (healthy) => {
        if (type === 'startup' && healthy) {
          this.startupDone = true;
          this.afterStartup();
        }
        if (type === 'readiness') this.readinessOk = healthy;
        this.opts.onResult(type, healthy);
      },
    });
    this.workers.set(type, worker);
    worker.start();
  }
}
