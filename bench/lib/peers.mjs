// Where the peers come from, and how to get them when they are missing.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PEERS_DIR = fileURLToPath(new URL('../.peers/', import.meta.url));
const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));

export const PM2_VERSION = '7.0.4';

/** The pm2 package directory: a devDependency, else bench/.peers (see bench/README.md). */
export function findPm2() {
  for (const base of [PROJECT_DIR, PEERS_DIR]) {
    const dir = `${base}node_modules/pm2/`;
    if (existsSync(`${dir}package.json`)) return dir;
  }
  return undefined;
}

export function pm2InstallHint() {
  return `PM2 not found: install it with  npm i --prefix bench/.peers pm2@${PM2_VERSION}  (or as a devDependency: npm i -D -E pm2@${PM2_VERSION})`;
}

export function findSupervisord() {
  const r = spawnSync('sh', ['-c', 'command -v supervisord'], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path ? path : undefined;
}

export function supervisorInstallHint() {
  return 'supervisord not found: install it with  apt-get install -y supervisor  (the bench runs a private instance; it never uses the system service)';
}

export function supervisordVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.stdout.trim() || undefined;
}
