import { MemoryStore } from './memory-store.js';
import { storeConformance } from './store-conformance.case.js';
import { storeRetention } from './store-retention.case.js';
import { storeDeleteConformance } from './store-delete.case.js';
import { storeWatchConformance } from './store-watch.case.js';

storeConformance('MemoryStore', { open: (clock, options) => new MemoryStore(clock, options) });
storeRetention('MemoryStore', { open: (clock, options) => new MemoryStore(clock, options) });
storeDeleteConformance('MemoryStore', { open: (clock, options) => new MemoryStore(clock, options) });
storeWatchConformance('MemoryStore', { open: (clock, options) => new MemoryStore(clock, options) });
