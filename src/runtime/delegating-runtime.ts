import type { ContainerRuntime } from './container-runtime.js';

/**
 * A runtime that forwards every call to whatever `current()` returns, so a
 * long-lived holder (the API server) keeps working when the agent replaces
 * its runtime client after a restart.
 */
export function delegatingRuntime(current: () => ContainerRuntime): ContainerRuntime {
  return {
    get name() {
      return current().name;
    },
    create: (config) => current().create(config),
    start: (id) => current().start(id),
    stop: (id, timeoutMs, signal) => current().stop(id, timeoutMs, signal),
    execSync: (id, argv, timeoutMs) => current().execSync(id, argv, timeoutMs),
    exec: (id, argv, streams) => current().exec(id, argv, streams),
    status: (id) => current().status(id),
    list: (filter) => current().list(filter),
    logs: (id, options, out) => current().logs(id, options, out),
    remove: (id) => current().remove(id),
    onEvent: (listener) => current().onEvent(listener),
    close: () => current().close(),
  };
}
