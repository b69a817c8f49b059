import type { Clock } from '../clock/clock.js';
import { BackedPodStore, type StoreOptions } from './backed-pod-store.js';
import { MemoryBackend } from './memory-backend.js';

/** The store of the one-shot `hooklet run` and of engine tests: everything in process memory. */
export class MemoryStore extends BackedPodStore {
  constructor(clock: Clock, options: StoreOptions = {}) {
    super(new MemoryBackend(), clock, options);
  }
}
