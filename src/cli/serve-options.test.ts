import { describe, expect, it, vi } from 'vitest';
import { main } from './main.js';
import { serveCommand } from './serve-command.js';
import { parseServeArgs, type ServeOptions } from './serve-options.js';

/** What commander makes of `hooklet serve ARGS`: the options, or the error it reports. */
async function viaCommander(args: string[]): Promise<ServeOptions | { error: string }> {
  let got: ServeOptions | undefined;
  const cmd = serveCommand(async (opts) => {
    got = opts;
  });
  cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  try {
    await cmd.parseAsync(args, { from: 'user' });
  } catch (err) {
    return { error: (err as Error).message };
  }
  return { ...got! };
}

describe('parseServeArgs (the daemon start without commander)', () => {
  const plain: string[][] = [
    [],
    ['--port', '0'],
    ['--port=8443'],
    ['--port', '65535', '--address', '0.0.0.0'],
    ['--data-dir', '/tmp/hk', '--address', '::1'],
    ['--data-dir=/a', '--data-dir', '/b'],
    ['--restart-agent-during', 'preStop', '--port', '0'],
    ['--restart-agent-during=stop-window'],
  ];
  it.each(plain)('reads %j exactly as commander does', async (...args) => {
    const fast = parseServeArgs(args);
    expect(fast).toBeDefined();
    expect(fast).toEqual(await viaCommander(args));
  });

  const leftToCommander: string[][] = [
    ['--help'],
    ['-h'],
    ['--port', '65536'],
    ['--port', 'x'],
    ['--port', '0x50'],
    ['--port'],
    ['--data-dir'],
    ['--data-dir', ''],
    ['--address', '-x'],
    ['--restart-agent-during', 'nope'],
    ['extra'],
    ['--verbose'],
    ['--', '--port', '1'],
  ];
  it.each(leftToCommander)('leaves %j to commander', async (...args) => {
    expect(parseServeArgs(args)).toBeUndefined();
    // Whatever commander does with it (options or an error), it is commander's answer alone.
    expect(await viaCommander(args)).toBeDefined();
  });

  it('main() still answers help and usage errors through commander', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'hooklet', 'serve', '--help'])).toBe(0);
      expect(out.mock.calls.map((c) => String(c[0])).join('')).toContain('--restart-agent-during <moment>');
      expect(await main(['node', 'hooklet', 'serve', '--port', 'x'])).toBe(1);
      expect(err.mock.calls.map((c) => String(c[0])).join('')).toContain("option '--port <n>' argument 'x' is invalid. must be a port number (0 picks a free one)");
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
