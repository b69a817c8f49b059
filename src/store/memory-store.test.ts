import { MemoryStore } from './memory-store.js';
import { storeConformance } from './store-conformance.case.js';
import { storeRetention } from './store-retention.case.js';

storeConformance('MemoryStore', { open: (clock, options) => new MemoryStore(clock, options) });
storeRetention('MemoryStore', { open: (clock, options) => new MemoryStore(clock, options) });
