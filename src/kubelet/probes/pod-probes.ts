import type { Pod } from '../../api/types.js';
import type { Clock } from '../../clock/clock.js';
import type { ContainerRuntime } from '../../runtime/container-runtime.js';
import type { ContainerRecord } from '../container-record.js';
import { KUBELET_VERSION } from '../pod-context.js';
import type { Recorder } from '../recorder.js';
import { What } from '../timeline-what.js';
import { ContainerProbes } from './container-probes.js';

export interface PodProbesOptions {
  pod(): Pod;
  runtime: ContainerRuntime;
  clock: Clock;
  podIP: string;
  recorder: Recorder;
  /** A result changed: republish status, and sync (a failed liveness probe means a kill). */
  changed(): void;
}

/** The probes of every running container instance of one pod, kept on its records. */
export class PodProbes {
  private readonly byRecord = new Map<ContainerRecord, ContainerProbes>();

  constructor(private readonly opts: PodProbesOptions) {}

  /** Starts probing a container instance that has just become Running. */
  start(rec: ContainerRecord): void {
    this.stop(rec);
    const c = rec.spec;
    rec.probeFailure = undefined;
    if (!c.startupProbe && !c.livenessProbe && !c.readinessProbe) {
      rec.probeStarted = rec.probeReady = undefined;
      return;
    }
    const probes = new ContainerProbes({
      container: c,
      target: { containerId: rec.id ?? '', podIP: this.opts.podIP, ports: c.ports ?? [], ...(c.env ? { env: c.env } : {}) },
      deps: { runtime: this.opts.runtime, clock: this.opts.clock, kubeletVersion: KUBELET_VERSION },
      startedAt: rec.startedAt ?? this.opts.clock.now(),
      recordEvent: (reason, message) => this.opts.recorder.event(this.opts.pod(), 'Warning', reason, message, rec.name),
      onResult: (type, healthy) => {
        this.opts.recorder.timeline(this.opts.pod(), What.Probe, rec.name, `${type} ${healthy ? 'succeeded' : 'failed'}`);
        if (!healthy && type === 'liveness') rec.probeFailure = 'LivenessProbe';
        if (!healthy && type === 'startup') rec.probeFailure = 'StartupProbe';
        rec.probeStarted = probes.started;
        rec.probeReady = probes.ready;
        this.opts.changed();
      },
    });
    this.byRecord.set(rec, probes);
    rec.probeStarted = probes.started;
    rec.probeReady = probes.ready;
    probes.start();
  }

  stop(rec: ContainerRecord): void {
    this.byRecord.get(rec)?.stop();
    this.byRecord.delete(rec);
  }

  /** R7.3: the pod is terminating. */
  terminating(): void {
    for (const p of this.byRecord.values()) p.stopLivenessAndStartup();
  }

  stopAll(): void {
    for (const p of this.byRecord.values()) p.stop();
    this.byRecord.clear();
  }
}
