import { Command, InvalidArgumentError, Option } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { applyDefaults } from '../../api/defaults.js';
import { formatInvalid } from '../../api/field-error.js';
import { loadManifestFile } from '../../api/load/load-manifests.js';
import type { Pod } from '../../api/types.js';
import { validatePod } from '../../api/validation/index.js';
import { RealClock } from '../../clock/real-clock.js';
import { ProcessRuntime } from '../../runtime/process/process-runtime.js';
import { scratchParent } from '../../runtime/process/volatile-dir.js';
import { MemoryStore } from '../../store/memory-store.js';
import { parseDuration } from './parse-duration.js';
import { RunOutput, type OutputMode } from './run-output.js';
import { RESTART_MOMENTS, type RestartMoment } from '../../kubelet/restart-moment.js';
import { RunSession } from './run-session.js';
import { capYoungGeneration } from '../young-generation.js';

interface RunFlags {
  restartAgentDuring?: RestartMoment;
  deleteAfter?: number;
  gracePeriod?: number;
  output: OutputMode;
  measure?: boolean;
}

export function runCommand(): Command {
  return new Command('run')
    .description('Run pods in the foreground on the process runtime; Ctrl-C deletes them gracefully')
    .argument('<file...>', 'Pod manifests (YAML or JSON, multi-document, kind: List)')
    .option('--delete-after <duration>', 'delete the pods this long after start (e.g. 10s, 2m)', (v) => wrap(() => parseDuration(v)))
    .option('--grace-period <seconds>', "the delete's gracePeriodSeconds override", (v) => wrap(() => parseGrace(v)))
    .addOption(new Option('-o, --output <mode>', 'text, or json: one Event/Pod/TimelineEntry object per line').choices(['text', 'json']).default('text'))
    .option('--measure', 'grace advisor: let preStop and shutdown finish however long they take, then recommend a grace period')
    .addOption(new Option('--restart-agent-during <moment>', 'fault injection: restart the agent once at this moment (tests hook idempotency)').choices([...RESTART_MOMENTS]))
    .action(async (files: string[], flags: RunFlags) => {
      // The engine runs until the pods end: kept as lean as the daemon (its code is loaded by now).
      capYoungGeneration();
      process.exitCode = await runFiles(files, flags);
    });
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
}

function parseGrace(v: string): number {
  if (!/^-?\d+$/.test(v)) throw new Error(`invalid grace period "${v}": a whole number of seconds`);
  return Number(v);
}

/** Loads, validates and runs; resolves with the exit code. */
export async function runFiles(files: string[], flags: RunFlags): Promise<number> {
  const pods: Pod[] = [];
  let failed = false;
  for (const file of files) {
    const loaded = await loadManifestFile(file);
    for (const e of loaded.errors) {
      failed = true;
      process.stderr.write(`${e.fileName}${e.line ? `:${e.line}:${e.col ?? 1}` : ''}: ${e.message}\n`);
    }
    for (const { pod } of loaded.pods) {
      const defaulted = applyDefaults(pod);
      const errors = validatePod(defaulted);
      if (errors.length) {
        failed = true;
        process.stderr.write(`${file}: ${formatInvalid('Pod', defaulted.metadata.name ?? '', errors)}\n`);
      }
      pods.push(defaulted);
    }
  }
  if (failed) return 1;
  if (pods.length === 0) {
    process.stderr.write('no pods to run\n');
    return 1;
  }
  const clock = new RealClock();
  // The run's state (logs included) is removed when it ends: keep it in memory when the machine offers a tmpfs.
  const stateDir = await mkdtemp(join(scratchParent(), 'hooklet-run-'));
  // One runtime client per agent life (an injected restart makes a new one).
  const runtimes: ProcessRuntime[] = [];
  const store = new MemoryStore(clock);
  const output = new RunOutput(flags.output, (line) => process.stdout.write(`${line}\n`));
  const session = new RunSession({
    store,
    makeRuntime: () => {
      const r = new ProcessRuntime({ stateDir, clock });
      runtimes.push(r);
      return r;
    },
    clock,
    output,
    ...(flags.restartAgentDuring ? { restartAgentDuring: flags.restartAgentDuring } : {}),
    ...(flags.deleteAfter !== undefined ? { deleteAfterMs: flags.deleteAfter } : {}),
    ...(flags.gracePeriod !== undefined ? { gracePeriodSeconds: flags.gracePeriod } : {}),
    measure: flags.measure ?? false,
    baseEnv: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env.HOME ?? '/' },
    report: (text) => {
      if (flags.output === 'text') process.stdout.write(`\n${text}\n`);
    },
  });
  const onSignal = (): void => session.interrupt();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await session.run(pods);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    store.close();
    await rm(stateDir, { recursive: true, force: true });
  }
  return 0;
}
