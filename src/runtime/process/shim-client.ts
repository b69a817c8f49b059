import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuntimeError } from '../container-runtime.js';
import type { Spawner, SpawnHandle } from './spawner.js';
import { startedProblem, type StartedRecord, type StoredContainer } from './state-dir.js';

/** build/hooklet-shim at the package root (same relative path from src/ and dist/). */
export function defaultShimPath(): string {
  return fileURLToPath(new URL('../../../build/hooklet-shim', import.meta.url));
}

/** build/hooklet-spawner, built beside the shim. */
export function spawnerPathFor(shimPath: string): string {
  return join(dirname(shimPath), 'hooklet-spawner');
}

/** started: the shim's started.json as sent in its handshake (absent if it could not be parsed: read the file). */
export type ShimStart = { ok: true; pid: number; started?: StartedRecord } | { ok: false; message: string };

/**
 * Starts the shim for one container through the spawner and waits for its
 * handshake. The shim runs in its own session with no tie to the agent's
 * stdio: its stdout is a pipe only until the handshake line, then the shim
 * points it at /dev/null. The runtime follows the shim through its pid
 * watcher, as it does the shims of an earlier agent.
 */
export function startShim(spawner: Spawner, shimPath: string, dir: string, stored: StoredContainer): Promise<ShimStart> {
  return new Promise((resolve, reject) => {
    let text = '';
    let settled = false;
    const finish = (line: string): void => {
      if (settled) return;
      settled = true;
      handle.release();
      const started = /^started (\d+)(?: (\{.*\}))?$/.exec(line.trim());
      if (started) {
        resolve({ ok: true, pid: Number(started[1]), started: parseStarted(started[2]) });
      } else if (line.startsWith('error ')) {
        resolve({ ok: false, message: line.slice('error '.length).trim() });
      } else {
        resolve({ ok: false, message: `the shim exited without reporting a start (${JSON.stringify(line)})` });
      }
    };
    let handle: SpawnHandle;
    try {
      handle = spawner.spawn(
        { path: shimPath, argv: [shimPath, 'run', dir, stored.cwd, ...stored.argv], env: stored.env, detached: true, pipe: [1] },
        {
          onData: (_fd, chunk) => {
            text += chunk.toString('utf8');
            const nl = text.indexOf('\n');
            if (nl >= 0) finish(text.slice(0, nl));
          },
          onEof: () => finish(text),
          onError: (err, spawned) => {
            if (settled) return;
            if (spawned) {
              // The shim may run: the caller reads its state files to find out.
              finish(`error ${err.message}`);
              return;
            }
            settled = true;
            reject(
              new RuntimeError(
                'StartFailed',
                `cannot run the process runtime's shim ${shimPath}: ${err.message} (build it with "npm run build"; it needs a C compiler)`,
                { cause: err },
              ),
            );
          },
        },
      );
    } catch (err) {
      // e.g. a NUL byte in an argument or env value
      reject(new RuntimeError('StartFailed', `cannot start the shim: ${(err as Error).message}`, { cause: err }));
    }
  });
}

function parseStarted(json: string | undefined): StartedRecord | undefined {
  if (json === undefined) return undefined;
  try {
    const value = JSON.parse(json) as Partial<StartedRecord>;
    return startedProblem(value) === undefined ? (value as StartedRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** The shim's stop control FIFO inside the container's state directory (see native/hooklet-shim.c). */
export const CONTROL_FIFO = 'ctl';

const MAX_TIMEOUT_MS = 100_000_000_000;

/**
 * Asks the container's shim to send `signo` to the container's group now and
 * to SIGKILL the group `timeoutMs` from now (at once for 0); a deadline
 * already set only ever moves earlier. False when no shim listens (the shim
 * is gone, or predates the control FIFO): the caller must keep the deadline.
 *
 * Synchronous on purpose: open/write/close on a FIFO take microseconds,
 * while an async open would queue behind the libuv threadpool, which is busy
 * exactly when many containers stop at once.
 */
export function requestStop(dir: string, signo: number, timeoutMs: number, sentAtMs?: number): boolean {
  let fd: number;
  try {
    // Non-blocking: fails with ENXIO at once when no shim holds the FIFO open.
    fd = openSync(join(dir, CONTROL_FIFO), constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    // The shim caps the timeout too; this keeps the number in plain digits.
    // sentAtMs lets the shim count the deadline from now, not from when it reads the line.
    const at = sentAtMs !== undefined ? ` ${sentAtMs.toFixed(3)}` : '';
    const line = `stop ${signo} ${Math.min(Math.max(0, Math.ceil(timeoutMs)), MAX_TIMEOUT_MS)}${at}\n`;
    // One write well under PIPE_BUF is atomic: all of it or (pipe full, EAGAIN) nothing.
    return writeSync(fd, line) === Buffer.byteLength(line);
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
