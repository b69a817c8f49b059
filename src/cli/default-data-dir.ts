import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where `hooklet serve` keeps its state when no --data-dir is given, and where the client commands look for it. */
export function defaultDataDir(): string {
  return join(homedir(), '.hooklet');
}
