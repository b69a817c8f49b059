import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api/types.js';
import { newRecord, type ContainerRecord } from './container-record.js';
import { planSync, podFinished, shouldRestart } from './sync-plan.js';

const c = (name: string, extra: Partial<Container> = {}): Container => ({ name, image: 'x', command: ['true'], ...extra });
const podOf = (policy: string, containers: Container[], init: Container[] = []): Pod => ({
  metadata: { name: 'p', uid: 'u' },
  spec: { restartPolicy: policy, containers, initContainers: init },
});
function exited(r: ContainerRecord, code: number): ContainerRecord {
  r.id = 'id';
  r.phase = 'exited';
  r.terminated = { exitCode: code, reason: code ? 'Error' : 'Completed', startedAt: 0, finishedAt: 1, containerID: 'x://id' };
  return r;
}
const plan = (pod: Pod, records: ContainerRecord[], inBackOff = false) =>
  planSync({ pod, records, nowMs: 10, inBackOff: () => inBackOff, retryAtMs: () => undefined }).map((s) => `${s.type}${'rec' in s ? `:${s.rec.name}` : ''}`);

describe('shouldRestart (R6.1)', () => {
  it('R6.1: Never keeps exited containers down; OnFailure restarts only failures; Always restarts', () => {
    const r = exited(newRecord(c('a'), 'main'), 0);
    expect(shouldRestart('Never', r)).toBe(false);
    expect(shouldRestart('OnFailure', r)).toBe(false);
    expect(shouldRestart('Always', r)).toBe(true);
    const f = exited(newRecord(c('a'), 'main'), 1);
    expect(shouldRestart('OnFailure', f)).toBe(true);
    expect(shouldRestart('Never', f)).toBe(false);
  });
  it('R5.3: sidecars always restart', () => {
    expect(shouldRestart('Never', exited(newRecord(c('s'), 'sidecar'), 0))).toBe(true);
  });
});

describe('planSync', () => {
  it('R2.2: starts the containers in declaration order', () => {
    const pod = podOf('Always', [c('a'), c('b')]);
    expect(plan(pod, [newRecord(c('a'), 'main'), newRecord(c('b'), 'main')])).toEqual(['start:a', 'start:b']);
  });

  it('R6.3/R6.4: an exited container in back-off is refused, not started', () => {
    const pod = podOf('Always', [c('a')]);
    expect(plan(pod, [exited(newRecord(c('a'), 'main'), 1)], true)).toEqual(['backoff:a']);
    expect(plan(pod, [exited(newRecord(c('a'), 'main'), 1)], false)).toEqual(['start:a']);
  });

  it('init containers run one at a time before the regular containers', () => {
    const pod = podOf('Always', [c('main')], [c('i1'), c('i2')]);
    const i1 = newRecord(c('i1'), 'init');
    const i2 = newRecord(c('i2'), 'init');
    const m = newRecord(c('main'), 'main');
    expect(plan(pod, [i1, i2, m])).toEqual(['start:i1']);
    exited(i1, 0);
    expect(plan(pod, [i1, i2, m])).toEqual(['start:i2']);
    exited(i2, 0);
    expect(plan(pod, [i1, i2, m])).toEqual(['start:main']);
  });

  it('a failed init container under Never stops the pod; under Always it is restarted', () => {
    const i1 = exited(newRecord(c('i1'), 'init'), 1);
    const m = newRecord(c('main'), 'main');
    expect(plan(podOf('Never', [c('main')], [c('i1')]), [i1, m])).toEqual([]);
    expect(plan(podOf('Always', [c('main')], [c('i1')]), [i1, m])).toEqual(['start:i1']);
  });

  it('R5.3: a sidecar is started (not restarted) the first time, and blocks the next init container until it runs', () => {
    const side = newRecord(c('side', { restartPolicy: 'Always' }), 'sidecar');
    const steps = planSync({ pod: podOf('Always', [c('main')], [c('side', { restartPolicy: 'Always' })]), records: [side, newRecord(c('main'), 'main')], nowMs: 0, inBackOff: () => false, retryAtMs: () => undefined });
    expect(steps).toEqual([{ type: 'start', rec: side, restart: false }]);
  });

  it('R5.4: once the regular containers are done, running sidecars are killed', () => {
    const s = newRecord(c('side', { restartPolicy: 'Always' }), 'sidecar');
    s.id = 's';
    s.phase = 'running';
    const m = exited(newRecord(c('main'), 'main'), 0);
    expect(plan(podOf('Never', [c('main')], [c('side', { restartPolicy: 'Always' })]), [s, m])).toEqual(['killSidecars']);
  });

  it('R7.2: a changed definition restarts a running container', () => {
    const r = newRecord(c('a'), 'main');
    r.id = 'x';
    r.phase = 'running';
    r.startedSpecJson = JSON.stringify(c('a', { image: 'old' }));
    expect(plan(podOf('Always', [c('a')]), [r])).toEqual(['restartChanged:a']);
  });

  it('podFinished: all regular containers exited and none to restart', () => {
    const pod = podOf('OnFailure', [c('a')]);
    expect(podFinished(pod, [exited(newRecord(c('a'), 'main'), 0)])).toBe(true);
    expect(podFinished(pod, [exited(newRecord(c('a'), 'main'), 1)])).toBe(false);
    expect(podFinished(podOf('Always', [c('a')]), [exited(newRecord(c('a'), 'main'), 0)])).toBe(false);
  });
});
