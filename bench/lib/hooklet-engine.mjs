// hooklet's engine in this process, composed as the one-shot `hooklet run`
// composes it (memory store) or as the daemon does (SQLite store), over the
// process runtime and the real clock, from the built dist/.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyDefaults } from '../../dist/api/defaults.js';
import { RealClock } from '../../dist/clock/real-clock.js';
import { Kubelet } from '../../dist/kubelet/kubelet.js';
import { ProcessRuntime } from '../../dist/runtime/process/process-runtime.js';
import { MemoryStore } from '../../dist/store/memory-store.js';
import { SqliteStore } from '../../dist/store/sqlite-store.js';
import { scratchParent } from '../../dist/runtime/process/volatile-dir.js';
import { nowNs } from './clock.mjs';
import { podRunning } from './pod-manifest.mjs';

export const NODE_NAME = 'bench';

export class HookletEngine {
  /** @param {{ workDir: string, store: 'memory'|'sqlite' }} o */
  static async start(o) {
    const clock = new RealClock();
    const store = o.store === 'sqlite' ? new SqliteStore(join(o.workDir, 'hooklet.db'), clock) : new MemoryStore(clock);
    // Container state where each composition keeps it: `hooklet run` in a scratch dir that
    // lives as long as the run (on tmpfs when there is one), the daemon under its data dir.
    const stateDir = o.store === 'sqlite' ? join(o.workDir, 'containers') : mkdtempSync(join(scratchParent(), 'hooklet-bench-run-'));
    const runtime = new ProcessRuntime({ stateDir, clock });
    const timeline = [];
    const kubelet = new Kubelet({
      store,
      runtime,
      clock,
      nodeName: NODE_NAME,
      podIP: '127.0.0.1',
      baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      onTimeline: (e) => timeline.push(e),
    });
    await kubelet.start();
    return new HookletEngine(store, runtime, kubelet, timeline, o.store === 'sqlite' ? undefined : stateDir);
  }

  constructor(store, runtime, kubelet, timeline, scratchDir) {
    this.scratchDir = scratchDir;
    this.store = store;
    this.runtime = runtime;
    this.kubelet = kubelet;
    this.timeline = timeline;
    /** pod name -> ns when its container was first seen running */
    this.runningAt = new Map();
    this.waiters = [];
    this.unwatch = store.watchPods(undefined, (e) => {
      if (e.type === 'DELETED' || !podRunning(e.object)) return;
      const name = e.object.metadata.name;
      if (this.runningAt.has(name)) return;
      this.runningAt.set(name, nowNs());
      this.waiters = this.waiters.filter((w) => !w());
    });
  }

  /** Creates the pods (defaulted, bound to this node); returns their uids. */
  create(pods) {
    return pods.map((p) => this.store.createPod(applyDefaults({ ...p, spec: { ...p.spec, nodeName: NODE_NAME } })).metadata.uid);
  }

  /** Resolves with the ns at which the last of `names` was seen Running. */
  allRunning(names) {
    const check = () => names.every((n) => this.runningAt.has(n));
    const last = () => names.reduce((a, n) => (this.runningAt.get(n) > a ? this.runningAt.get(n) : a), 0n);
    if (check()) return Promise.resolve(last());
    return new Promise((resolve) => {
      this.waiters.push(() => {
        if (!check()) return false;
        resolve(last());
        return true;
      });
    });
  }

  /** Graceful delete of each pod (grace from the pod spec); resolves with the ns when every pod is fully terminated. */
  async deleteAll(names, uids) {
    for (const name of names) this.store.deletePod('default', name);
    await Promise.all(uids.map((uid) => this.kubelet.terminated(uid)));
    return nowNs();
  }

  async close() {
    this.unwatch();
    await this.kubelet.stop();
    await this.runtime.close();
    this.store.close();
    if (this.scratchDir) rmSync(this.scratchDir, { recursive: true, force: true, maxRetries: 3 });
  }
}
