import { describe, expect, it } from 'vitest';
import type { Pod, PodStatus } from '../../api/types.js';
import type { ContainerRuntime, LogOptions } from '../../runtime/container-runtime.js';
import { RuntimeError } from '../../runtime/container-runtime.js';
import { makeHarness, podManifest } from '../server-harness.case.js';

interface LogCall {
  id: string;
  options: LogOptions;
}

function fakeRuntime(calls: LogCall[], lines: Record<string, string>): ContainerRuntime {
  return {
    name: 'process',
    async logs(id: string, options: LogOptions, out: (chunk: string) => void) {
      calls.push({ id, options });
      if (!(id in lines)) throw new RuntimeError('NotFound', `no container ${id}`);
      out(lines[id]!);
    },
  } as unknown as ContainerRuntime;
}

async function podWithStatus(h: ReturnType<typeof makeHarness>, status: PodStatus, pod: Pod = podManifest('web')): Promise<void> {
  const created = (await h.call('POST', '/api/v1/namespaces/default/pods', { body: pod })).json as Pod;
  h.store.updatePodStatus('default', 'web', created.metadata.uid!, status);
}

const running: PodStatus = {
  phase: 'Running',
  containerStatuses: [
    {
      name: 'app',
      ready: true,
      restartCount: 1,
      image: 'busybox',
      imageID: '',
      containerID: 'process://c2',
      state: { running: { startedAt: '2026-01-01T00:00:01Z' } },
      lastState: { terminated: { exitCode: 1, containerID: 'process://c1' } },
    },
  ],
};

const url = '/api/v1/namespaces/default/pods/web/log';

describe('pod logs (contract §14)', () => {
  it('streams the current instance as text/plain, passing the options through', async () => {
    const calls: LogCall[] = [];
    const h = makeHarness({ runtime: fakeRuntime(calls, { c2: 'hello\n' }) });
    await podWithStatus(h, running);
    const r = await h.call('GET', `${url}?container=app&tailLines=2&limitBytes=1000&sinceSeconds=3600&timestamps=true&follow=true`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain');
    expect(r.text).toBe('hello\n');
    expect(calls[0]!.id).toBe('c2');
    expect(calls[0]!.options).toMatchObject({ tailLines: 2, limitBytes: 1000, timestamps: true, follow: true, sinceTime: h.clock.now() - 3_600_000 });
  });

  it('reads the previous instance with previous=true', async () => {
    const calls: LogCall[] = [];
    const h = makeHarness({ runtime: fakeRuntime(calls, { c1: 'old\n' }) });
    await podWithStatus(h, running);
    expect((await h.call('GET', `${url}?container=app&previous=true`)).text).toBe('old\n');
  });

  it('answers --previous without lastState.terminated with the kubelet 400', async () => {
    const h = makeHarness({ runtime: fakeRuntime([], {}) });
    await podWithStatus(h, { phase: 'Running', containerStatuses: [{ ...running.containerStatuses![0]!, lastState: {} }] });
    const r = await h.call('GET', `${url}?container=app&previous=true`);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ reason: 'BadRequest', message: 'previous terminated container "app" in pod "web" not found' });
  });

  it('rejects an unknown container and names the choices when several exist', async () => {
    const h = makeHarness({ runtime: fakeRuntime([], {}) });
    const pod = podManifest('web');
    pod.spec.containers.push({ name: 'side', image: 'x' });
    await podWithStatus(h, running, pod);
    expect((await h.call('GET', `${url}?container=zzz`)).json.message).toBe('container zzz is not valid for pod web');
    expect((await h.call('GET', url)).json.message).toBe('a container name must be specified for pod web, choose one of: [app side]');
  });

  it('says a waiting container has no logs yet', async () => {
    const h = makeHarness({ runtime: fakeRuntime([], {}) });
    await podWithStatus(h, {
      phase: 'Pending',
      containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: 'x', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }],
    });
    expect((await h.call('GET', url)).json.message).toBe('container "app" in pod "web" is waiting to start: ContainerCreating');
  });

  it('404s a missing pod', async () => {
    const r = await makeHarness().call('GET', '/api/v1/namespaces/default/pods/nope/log?container=x');
    expect(r.json.message).toBe('pods "nope" not found');
  });
});
