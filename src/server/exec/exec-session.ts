import { PassThrough } from 'node:stream';
import type { ExecStreams } from '../../runtime/container-runtime.js';
import type { ExecRequest } from './exec-target.js';

/** One side of a channel.k8s.io connection, as the session needs it (a WebSocket in production). */
export interface ChannelSocket {
  readonly isOpen: boolean;
  send(data: Buffer): void;
  close(code: number): void;
  onMessage(listener: (data: Buffer) => void): void;
  onClose(listener: () => void): void;
}

export const channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export type ChannelProtocol = 'v5.channel.k8s.io' | 'v4.channel.k8s.io';

/** The subprotocol to answer with; v5 adds the stdin-close signal kubectl 1.32 relies on. */
export function chooseProtocol(offered: Iterable<string>): ChannelProtocol | undefined {
  const set = new Set(offered);
  if (set.has('v5.channel.k8s.io')) return 'v5.channel.k8s.io';
  if (set.has('v4.channel.k8s.io')) return 'v4.channel.k8s.io';
  return undefined;
}

function frame(ch: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([ch]), body]);
}

/** The metav1.Status kubectl reads from channel 3 (remotecommand's status writer). */
export function exitStatus(argv: string[], exitCode: number): unknown {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/**
 * Runs one `kubectl exec` over a channel socket: stdin from channel 0 (ended
 * by `[255, 0]` or the socket closing), stdout/stderr on 1/2, then the exit
 * Status on channel 3 and a normal close (1000) — without that close frame
 * kubectl hangs. A TTY has no separate stderr, so it goes to stdout.
 */
export async function runExecSession(socket: ChannelSocket, exec: ExecRequest): Promise<void> {
  const send = (ch: number, data: Buffer | string): void => {
    if (socket.isOpen) socket.send(frame(ch, data));
  };
  let stdin: PassThrough | undefined;
  if (exec.stdin) stdin = new PassThrough();
  socket.onMessage((data) => {
    if (data.length === 0) return;
    const ch = data[0];
    if (ch === channel.stdin) stdin?.write(data.subarray(1));
    else if (ch === channel.close && data[1] === channel.stdin) stdin?.end();
  });
  socket.onClose(() => stdin?.end());

  const streams: ExecStreams = {};
  if (stdin) streams.stdin = stdin;
  if (exec.stdout) streams.stdout = (chunk) => send(channel.stdout, chunk);
  if (exec.stderr || exec.tty) streams.stderr = (chunk) => send(exec.tty ? channel.stdout : channel.stderr, chunk);
  let status: unknown;
  try {
    const code = await exec.runtime.exec(exec.containerId, exec.argv, streams);
    status = exitStatus(exec.argv, code);
  } catch (err) {
    status = {
      metadata: {},
      status: 'Failure',
      message: err instanceof Error ? err.message : String(err),
      reason: 'InternalError',
      code: 500,
    };
  }
  send(channel.error, JSON.stringify(status));
  if (socket.isOpen) socket.close(1000);
}
