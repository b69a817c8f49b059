import { MemoryStore } from './memory-store.js';
import { storeConformance } from './store-conformance.case.js';

storeConformance('MemoryStore', { open: (clock, options) => new MemoryStore(clock, options) });
