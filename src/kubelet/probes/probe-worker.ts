/**
 * The periodic prober for one container and one probe type, after
 * pkg/kubelet/prober/worker.go (Kubernetes 1.32) and prober.go's
 * event recording. One worker serves one container instance: the engine
 * creates a new worker for a restarted container, as the kubelet's worker
 * starts over when it sees a new container ID.
 *
 * Timing: the first probe runs `initialDelaySeconds` after the container
 * started, then every `periodSeconds` on a fixed beat; a probe that outlasts
 * the period is followed at once by the next one (a Go ticker keeps one
 * missed tick). The kubelet's ticker starts when the pod is added, so its
 * first probe lands anywhere in [initialDelay, initialDelay + period); hooklet
 * starts the beat at the initial delay so timelines are reproducible.
 */
import type { Probe } from '../../api/types.js';
import {
  PROBE_WARNING_REASON,
  UNHEALTHY_REASON,
  probeErroredMessage,
  probeFailedMessage,
  probeWarningMessage,
} from './probe-messages.js';
import type { ProbeAttempt, ProbeDeps, ProbeTarget, ProbeType } from './probe-types.js';
import { runProbe } from './run-probe.js';

/** prober.go maxProbeRetries: an attempt that errors is retried at once, up to 3 runs in all. */
export const MAX_PROBE_RETRIES = 3;

export interface ProbeWorkerOptions {
  type: ProbeType;
  probe: Probe;
  containerName: string;
  target: ProbeTarget;
  deps: ProbeDeps;
  /**
   * When the container started, on `deps.clock`. `initialDelaySeconds`
   * counts from here (the kubelet uses the container's StartedAt), so a
   * worker created late, e.g. liveness after the startup probe passed,
   * probes at once if the delay is already over. Defaults to `start()` time.
   */
  startedAt?: number;
  /**
   * Recorded events (R7.1), on the container:
   * Warning `Unhealthy` "<Liveness|Readiness|Startup> probe failed: <output>",
   * Warning `Unhealthy` "<Type> probe errored: <err>",
   * Warning `ProbeWarning` "<Type> probe warning: <output>".
   */
  recordEvent(type: 'Warning', reason: string, message: string): void;
  /**
   * The result changed after the thresholds (successThreshold /
   * failureThreshold): true = healthy. Called only on a change from the
   * initial result: not ready for readiness, healthy for liveness, unknown
   * for startup.
   */
  onResult(healthy: boolean): void;
  /** Each probe run's final attempt (after the retries of errors), for timelines. Optional. */
  onAttempt?(attempt: ProbeAttempt): void;
}

type State = 'idle' | 'running' | 'held' | 'stopped';

export class ProbeWorker {
  private readonly periodMs: number;
  private readonly initialDelayMs: number;
  private readonly successThreshold: number;
  private readonly failureThreshold: number;
  /** The results manager's value for this container. */
  private result: boolean | undefined;
  private lastResult: 'success' | 'failure' | undefined;
  private resultRun = 0;
  private state: State = 'idle';
  private cancelTimer: () => void = () => {};
  private inflight: AbortController | undefined;
  /** The beat's origin: the time of the first probe. */
  private beatAt: number | undefined;

  constructor(private readonly opts: ProbeWorkerOptions) {
    const p = opts.probe;
    // API defaulting turns 0 into the default; do the same for unvalidated input.
    this.periodMs = (p.periodSeconds || 10) * 1000;
    this.initialDelayMs = Math.max(0, p.initialDelaySeconds ?? 0) * 1000;
    this.successThreshold = p.successThreshold || 1;
    this.failureThreshold = p.failureThreshold || 3;
    this.result = opts.type === 'readiness' ? false : opts.type === 'liveness' ? true : undefined;
  }

  /** The result after thresholds: true healthy, false not, undefined not known yet (startup). */
  get healthy(): boolean | undefined {
    return this.result;
  }

  /**
   * Whether the worker still probes. A liveness failure or a startup verdict
   * puts it on hold for good: the container is about to be restarted (or,
   * for startup, the question is answered), as worker.go's onHold.
   */
  get probing(): boolean {
    return this.state === 'running';
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    const now = this.opts.deps.clock.now();
    const firstAt = (this.opts.startedAt ?? now) + this.initialDelayMs;
    this.schedule(Math.max(0, firstAt - now));
  }

  /** Stops probing; an attempt in flight is abandoned and reports nothing. Idempotent. */
  stop(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.cancelTimer();
    this.inflight?.abort(new Error('probe worker stopped'));
  }

  private schedule(ms: number): void {
    this.cancelTimer = this.opts.deps.clock.setTimer(ms, () => void this.tick());
  }

  private async tick(): Promise<void> {
    if (this.state !== 'running') return;
    const clock = this.opts.deps.clock;
    const startedAt = clock.now();
    this.beatAt ??= startedAt;
    const attempt = await this.probeWithRetries();
    if (this.state !== 'running') return;
    this.record(attempt);
    if (this.state !== 'running') return;
    const beats = Math.floor((startedAt - this.beatAt) / this.periodMs) + 1;
    this.schedule(Math.max(0, this.beatAt + beats * this.periodMs - clock.now()));
  }

  private async probeWithRetries(): Promise<ProbeAttempt> {
    const controller = new AbortController();
    this.inflight = controller;
    try {
      let attempt: ProbeAttempt = { outcome: 'error', output: '' };
      for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
        attempt = await runProbe(this.opts.probe, this.opts.target, this.opts.deps, controller.signal);
        if (attempt.outcome !== 'error' || controller.signal.aborted) break;
      }
      return attempt;
    } finally {
      this.inflight = undefined;
    }
  }

  /** prober.go's event, then worker.go's threshold bookkeeping. */
  private record(attempt: ProbeAttempt): void {
    const { type } = this.opts;
    this.call(() => this.opts.onAttempt?.(attempt));
    switch (attempt.outcome) {
      case 'error':
        this.event(UNHEALTHY_REASON, probeErroredMessage(type, attempt.output));
        // "Prober error, throw away the result."
        return;
      case 'failure':
        this.event(UNHEALTHY_REASON, probeFailedMessage(type, attempt.output));
        break;
      case 'warning':
        this.event(PROBE_WARNING_REASON, probeWarningMessage(type, attempt.output));
        break;
      case 'success':
        break;
    }

    const result = attempt.outcome === 'failure' ? 'failure' : 'success';
    if (this.lastResult === result) {
      this.resultRun++;
    } else {
      this.lastResult = result;
      this.resultRun = 1;
    }
    const threshold = result === 'failure' ? this.failureThreshold : this.successThreshold;
    if (this.resultRun < threshold) return;

    if ((type === 'liveness' && result === 'failure') || type === 'startup') {
      this.state = 'held';
      this.resultRun = 0;
    }
    const healthy = result === 'success';
    if (this.result !== healthy) {
      this.result = healthy;
      this.call(() => this.opts.onResult(healthy));
    }
  }

  private event(reason: string, message: string): void {
    this.call(() => this.opts.recordEvent('Warning', reason, message));
  }

  /** A throwing callback must not stop the probing (the kubelet's HandleCrash keeps the worker going). */
  private call(fn: () => void): void {
    try {
      fn();
    } catch {
      // The engine's problem to report; the worker carries on.
    }
  }
}
