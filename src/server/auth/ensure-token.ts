import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readIfExists, writePrivateFile } from '../daemon/private-files.js';

/** The daemon's bearer token: made once, kept in `<dataDir>/token` (0600). */
export function ensureToken(dataDir: string): string {
  const path = join(dataDir, 'token');
  const existing = readIfExists(path)?.trim();
  if (existing) return existing;
  const token = randomBytes(32).toString('base64url');
  writePrivateFile(path, token + '\n');
  return token;
}
