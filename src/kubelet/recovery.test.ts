import { describe, expect, it } from 'vitest';
import { Kubelet } from './kubelet.js';
import { app, engine } from './engine-harness.case.js';

type Engine = Awaited<ReturnType<typeof engine>>;

/** The agent dies (detaches) and a new one starts over the same store and runtime. */
async function restartAgent(e: Engine): Promise<Kubelet> {
  await e.kubelet.stop();
  const next = new Kubelet({ store: e.store, runtime: e.runtime, clock: e.clock, nodeName: 'node', podIP: '127.0.0.1', onTimeline: (x) => e.timeline.push(x) });
  await next.start();
  return next;
}

describe('agent restart (R4.9, R4.6, timeline e)', () => {
  it('timeline (e): a restart during preStop delivers it again from the start with the full grace', async () => {
    const e = await engine();
    e.runtime.behave('app', { onStop: 'ignore' });
    e.create({ containers: [app({ lifecycle: { preStop: { sleep: { seconds: 30 } } } })] });
    await e.advance(1);
    e.store.deletePod('default', 'web');
    await e.advance(10);
    await restartAgent(e);
    await e.advance(40);
    // Second delivery starts at 11 with a full 30 s, so SIGTERM at 41 and SIGKILL at 43.
    expect(e.runtime.signalsSent('app').map((s) => `${s.signal}@${e.at(s.at)}`)).toEqual(['SIGTERM@41', 'SIGKILL@43']);
    // The second Killing is the same event again: de-duplicated with a count.
    expect(e.events().find((x) => x.reason === 'Killing')!.count).toBe(2);
    const marks = e.timeline.filter((t) => t.what === 'preStop.started' || t.what === 'agent.restart').map((t) => `${t.what}@${e.at(t.timeMs)}`);
    expect(marks).toEqual(['preStop.started@1', 'agent.restart@11', 'preStop.started@11']);
    expect(e.pod()).toBeUndefined();
  });

  it('timeline (e.4): a restart during postStart does not run the postStart again; the container is Running', async () => {
    const e = await engine();
    e.runtime.onExec('app', { durationMs: 5000 });
    e.create({ containers: [app({ lifecycle: { postStart: { exec: { command: ['warm'] } } } })] });
    await e.advance(2);
    await restartAgent(e);
    await e.advance(10);
    expect(e.runtime.execCalls('app')).toHaveLength(1);
    expect(e.runtime.callsFor('app', 'create')).toHaveLength(1);
    expect(e.pod()!.status!.containerStatuses![0]!.state!.running).toBeDefined();
  });

  it('no container is started twice: a running pod is adopted as it is', async () => {
    const e = await engine();
    e.create({ containers: [app({ name: 'a' }), app({ name: 'b' })] });
    await e.advance(1);
    await restartAgent(e);
    await e.advance(30);
    expect(e.runtime.calls.filter((c) => c.op === 'create')).toHaveLength(2);
    expect(e.pod()!.status!.phase).toBe('Running');
  });

  it('an exit while no agent ran is recorded with its real time, then the restart policy applies', async () => {
    const e = await engine();
    e.create({ containers: [app()] });
    await e.advance(1);
    await e.kubelet.stop();
    await e.advance(2);
    e.runtime.exit('app', 3);
    await e.advance(2);
    const next = new Kubelet({ store: e.store, runtime: e.runtime, clock: e.clock, nodeName: 'node', podIP: '127.0.0.1', onTimeline: (x) => e.timeline.push(x) });
    await next.start();
    await e.advance(1);
    const exited = e.timeline.find((t) => t.what === 'exited')!;
    expect(e.at(exited.timeMs)).toBe(3);
    expect(exited.detail).toContain('while no agent was running');
    const st = e.pod()!.status!.containerStatuses![0]!;
    expect(st.restartCount).toBe(1);
    expect(st.lastState!.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  });

  it('R4.6: a pod force-deleted while the agent was down is an orphan: stopped with the 2 s floor, no preStop', async () => {
    const e = await engine();
    e.runtime.behave('app', { onStop: 'ignore' });
    e.create({ containers: [app({ lifecycle: { preStop: { exec: { command: ['drain'] } } } })] });
    await e.advance(1);
    await e.kubelet.stop();
    e.store.deletePod('default', 'web', 0);
    const next = new Kubelet({ store: e.store, runtime: e.runtime, clock: e.clock, nodeName: 'node', podIP: '127.0.0.1' });
    await next.start();
    await e.advance(5);
    await next.orphansDone;
    expect(e.runtime.execCalls('app')).toHaveLength(0);
    expect(e.runtime.signalsSent('app').map((s) => `${s.signal}@${e.at(s.at)}`)).toEqual(['SIGTERM@1', 'SIGKILL@3']);
    expect(await e.runtime.list()).toEqual([]);
  });

  it('a detached agent writes nothing more', async () => {
    const e = await engine();
    e.runtime.behave('app', { onStop: 'ignore' });
    e.create({ containers: [app({ lifecycle: { preStop: { sleep: { seconds: 5 } } } })] });
    await e.advance(1);
    e.store.deletePod('default', 'web');
    await e.advance(1);
    await e.kubelet.stop();
    const events = e.events().length;
    const entries = e.timeline.length;
    await e.advance(20);
    expect(e.events()).toHaveLength(events);
    expect(e.timeline).toHaveLength(entries);
    expect(e.runtime.callsFor('app', 'stop')).toHaveLength(0);
  });
});
