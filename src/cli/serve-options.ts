import { RESTART_MOMENTS, type RestartMoment } from '../kubelet/restart-moment.js';

/** `hooklet serve`'s options, as serveCommand() declares them. */
export interface ServeOptions {
  dataDir?: string;
  port: number;
  address: string;
  restartAgentDuring?: RestartMoment;
}

export const SERVE_DEFAULTS = { port: 6443, address: '127.0.0.1' } as const;

const VALUE_OPTIONS = new Set(['--data-dir', '--port', '--address', '--restart-agent-during']);

/**
 * The daemon's arguments read without commander, whose load (with
 * child_process) cost ~25 ms of the daemon's cold start (bench figure 5).
 * Only the plain forms are taken — `--opt value` and `--opt=value` with
 * valid values; anything else (help, unknown or repeated-dash tokens,
 * invalid values) returns undefined, and commander parses it and reports
 * errors as usual. A test holds the two parsers to the same result.
 */
export function parseServeArgs(args: string[]): ServeOptions | undefined {
  const opts: ServeOptions = { ...SERVE_DEFAULTS };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_OPTIONS.has(name)) return undefined;
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || value.startsWith('-')) return undefined;
    switch (name) {
      case '--data-dir':
        opts.dataDir = value;
        break;
      case '--address':
        opts.address = value;
        break;
      case '--port': {
        if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) return undefined;
        opts.port = Number(value);
        break;
      }
      case '--restart-agent-during':
        if (!(RESTART_MOMENTS as readonly string[]).includes(value)) return undefined;
        opts.restartAgentDuring = value as RestartMoment;
        break;
    }
  }
  return opts;
}
