import { describe, expect, it } from 'vitest';
import { AGENT_DIED_BEFORE_SHIM, planRecovery, SHIM_DIED_BEFORE_START, type Snapshot } from './recovery-plan.js';
import type { StoredContainer } from './state-dir.js';

const config = { id: 'ab' } as StoredContainer;
const started = { pid: 10, startTicks: 1, shimPid: 9, shimStartTicks: 1, startedAt: 1 };
const shimClaim = { by: 'shim' as const, shimPid: 9, shimStartTicks: 1 };
const snap = (s: Partial<Snapshot>): Snapshot => ({ config, intent: false, errors: {}, shimAlive: false, containerAlive: false, ...s });
const broken = new Error('unreadable state file x: Unexpected end of JSON input');

describe('planRecovery', () => {
  it.each<[string, Partial<Snapshot>, ReturnType<typeof planRecovery>]>([
    ['never started', {}, { kind: 'created' }],
    ['exit recorded (whatever else)', { intent: true, started, exit: { exitCode: 3, finishedAt: 5 }, errors: { claim: broken } }, { kind: 'exited' }],
    ['shim alive', { intent: true, claim: shimClaim, started, shimAlive: true }, { kind: 'running' }],
    ['shim dead, process alive', { intent: true, started, containerAlive: true }, { kind: 'lost', reason: expect.stringContaining('shim died') }],
    ['shim and process gone, no exit', { intent: true, started }, { kind: 'lostExit' }],
    ['intent only: the agent died before the shim', { intent: true }, { kind: 'abandon', message: AGENT_DIED_BEFORE_SHIM }],
    ['a live shim claimed it, no process named yet', { intent: true, claim: shimClaim, shimAlive: true }, { kind: 'awaitShim' }],
    ['a dead shim claimed it, no process named', { intent: true, claim: shimClaim }, { kind: 'abandon', message: SHIM_DIED_BEFORE_START }],
    ['an earlier recovery claimed it', { intent: true, claim: { by: 'agent', at: 1, reason: 'r' } }, { kind: 'abandon', message: 'r' }],
    ['exit.json unreadable', { started, errors: { exit: broken } }, { kind: 'lost', reason: broken.message }],
    ['started.json unreadable', { intent: true, errors: { started: broken }, shimAlive: true }, { kind: 'lost', reason: broken.message }],
    ['claim.json unreadable', { intent: true, errors: { claim: broken } }, { kind: 'lost', reason: broken.message }],
    ['config.json unreadable', { config: undefined, errors: { config: broken } }, { kind: 'unreadable', error: broken }],
    ['no config.json', { config: undefined, started }, { kind: 'unreadable', error: expect.objectContaining({ message: expect.stringContaining('no config.json') }) }],
  ])('%s', (_name, s, plan) => {
    expect(planRecovery(snap(s))).toEqual(plan);
  });

  it('plans `created` (the one state the engine may start) only when no trace of a start attempt exists', () => {
    for (const intent of [false, true])
      for (const claim of [undefined, shimClaim, { by: 'agent' as const, at: 1, reason: 'r' }])
        for (const st of [undefined, started])
          for (const shimAlive of [false, true])
            for (const containerAlive of [false, true]) {
              const plan = planRecovery(snap({ intent, claim, started: st, shimAlive, containerAlive }));
              expect(plan.kind === 'created', JSON.stringify({ intent, claim, st, shimAlive, containerAlive })).toBe(!intent && !claim && !st);
            }
  });
});
