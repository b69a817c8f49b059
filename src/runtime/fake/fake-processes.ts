import { constants } from 'node:os';
import type { Clock } from '../../clock/clock.js';
import type { ContainerConfig, RuntimeEvent } from '../container-runtime.js';
import { reactionTo, type FakeBehaviour } from './fake-behaviour.js';
import type { FakeCall, FakeCallOp } from './fake-call.js';
import { alive, type FakeContainer } from './fake-container.js';
import { rfc3339Nano } from './fake-log.js';

/** What the simulated processes need from their runtime. */
export interface FakeProcessHost {
  clock: Clock;
  behaviourOf(config: ContainerConfig): FakeBehaviour;
  record(op: FakeCallOp, c: FakeContainer, fields?: Partial<FakeCall>): void;
  emit(event: RuntimeEvent): void;
}

/**
 * The simulated processes of a FakeRuntime's containers: how each reacts to
 * a signal (its script), how it exits, its log lines, and the timers its
 * script has pending.
 */
export class FakeProcesses {
  constructor(private readonly host: FakeProcessHost) {}

  deliver(c: FakeContainer, signal: NodeJS.Signals, isStopSignal: boolean): void {
    this.host.record('signal', c, { signal });
    this.host.emit({ type: 'signalled', id: c.id, at: this.host.clock.now(), signal });
    const reaction = reactionTo(this.host.behaviourOf(c.config), signal, isStopSignal);
    if (reaction === 'die') this.finish(c, 128 + signalNumber(signal), signal);
    else if (reaction !== 'ignore' && !c.gracefulExitPlanned) {
      c.gracefulExitPlanned = true;
      const exit = (): void => this.finish(c, reaction.exitCode ?? 0);
      if (reaction.exitAfterMs > 0) this.after(c, reaction.exitAfterMs, exit);
      else exit();
    }
  }

  finish(c: FakeContainer, exitCode: number, signal?: NodeJS.Signals): void {
    if (!alive(c)) return;
    for (const cancel of c.timers) cancel();
    c.timers.clear();
    if (c.state === 'unknown') {
      // Nobody waited for it: its real code is unknowable (as the process runtime records a lost container).
      exitCode = 137;
      signal = undefined;
      Object.assign(c, { reason: 'ContainerStatusUnknown', message: 'fake: it ended while the runtime had lost track of it; its real exit code is unknown' });
    } else {
      c.reason = exitCode === 0 ? 'Completed' : 'Error';
    }
    Object.assign(c, { state: 'exited', exitCode, signal, finishedAt: this.host.clock.now() });
    this.host.record('exit', c, { exitCode, signal });
    this.host.emit({ type: 'exited', id: c.id, at: c.finishedAt!, exitCode, signal });
    c.exited.resolve();
    for (const wake of [...c.logWaiters]) wake();
  }

  appendLog(c: FakeContainer, text: string, stream: 'stdout' | 'stderr'): void {
    const now = this.host.clock.now();
    for (const line of text.split('\n')) c.logs.push({ time: rfc3339Nano(now), timeMs: now, stream, text: line });
    for (const wake of [...c.logWaiters]) wake();
  }

  /** Runs fn after ms on the clock, cancelled if the container exits first. */
  after(c: FakeContainer, ms: number, fn: () => void): void {
    const cancel = this.host.clock.setTimer(ms, () => {
      c.timers.delete(cancel);
      fn();
    });
    c.timers.add(cancel);
  }
}

export function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 0;
}
