import type { Container, CoreEvent, Pod } from '../api/types.js';
import { FakeClock } from '../clock/fake-clock.js';
import { FakeRuntime } from '../runtime/fake/fake-runtime.js';
import { MemoryStore } from '../store/memory-store.js';
import type { TimelineEntry } from '../store/pod-store.js';
import { Kubelet } from './kubelet.js';

/** An engine on the fake clock, fake runtime and memory store; t=0 is the start. */
export async function engine() {
  const clock = new FakeClock(Date.UTC(2026, 10, 29, 0, 0, 0));
  const t0 = clock.now();
  const runtime = new FakeRuntime(clock);
  const store = new MemoryStore(clock);
  const timeline: TimelineEntry[] = [];
  const kubelet = new Kubelet({ store, runtime, clock, nodeName: 'node', podIP: '127.0.0.1', onTimeline: (e) => timeline.push(e) });
  await kubelet.start();
  return {
    clock,
    runtime,
    store,
    kubelet,
    timeline,
    /** Seconds since t=0. */
    t: (): number => (clock.now() - t0) / 1000,
    at: (ms: number): number => (ms - t0) / 1000,
    create(spec: Partial<Pod['spec']> & { containers: Container[] }, name = 'web'): Pod {
      return store.createPod({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, nodeName: 'node', ...spec },
      });
    },
    pod(name = 'web'): Pod | undefined {
      return store.getPod('default', name);
    },
    events(): CoreEvent[] {
      return store.listEvents().items;
    },
    /** `reason: message` of each event, in order. */
    eventLines(): string[] {
      return store.listEvents().items.map((e) => `${e.reason}: ${e.message}`);
    },
    /** Timeline `what` values of one container with their times in seconds. */
    marks(container: string): Array<[string, number]> {
      return timeline.filter((e) => e.container === container).map((e) => [e.what, (e.timeMs - t0) / 1000]);
    },
    async advance(seconds: number): Promise<void> {
      await clock.advance(seconds * 1000);
    },
  };
}

export const app = (extra: Partial<Container> = {}): Container => ({ name: 'app', image: 'app:1', command: ['app'], ...extra });
