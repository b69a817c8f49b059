import type { Clock } from '../../clock/clock.js';
import { RuntimeError, type ContainerConfig, type ExecResult, type ExecStreams } from '../container-runtime.js';
import type { FakeExecScript } from './fake-behaviour.js';
import type { FakeCall } from './fake-call.js';
import type { FakeContainer } from './fake-container.js';

export interface FakeExecRun {
  clock: Clock;
  /** A running container. */
  container: FakeContainer;
  argv: string[];
  /** 0: no timeout. */
  timeoutMs: number;
  /** The answer (none: exit 0 at once, no output). */
  script: FakeExecScript | undefined;
  streams?: ExecStreams;
  /** Records how the exec ended (the execEnd call). */
  end(fields: Partial<FakeCall>): void;
}

/**
 * Plays an exec answer on the fake clock: output at once, then the exit code
 * after `durationMs`, unless the timeout or the container's exit comes first.
 */
export async function runFakeExec(run: FakeExecRun): Promise<ExecResult> {
  const { clock, container: c, argv, timeoutMs, script, streams, end } = run;
  if (script?.error) {
    end({ error: script.error });
    throw new RuntimeError('ExecFailed', script.error);
  }
  const text = (v: string | ((config: ContainerConfig) => string) | undefined): string => (typeof v === 'function' ? v(c.config) : (v ?? ''));
  const stdout = text(script?.stdout);
  const stderr = text(script?.stderr);
  if (stdout) streams?.stdout?.(Buffer.from(stdout));
  if (stderr) streams?.stderr?.(Buffer.from(stderr));

  const timers = new AbortController();
  const outcomes: Array<Promise<'done' | 'died' | 'timeout' | 'cancelled'>> = [c.exited.promise.then(() => 'died' as const)];
  const durationMs = script?.durationMs ?? 0;
  if (!script?.hang) {
    outcomes.push(durationMs > 0 ? clock.sleep(durationMs, timers.signal).then(() => 'done' as const, () => 'cancelled' as const) : Promise.resolve('done' as const));
  }
  if (timeoutMs > 0) outcomes.push(clock.sleep(timeoutMs, timers.signal).then(() => 'timeout' as const, () => 'cancelled' as const));
  const outcome = await Promise.race(outcomes);
  timers.abort();
  if (outcome === 'timeout') {
    end({ error: 'timeout' });
    throw new RuntimeError('ExecFailed', `command ${JSON.stringify(argv.join(' '))} timed out`);
  }
  // An exec dies with its container, as a process in its process group would.
  const exitCode = outcome === 'died' ? 137 : (script?.exitCode ?? 0);
  end({ exitCode });
  return { exitCode, stdout, stderr };
}
