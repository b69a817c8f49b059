import type { ContainerConfig } from '../container-runtime.js';

/**
 * How a fake process reacts to a signal: `'die'` (killed by it: exit code
 * 128+n, signal reported — the default), `'ignore'`, or a graceful exit after
 * `exitAfterMs` with `exitCode` (default 0).
 */
export type SignalReaction = 'die' | 'ignore' | { exitAfterMs: number; exitCode?: number };

export interface FakeLogLine {
  text: string;
  stream?: 'stdout' | 'stderr';
  /** Written this long after start (default 0: at start). */
  atMs?: number;
}

export interface FakeExecScript {
  /** Which argv this answers: exact match, predicate, or any when omitted. */
  argv?: readonly string[] | ((argv: readonly string[]) => boolean);
  /** How long the command runs on the fake clock (default 0). */
  durationMs?: number;
  /** Never finishes by itself: ends with exit 137 when the container dies (or at the exec timeout). */
  hang?: boolean;
  exitCode?: number;
  /** Output; a function sees the container's config (env, workingDir …). */
  stdout?: string | ((config: ContainerConfig) => string);
  stderr?: string | ((config: ContainerConfig) => string);
  /** Throw RuntimeError('ExecFailed', error) instead of running (e.g. executable not found). */
  error?: string;
  /** Applies this many times, then later scripts (or the default) answer. */
  times?: number;
}

export interface FakeBehaviour {
  /** create() throws RuntimeError('InvalidConfig', createError). */
  createError?: string;
  /** start() throws RuntimeError('StartFailed', startError); status: exited 128, reason StartError. */
  startError?: string;
  /** Exits by itself this long after start, with exitCode (default 0). Runs until stopped if omitted. */
  exitAfterMs?: number;
  exitCode?: number;
  /** Reaction to whatever signal stop() sends first (default 'die'). */
  onStop?: SignalReaction;
  /** Per-signal reactions; win over onStop. SIGKILL always kills. */
  onSignal?: Partial<Record<NodeJS.Signals, SignalReaction>>;
  /** Log lines written after start. */
  logs?: Array<string | FakeLogLine>;
  /** Exec answers, first match wins (scripts added later are tried first). */
  exec?: FakeExecScript[];
}

/** Which containers a rule applies to: a container name, some fields, or a predicate. */
export type ContainerMatch =
  | string
  | { container?: string; pod?: string; podUid?: string; attempt?: number }
  | ((config: ContainerConfig) => boolean);

export type BehaviourRule = FakeBehaviour | ((config: ContainerConfig) => FakeBehaviour);

export function matches(match: ContainerMatch, config: ContainerConfig): boolean {
  if (typeof match === 'string') return config.name === match;
  if (typeof match === 'function') return match(config);
  return (
    (match.container === undefined || match.container === config.name) &&
    (match.pod === undefined || match.pod === config.podName) &&
    (match.podUid === undefined || match.podUid === config.podUid) &&
    (match.attempt === undefined || match.attempt === config.attempt)
  );
}

export function argvMatches(script: FakeExecScript, argv: readonly string[]): boolean {
  if (script.argv === undefined) return true;
  if (typeof script.argv === 'function') return script.argv(argv);
  const want = script.argv;
  return want.length === argv.length && want.every((a, i) => a === argv[i]);
}

/** Signals whose default action is not to terminate (they need a script to end the process). */
const HARMLESS: ReadonlySet<NodeJS.Signals> = new Set(['SIGCHLD', 'SIGCONT', 'SIGURG', 'SIGWINCH', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU']);

export function reactionTo(behaviour: FakeBehaviour, signal: NodeJS.Signals, isStopSignal: boolean): SignalReaction {
  if (signal === 'SIGKILL') return 'die';
  const own = behaviour.onSignal?.[signal];
  if (own) return own;
  if (isStopSignal && behaviour.onStop) return behaviour.onStop;
  return HARMLESS.has(signal) ? 'ignore' : 'die';
}
