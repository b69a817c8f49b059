import { describe, expect, it } from 'vitest';
import type { ContainerRuntime, RuntimeEvent } from '../../runtime/container-runtime.js';
import { deferredRuntime } from './deferred-runtime.js';

function stubRuntime(tag: string, listeners: Array<(e: RuntimeEvent) => void> = []): ContainerRuntime {
  return {
    name: 'process',
    status: async (id: string) => ({ id: `${tag}:${id}` }),
    onEvent: (l: (e: RuntimeEvent) => void) => {
      listeners.push(l);
      return () => listeners.splice(listeners.indexOf(l), 1);
    },
  } as unknown as ContainerRuntime;
}

describe('deferredRuntime', () => {
  it('knows its name at once and holds calls until the engine has a runtime, then follows the current one', async () => {
    let resolve!: (get: () => ContainerRuntime) => void;
    const rt = deferredRuntime('process', new Promise((r) => (resolve = r)));
    expect(rt.name).toBe('process');
    let answered: unknown;
    const pending = rt.status('c1').then((s) => (answered = s));
    await new Promise((r) => setImmediate(r));
    expect(answered).toBeUndefined();
    let current = stubRuntime('first');
    resolve(() => current);
    await pending;
    expect(answered).toEqual({ id: 'first:c1' });
    current = stubRuntime('second'); // an injected restart replaced it
    expect(await rt.status('c2')).toEqual({ id: 'second:c2' });
  });

  it('fails every call with the engine start error', async () => {
    const failed = Promise.reject(new Error('engine failed'));
    const rt = deferredRuntime('process', failed);
    await expect(rt.status('c1')).rejects.toThrow('engine failed');
  });

  it('subscribes event listeners once the runtime exists, and unsubscribes them', async () => {
    const listeners: Array<(e: RuntimeEvent) => void> = [];
    let resolve!: (get: () => ContainerRuntime) => void;
    const rt = deferredRuntime('process', new Promise((r) => (resolve = r)));
    const off = rt.onEvent(() => {});
    const cancelled = rt.onEvent(() => {});
    cancelled();
    const runtime = stubRuntime('x', listeners);
    resolve(() => runtime);
    await new Promise((r) => setImmediate(r));
    expect(listeners).toHaveLength(1);
    off();
    expect(listeners).toHaveLength(0);
  });
});
