// Command-line options of `npm run bench`.
import { parseArgs } from 'node:util';

export const FIGURES = ['start', 'stop', 'kill', 'single', 'daemon', 'peers'];
export const ALL_TOOLS = ['raw', 'raw-shim', 'raw-nohooks', 'hooklet', 'hooklet-sqlite', 'pm2', 'supervisord'];
const DEFAULT_TOOLS = ['raw', 'raw-shim', 'raw-nohooks', 'hooklet', 'pm2', 'supervisord'];

export const USAGE = `usage: npm run bench -- [options]
  --n 50,200,500         pod counts for figures 1-3 and 6 (the largest is also the daemon's)
  --reps 3               repetitions of every measurement
  --only start,stop,...  figures: ${FIGURES.join(', ')} (default: all)
  --tools raw,...        tools: ${ALL_TOOLS.join(', ')} (default: ${DEFAULT_TOOLS.join(', ')})
  --single 200           samples of figure 4 (one pod create -> Running), split over the reps
  --cpu-window 10        seconds of CPU sampling with all pods running (daemon; peers in rep 1)
  --out DIR              where the JSON and Markdown go (default bench/results; quick: a temp dir)
  --machine NAME         machine label in the file name (default: <cores>cpu-<cpu model>)
  --quick                --n 50 --reps 2 --single 40 --cpu-window 3 (a smoke run, about 2 minutes)`;

export function parseBenchArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string' },
      reps: { type: 'string' },
      only: { type: 'string' },
      tools: { type: 'string' },
      single: { type: 'string' },
      'cpu-window': { type: 'string' },
      out: { type: 'string' },
      machine: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true };
  const quick = values.quick;
  const list = (v, fallback) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : fallback);
  const int = (v, fallback, name) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${v}`);
    return n;
  };
  const ns = list(values.n, quick ? ['50'] : ['50', '200', '500']).map((v) => int(v, 0, 'n'));
  const only = list(values.only, FIGURES);
  const tools = list(values.tools, DEFAULT_TOOLS);
  for (const f of only) if (!FIGURES.includes(f)) throw new Error(`unknown figure ${f}; known: ${FIGURES.join(', ')}`);
  for (const t of tools) if (!ALL_TOOLS.includes(t)) throw new Error(`unknown tool ${t}; known: ${ALL_TOOLS.join(', ')}`);
  return {
    ns,
    reps: Math.max(1, int(values.reps, quick ? 2 : 3, 'reps')),
    only,
    tools,
    single: int(values.single, quick ? 40 : 200, 'single'),
    cpuWindowMs: 1000 * int(values['cpu-window'], quick ? 3 : 10, 'cpu-window'),
    out: values.out,
    machine: values.machine,
    quick,
  };
}
