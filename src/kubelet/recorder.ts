import { rfc3339Micros as rfc3339Micro } from '../api/rfc3339.js';
import type { CoreEvent, Pod } from '../api/types.js';
import type { Clock } from '../clock/clock.js';
import type { PodStore, TimelineEntry } from '../store/pod-store.js';
import type { WhatValue } from './timeline-what.js';

/**
 * Writes events and timeline entries for one node. Events follow the
 * kubelet's object references: container events point at
 * `spec.containers{name}` (or initContainers) of the Pod.
 */
export class Recorder {
  constructor(
    private readonly store: PodStore,
    private readonly clock: Clock,
    private readonly nodeName: string,
    private readonly onTimeline?: (e: TimelineEntry) => void,
    private readonly onEvent?: (e: CoreEvent) => void,
    /** False once the agent that owns this recorder is gone: a dead agent writes nothing. */
    private readonly live: () => boolean = () => true,
  ) {}

  /** The same recorder, silenced when `live` turns false (a detached worker). */
  guarded(live: () => boolean): Recorder {
    return new Recorder(this.store, this.clock, this.nodeName, this.onTimeline, this.onEvent, () => live() && this.live());
  }

  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, container?: string): void {
    if (!this.live()) return;
    const m = pod.metadata;
    const now = this.clock.now();
    const fieldPath = container ? fieldPathOf(pod, container) : undefined;
    const ev: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: m.namespace ?? 'default' },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: m.namespace ?? 'default',
        name: m.name,
        uid: m.uid,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      type,
      eventTime: rfc3339Micro(now),
      source: { component: 'kubelet', host: this.nodeName },
      reportingComponent: 'kubelet',
      reportingInstance: this.nodeName,
      action: reason,
    };
    try {
      const stored = this.store.recordEvent(ev);
      this.onEvent?.(stored);
    } catch {
      // The pod may have been removed concurrently; an event about it is moot.
    }
  }

  timeline(pod: Pod, what: WhatValue, container?: string, detail?: string, atMs?: number): void {
    if (!this.live()) return;
    const t = atMs ?? this.clock.now();
    const entry: TimelineEntry = {
      kind: 'TimelineEntry',
      time: rfc3339Micro(t),
      timeMs: t,
      namespace: pod.metadata.namespace ?? 'default',
      pod: pod.metadata.name ?? '',
      podUid: pod.metadata.uid ?? '',
      ...(container !== undefined ? { container } : {}),
      what,
      ...(detail !== undefined ? { detail } : {}),
    };
    this.store.appendTimeline(entry);
    this.onTimeline?.(entry);
  }
}

function fieldPathOf(pod: Pod, container: string): string {
  if (pod.spec.initContainers?.some((c) => c.name === container)) return `spec.initContainers{${container}}`;
  return `spec.containers{${container}}`;
}

/** format.Pod: `<name>_<namespace>(<uid>)`. */
export function formatPod(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${pod.metadata.uid ?? ''})`;
}
