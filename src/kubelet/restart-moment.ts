import type { WhatValue } from './timeline-what.js';

/** Moments `--restart-agent-during` can restart the agent at. */
export const RESTART_MOMENTS = ['postStart', 'running', 'preStop', 'stop-window'] as const;
export type RestartMoment = (typeof RESTART_MOMENTS)[number];

/** The timeline entry that marks each moment's beginning. */
export const RESTART_TRIGGERS: Record<RestartMoment, WhatValue> = {
  postStart: 'postStart.started',
  running: 'running',
  preStop: 'preStop.started',
  'stop-window': 'stop.signal',
};
