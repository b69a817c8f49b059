import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const repo = join(import.meta.dirname, '..', '..', '..');

export interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Parsed JSON lines (with -o json). */
  objects: Array<Record<string, unknown>>;
}

/** Runs the built `hooklet` CLI and collects its output; kills it by PID if it overruns. */
export function hooklet(args: string[], timeoutMs = 60_000): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repo, 'bin', 'hooklet.js'), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
      reject(new Error(`hooklet ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const objects = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, stdout, stderr, objects });
    });
  });
}

export interface Entry {
  what: string;
  container?: string;
  detail?: string;
  timeMs: number;
}

export const timelineOf = (o: RunOutcome): Entry[] => o.objects.filter((x) => x.kind === 'TimelineEntry') as unknown as Entry[];
export const eventsOf = (o: RunOutcome): Array<{ reason: string; message: string; count?: number }> =>
  o.objects.filter((x) => x.kind === 'Event') as unknown as Array<{ reason: string; message: string; count?: number }>;

/** Time of the first entry with this `what` (ms). */
export function at(entries: Entry[], what: string, nth = 0): number {
  const found = entries.filter((e) => e.what === what)[nth];
  if (!found) throw new Error(`no ${what} #${nth} in the timeline: ${entries.map((e) => e.what).join(', ')}`);
  return found.timeMs;
}
