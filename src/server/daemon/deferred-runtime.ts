import type { ContainerRuntime } from '../../runtime/container-runtime.js';

/**
 * A runtime for the API server while the engine is still starting: every
 * call waits until `current` resolves (the engine has recovered its
 * containers), then goes to whatever runtime the engine uses at that moment
 * (an injected restart replaces it). `name` is known up front, so requests
 * that only check it need not wait.
 */
export function deferredRuntime(name: string, current: Promise<() => ContainerRuntime>): ContainerRuntime {
  current.catch(() => {}); // a failed start is reported by whoever started the engine; each call here fails with it
  const now = async (): Promise<ContainerRuntime> => (await current)();
  return {
    name,
    create: async (config) => (await now()).create(config),
    start: async (id) => (await now()).start(id),
    stop: async (id, timeoutMs, signal) => (await now()).stop(id, timeoutMs, signal),
    execSync: async (id, argv, timeoutMs) => (await now()).execSync(id, argv, timeoutMs),
    exec: async (id, argv, streams) => (await now()).exec(id, argv, streams),
    status: async (id) => (await now()).status(id),
    list: async (filter) => (await now()).list(filter),
    logs: async (id, options, out) => (await now()).logs(id, options, out),
    remove: async (id) => (await now()).remove(id),
    onEvent(listener) {
      let unsubscribe: (() => void) | undefined;
      let cancelled = false;
      current.then(
        (get) => {
          if (!cancelled) unsubscribe = get().onEvent(listener);
        },
        () => {},
      );
      return () => {
        cancelled = true;
        unsubscribe?.();
      };
    },
    close: async () => (await now()).close(),
  };
}
