import type { Pod } from '../api/types.js';
import { jsonClone } from './json-clone.js';

interface Entry {
  json: string;
  /** Only when kept parsed; never handed out or changed (later versions share its members). */
  pod?: Pod;
}

/**
 * The latest committed version of each pod the store has written or read, so
 * the store's own read-modify-writes (status, delete, remove) and getPod do
 * not go back to the backend — on SQLite that read cost more than a parse.
 * Kept as text (the same string the write produced, so mostly shared with the
 * watch window) and, when `keepParsed`, also parsed, which spares a parse per
 * write for about 3 kB of heap per pod.
 *
 * It stays coherent because every write goes through the one store that owns
 * the backend (the SQLite file is held with an exclusive lock) and it is
 * updated only after a write has committed.
 */
export class CurrentPods {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly keepParsed: boolean) {}

  /**
   * For the store's own use: never hand it out or change it. When kept
   * parsed, the kept object itself; otherwise a fresh parse.
   */
  get(namespace: string, name: string): Pod | undefined {
    const entry = this.entries.get(key(namespace, name));
    if (!entry) return undefined;
    return entry.pod ?? (JSON.parse(entry.json) as Pod);
  }

  /** A copy the caller owns. */
  copy(namespace: string, name: string): Pod | undefined {
    const entry = this.entries.get(key(namespace, name));
    if (!entry) return undefined;
    return entry.pod ? jsonClone(entry.pod) : (JSON.parse(entry.json) as Pod);
  }

  /**
   * `pod` must be what JSON.parse(json) gives (no undefined members, Dates,
   * NaN, -0): later writes build on it and compare with it, and it must not
   * be shared with anyone outside the store.
   */
  set(namespace: string, name: string, pod: Pod, json: string): void {
    this.entries.set(key(namespace, name), this.keepParsed ? { json, pod } : { json });
  }

  delete(namespace: string, name: string): void {
    this.entries.delete(key(namespace, name));
  }

  clear(): void {
    this.entries.clear();
  }
}

function key(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}
