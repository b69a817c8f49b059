/**
 * The `what` of a TimelineEntry (documented in the README). Container-level
 * entries carry `container`; pod-level ones do not.
 */
export const What = {
  PodAdded: 'pod.added',
  PodTerminating: 'pod.terminating',
  PodRemoved: 'pod.removed',
  Created: 'created',
  Started: 'started',
  PostStartStarted: 'postStart.started',
  PostStartFinished: 'postStart.finished',
  Running: 'running',
  Killing: 'killing',
  PreStopStarted: 'preStop.started',
  PreStopFinished: 'preStop.finished',
  PreStopCutOff: 'preStop.cutoff',
  StopSignal: 'stop.signal',
  SigKill: 'sigkill',
  Exited: 'exited',
  BackOff: 'restart.backoff',
  Restarting: 'restart',
  StartFailed: 'start.failed',
  AgentRestart: 'agent.restart',
  /** A probe's result changed (detail: `liveness failed`, `readiness succeeded`, …). */
  Probe: 'probe',
} as const;

export type WhatValue = (typeof What)[keyof typeof What];
