import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod } from '../../api/types.js';
import { podRow } from './pod-table.js';

const now = Date.parse('2026-01-01T01:00:00Z');

function pod(statuses: ContainerStatus[], extra: Partial<Pod> = {}, phase = 'Running'): Pod {
  return {
    metadata: { name: 'p', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { containers: statuses.map((s) => ({ name: s.name, image: 'x' })), nodeName: 'node-1' },
    status: { phase, containerStatuses: statuses, podIPs: [{ ip: '127.0.0.1' }] },
    ...extra,
  };
}

const running = (name: string, ready = true, restartCount = 0): ContainerStatus => ({
  name,
  ready,
  restartCount,
  image: 'x',
  imageID: '',
  state: { running: { startedAt: '2026-01-01T00:00:01Z' } },
});

describe('podRow (printPod, contract §7)', () => {
  it('counts ready running containers and shows the phase', () => {
    const r = podRow(pod([running('a'), running('b', false)]), now);
    expect(r.cells).toEqual(['p', '1/2', 'Running', '0', '60m', '127.0.0.1', 'node-1', '<none>', '<none>']);
  });

  it('takes a waiting reason (CrashLoopBackOff) and shows restarts with the age of the last termination', () => {
    const s: ContainerStatus = {
      name: 'a',
      ready: false,
      restartCount: 3,
      image: 'x',
      imageID: '',
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-01-01T00:55:00Z' } },
    };
    const r = podRow(pod([s]), now);
    expect(r.cells.slice(1, 4)).toEqual(['0/1', 'CrashLoopBackOff', '3 (5m ago)']);
  });

  it('shows PostStartHookError, Completed, Error, ExitCode:N and Signal:N from container states', () => {
    const waiting = (reason: string): ContainerStatus => ({ name: 'a', ready: false, restartCount: 0, image: 'x', imageID: '', state: { waiting: { reason } } });
    expect(podRow(pod([waiting('PostStartHookError')]), now).cells[2]).toBe('PostStartHookError');
    const terminated = (t: { exitCode: number; reason?: string; signal?: number }): ContainerStatus => ({
      name: 'a', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: t },
    });
    expect(podRow(pod([terminated({ exitCode: 0, reason: 'Completed' })], {}, 'Succeeded'), now).cells[2]).toBe('Completed');
    expect(podRow(pod([terminated({ exitCode: 0, reason: 'Completed' })], {}, 'Succeeded'), now).conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    expect(podRow(pod([terminated({ exitCode: 1, reason: 'Error' })], {}, 'Failed'), now).cells[2]).toBe('Error');
    expect(podRow(pod([terminated({ exitCode: 2 })]), now).cells[2]).toBe('ExitCode:2');
    expect(podRow(pod([terminated({ exitCode: 137, signal: 9 })]), now).cells[2]).toBe('Signal:9');
  });

  it('R4.8: a pod with deletionTimestamp reads Terminating unless its phase is terminal', () => {
    const p = pod([running('a')]);
    p.metadata = { ...p.metadata, deletionTimestamp: '2026-01-01T01:00:30Z' };
    expect(podRow(p, now).cells[2]).toBe('Terminating');
    const done = pod([], {}, 'Succeeded');
    done.metadata = { ...done.metadata, deletionTimestamp: '2026-01-01T01:00:30Z' };
    expect(podRow(done, now).cells[2]).toBe('Succeeded');
  });

  it('shows Init:X/Y, Init:<reason> and counts sidecars as containers', () => {
    const p: Pod = {
      metadata: { name: 'p', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: {
        initContainers: [{ name: 'i1', image: 'x' }, { name: 'i2', image: 'x' }, { name: 'side', image: 'x', restartPolicy: 'Always' }],
        containers: [{ name: 'a', image: 'x' }],
      },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i1', ready: true, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'i2', ready: false, restartCount: 0, image: 'x', imageID: '', state: { running: {} } },
        ],
      },
    };
    expect(podRow(p, now).cells.slice(1, 3)).toEqual(['0/2', 'Init:1/3']);
    p.status!.initContainerStatuses![1]!.state = { waiting: { reason: 'CrashLoopBackOff' } };
    expect(podRow(p, now).cells[2]).toBe('Init:CrashLoopBackOff');
    p.status!.initContainerStatuses![1]!.state = { terminated: { exitCode: 3, reason: 'Error' } };
    expect(podRow(p, now).cells[2]).toBe('Init:Error');
  });

  it('NotReady when a Completed container sits beside a running one without the Ready condition', () => {
    const done: ContainerStatus = { name: 'b', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } };
    expect(podRow(pod([done, running('a')]), now).cells[2]).toBe('NotReady');
    const withReady = pod([done, running('a')]);
    withReady.status!.conditions = [{ type: 'Ready', status: 'True' }];
    expect(podRow(withReady, now).cells[2]).toBe('Running');
  });
});
