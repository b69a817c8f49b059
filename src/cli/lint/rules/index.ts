import { gracePeriodZero } from './grace-period-zero.js';
import { httpHookUnknownPort } from './http-hook-unknown-port.js';
import { httpsHookUnverified } from './https-hook-unverified.js';
import { lifecycleTcpSocket } from './lifecycle-tcp-socket.js';
import type { LintRule } from './lint-rule.js';
import { poststartDelaysStart } from './poststart-delays-start.js';
import { preferNativeSleep } from './prefer-native-sleep.js';
import { prestopNotRunOnExit } from './prestop-not-run-on-exit.js';
import { prestopUsesWholeGrace } from './prestop-uses-whole-grace.js';

export type { LintRule } from './lint-rule.js';

/** Every lifecycle rule, in the order their findings are listed for one field. */
export const lintRules: readonly LintRule[] = [
  lifecycleTcpSocket,
  httpHookUnknownPort,
  prestopUsesWholeGrace,
  gracePeriodZero,
  prestopNotRunOnExit,
  poststartDelaysStart,
  preferNativeSleep,
  httpsHookUnverified,
];
