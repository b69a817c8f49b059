export type FakeCallOp = 'create' | 'start' | 'stop' | 'signal' | 'exit' | 'exec' | 'execEnd' | 'remove';

/** One thing that happened, at the fake clock's time. */
export interface FakeCall {
  op: FakeCallOp;
  at: number;
  id: string;
  /** Container name ('' for an id the runtime never saw). */
  container: string;
  pod: string;
  attempt: number;
  /** stop: the timeout asked for. */
  timeoutMs?: number;
  /** stop: the signal asked for (undefined = configured); signal: the signal delivered; exit: the killing signal. */
  signal?: NodeJS.Signals;
  exitCode?: number;
  argv?: string[];
  /** execEnd: why the exec did not produce an exit code. */
  error?: string;
}
