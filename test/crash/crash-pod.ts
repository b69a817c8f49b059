/**
 * The pods the crash test runs. Every container is a small app that prints
 * numbered lines (`seq N` on stdout, `err N` on stderr every 10th) at a
 * steady pace and keeps its own witness files outside the data directory:
 *
 *   <evidence>/apps/<pod>.<container>.<pid>     "start <ns> <uid>", "term <ns>"
 *   <evidence>/apps/<pod>.<container>.<pid>.n   the last number it printed
 *
 * Its postStart and preStop exec hooks append "<ns> <hook> begin|end <pod>
 * <uid> <container> <pid>" to <evidence>/hooks.log, so deliveries can be
 * counted across daemon deaths. Times are epoch nanoseconds from the host.
 */
import type { Prng } from './prng.js';

/** `term`: exits 43 a moment after SIGTERM. `ignore`: keeps going until SIGKILL (137). */
export type AppMode = 'term' | 'ignore';
export type DeleteMode = { kind: 'default' } | { kind: 'grace'; seconds: number } | { kind: 'force' };

export const TERM_EXIT_CODE = 43;

export interface ContainerPlan {
  name: string;
  runtime: 'sh' | 'node';
  mode: AppMode;
  termDelaySeconds: number;
  postStartSeconds: number;
  preStopSeconds: number;
}

export interface PodPlan {
  name: string;
  graceSeconds: number;
  restartPolicy: 'Always' | 'Never';
  containers: ContainerPlan[];
  /** How long the pod runs before the driver deletes it. */
  lifetimeMs: number;
  deleteMode: DeleteMode;
}

export function planPod(rng: Prng, name: string): PodPlan {
  const count = rng.chance(0.4) ? 2 : 1;
  const containers: ContainerPlan[] = [];
  for (let i = 0; i < count; i++) {
    containers.push({
      name: i === 0 ? 'a' : 'b',
      runtime: rng.chance(0.2) ? 'node' : 'sh',
      mode: rng.chance(0.55) ? 'term' : 'ignore',
      termDelaySeconds: Number(rng.between(0.1, 0.8).toFixed(2)),
      postStartSeconds: rng.pick([0, 0, 0.1, 0.3, 0.6]),
      preStopSeconds: rng.pick([0, 0.2, 1, 1.5, 2]),
    });
  }
  return {
    name,
    graceSeconds: rng.int(1, 3),
    restartPolicy: rng.chance(0.8) ? 'Always' : 'Never',
    containers,
    lifetimeMs: Math.round(rng.between(300, 3500)),
    deleteMode: rng.weighted<DeleteMode>([
      [70, { kind: 'default' }],
      [22, { kind: 'grace', seconds: rng.int(1, 3) }],
      [8, { kind: 'force' }],
    ]),
  };
}

/** The grace the kubelet uses for this delete (R4.1, R4.3): a force delete becomes 1. */
export function deleteGraceSeconds(plan: PodPlan): number {
  switch (plan.deleteMode.kind) {
    case 'default':
      return plan.graceSeconds;
    case 'grace':
      return plan.deleteMode.seconds;
    case 'force':
      return 1;
  }
}

const HOOK = (hook: string, secondsVar: string): string =>
  `F="$CRASH_DIR/hooks.log"; ` +
  `echo "$(date +%s%N) ${hook} begin $POD_NAME $POD_UID $CONTAINER $$" >> "$F"; ` +
  `sleep "$${secondsVar}"; ` +
  `echo "$(date +%s%N) ${hook} end $POD_NAME $POD_UID $CONTAINER $$" >> "$F"`;

// Container command and args go through the kubelet's $(VAR) expansion, where `$$` is an escaped `$`:
// `$$$$` reaches the shell as `$$` (its pid). Hook commands are not expanded.
const SH_APP = [
  'W="$CRASH_DIR/apps/$POD_NAME.$CONTAINER.$$$$"',
  // The handler goes in before the start line: an app with a start line has its SIGTERM behaviour.
  // An ignored-by-handler TERM: the loop goes on; `sleep` children die of it and the loop continues.
  'if [ "$APP_MODE" = term ]; then trap \'echo "term $(date +%s%N)" >> "$W"; sleep "$TERM_DELAY"; exit 43\' TERM; ' +
    'else trap \'echo "term $(date +%s%N)" >> "$W"\' TERM; fi',
  'echo "start $(date +%s%N) $POD_UID" >> "$W"',
  'i=0',
  'while :; do i=$((i+1)); echo "seq $i"; echo "$i" > "$W.n"; [ $((i % 10)) -eq 0 ] && echo "err $i" >&2; sleep 0.1; done',
].join('\n');

const NODE_APP = [
  "const fs = require('fs'); const e = process.env;",
  "const W = e.CRASH_DIR + '/apps/' + e.POD_NAME + '.' + e.CONTAINER + '.' + process.pid;",
  "const ns = () => (BigInt(Date.now()) * 1000000n).toString();",
  "process.on('SIGTERM', () => { fs.appendFileSync(W, 'term ' + ns() + '\\n'); if (e.APP_MODE === 'term') setTimeout(() => process.exit(43), Number(e.TERM_DELAY) * 1000); });",
  "fs.appendFileSync(W, 'start ' + ns() + ' ' + e.POD_UID + '\\n');",
  'let i = 0;',
  "setInterval(() => { i++; process.stdout.write('seq ' + i + '\\n'); fs.writeFileSync(W + '.n', String(i)); if (i % 10 === 0) process.stderr.write('err ' + i + '\\n'); }, 100);",
].join('\n');

export function podManifest(plan: PodPlan, runToken: string, evidenceDir: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: plan.name, labels: { 'crash-run': runToken } },
    spec: {
      terminationGracePeriodSeconds: plan.graceSeconds,
      restartPolicy: plan.restartPolicy,
      containers: plan.containers.map((c) => ({
        name: c.name,
        image: 'busybox:1.36',
        command: c.runtime === 'sh' ? ['sh', '-c', SH_APP] : [process.execPath, '-e', NODE_APP],
        env: [
          // Every process of this run (containers, hooks, shims) carries the token: the orphan scan looks for it.
          { name: 'CRASH_RUN', value: runToken },
          { name: 'CRASH_DIR', value: evidenceDir },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
          { name: 'CONTAINER', value: c.name },
          { name: 'APP_MODE', value: c.mode },
          { name: 'TERM_DELAY', value: String(c.termDelaySeconds) },
          { name: 'POSTSTART_SECONDS', value: String(c.postStartSeconds) },
          { name: 'PRESTOP_SECONDS', value: String(c.preStopSeconds) },
        ],
        lifecycle: {
          postStart: { exec: { command: ['sh', '-c', HOOK('postStart', 'POSTSTART_SECONDS')] } },
          preStop: { exec: { command: ['sh', '-c', HOOK('preStop', 'PRESTOP_SECONDS')] } },
        },
      })),
    },
  };
}
