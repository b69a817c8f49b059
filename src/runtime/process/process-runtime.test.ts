import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeError, type ContainerConfig, type RuntimeEvent } from '../container-runtime.js';
import { runtimeConformance, type ExecProbe, type Program } from '../conformance.case.js';
import { base, buildShim, groupMembers, Harness, logsOf, root, shimPath, sleep, waitFor } from './process-harness.fixture.js';
import { isAlive, readProcStart } from './proc-stat.js';

const here = dirname(fileURLToPath(import.meta.url));

beforeAll(buildShim);

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function shProgram(program: Program): Pick<ContainerConfig, 'command' | 'args'> {
  const sh = (script: string): Pick<ContainerConfig, 'command' | 'args'> => ({ command: ['sh', '-c'], args: [script] });
  switch (program.kind) {
    case 'sleep':
      return sh('exec sleep 1000');
    case 'exit':
      return sh(`${program.afterMs ? `sleep ${program.afterMs / 1000}; ` : ''}exit ${program.exitCode}`);
    case 'ignoreStop':
      return sh('trap "" TERM INT USR1 HUP; echo ready; exec sleep 1000');
    case 'trap':
      return sh(`trap "exit ${program.exitCode}" ${program.signal.slice(3)}; trap "" TERM; echo ready; sleep 1000 & wait`);
    case 'print': {
      const out = program.stdout.length ? `printf '%s\\n' ${program.stdout.map(q).join(' ')}; ` : '';
      const err = program.stderr.length ? `printf '%s\\n' ${program.stderr.map(q).join(' ')} >&2; ` : '';
      const then = program.exitAfterMs === undefined ? 'exec sleep 1000' : `sleep ${program.exitAfterMs / 1000}; exit 0`;
      return sh(out + err + then);
    }
  }
}

function shProbe(probe: ExecProbe): string[] {
  switch (probe.kind) {
    case 'envAndCwd':
      return ['sh', '-c', `printf '%s\\n' "$${probe.variable}"; pwd; echo probe-err >&2; exit ${probe.exitCode}`];
    case 'hang':
      return ['sh', '-c', 'echo hanging; exec sleep 1000'];
  }
}

let current: Harness | undefined;
afterEach(async () => {
  await current?.dispose();
  current = undefined;
});

for (const separateLogs of [false, true]) {
  runtimeConformance(separateLogs ? 'process (logs apart from state)' : 'process', () => {
    const h = new Harness({ separateLogs });
    const runtime = h.runtime();
    return {
      runtime,
      program: (_name, program) => shProgram(program),
      execArgv: (_name, probe) => shProbe(probe),
      workingDir: h.workDir,
      now: () => h.clock.now(),
      elapse: sleep,
      toleranceMs: 200,
      dispose: () => h.dispose(),
    };
  });
}

describe('ProcessRuntime (process-specific)', () => {
  it('refuses a container without command, naming it', async () => {
    current = new Harness();
    const rt = current.runtime();
    const err = await rt.create(base('app', '', { command: [], args: [] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).reason).toBe('InvalidConfig');
    expect((err as RuntimeError).message).toBe(
      'container "app" in pod "web": command is required on the process runtime (it runs host processes; image "nginx" is recorded, not pulled)',
    );
  });

  it('start of a missing executable or working dir fails with StartFailed and a StartError status', async () => {
    current = new Harness();
    const rt = current.runtime();
    const missing = await rt.create({ ...base('app', ''), command: ['no-such-binary-hooklet'], args: [] });
    const err = await rt.start(missing).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'StartFailed' });
    expect((err as Error).message).toBe('container "app" in pod "web": exec: "no-such-binary-hooklet": executable file not found in $PATH');
    expect(await rt.status(missing)).toMatchObject({ state: 'exited', exitCode: 128, reason: 'StartError' });
    const badDir = await rt.create(base('app', 'true', { workingDir: '/no/such/dir' }));
    await expect(rt.start(badDir)).rejects.toThrow('chdir to "/no/such/dir": No such file or directory');
  });

  it('gives the container only its own env, plus PATH and HOME', async () => {
    current = new Harness();
    const rt = current.runtime();
    process.env.HOOKLET_AGENT_ONLY = 'leak';
    try {
      const id = await rt.create(base('app', 'echo "${HOOKLET_AGENT_ONLY-unset} $FOO"; test -n "$PATH" && test -n "$HOME" && echo ok', { env: { FOO: 'bar' } }));
      await rt.start(id);
      await waitFor(async () => (await rt.status(id)).state === 'exited', 'exit');
      expect(await logsOf(rt, id)).toBe('unset bar\nok\n');
    } finally {
      delete process.env.HOOKLET_AGENT_ONLY;
    }
  });

  it('stop kills the whole process group: no child is left behind', async () => {
    current = new Harness();
    const rt = current.runtime();
    const id = await rt.create(base('app', 'trap "" TERM; sleep 100 & sleep 100 & echo ready; wait'));
    await rt.start(id);
    await waitFor(async () => (await logsOf(rt, id)).includes('ready'), 'ready');
    const { pid } = current.started(id);
    const members = groupMembers(pid);
    expect(members.length).toBeGreaterThanOrEqual(3);
    const starts = await Promise.all(members.map(async (p) => [p, (await readProcStart(p))!.startTicks] as const));
    await rt.stop(id, 200);
    expect(await rt.status(id)).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
    for (const [p, ticks] of starts) expect(await isAlive(p, ticks), `pid ${p}`).toBe(false);
  });

  it('when the main process exits, the rest of its group is killed', async () => {
    current = new Harness();
    const rt = current.runtime();
    const id = await rt.create(base('app', 'sleep 100 & echo "child $!"; exit 7'));
    await rt.start(id);
    await waitFor(async () => (await rt.status(id)).state === 'exited', 'exit');
    expect((await rt.status(id)).exitCode).toBe(7);
    const child = Number(/child (\d+)/.exec(await logsOf(rt, id))![1]);
    await waitFor(async () => !(await readProcStart(child)) || (await readProcStart(child))!.state === 'Z', `pid ${child} to die`, 2000);
  });

  it('writes CRI log records with a timestamp per line, split by stream, and merges partial lines', async () => {
    current = new Harness();
    const rt = current.runtime();
    const id = await rt.create(base('app', "echo out-line; echo err-line >&2; printf 'abc'; sleep 0.1; printf 'def\\n'; printf 'tail'"));
    await rt.start(id);
    await waitFor(async () => (await rt.status(id)).state === 'exited', 'exit');
    const raw = readFileSync((await rt.status(id)).logPath!, 'utf8').trimEnd().split('\n');
    for (const line of raw) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) [FP] /);
    expect(raw).toContainEqual(expect.stringMatching(/ stdout F out-line$/));
    expect(raw).toContainEqual(expect.stringMatching(/ stderr F err-line$/));
    expect(raw).toContainEqual(expect.stringMatching(/ stdout P abc$/));
    expect(raw).toContainEqual(expect.stringMatching(/ stdout F def$/));
    expect(raw).toContainEqual(expect.stringMatching(/ stdout P tail$/));
    const text = await logsOf(rt, id);
    expect(text.split('\n').sort()).toEqual(['abcdef', 'err-line', 'out-line', 'tail']);
    expect(text.endsWith('abcdef\ntail')).toBe(true);
    const stamped = (await logsOf(rt, id, { timestamps: true })).split('\n');
    const merged = stamped.find((l) => l.endsWith(' abcdef'))!;
    const pRecord = raw.find((l) => l.endsWith(' P abc'))!;
    expect(merged.slice(0, 30)).toBe(pRecord.slice(0, 30));
  });

  it('keeps the previous instance log, read by its own id (--previous)', async () => {
    current = new Harness();
    const rt = current.runtime();
    const first = await rt.create(base('app', 'echo attempt-0; exit 1'));
    await rt.start(first);
    await waitFor(async () => (await rt.status(first)).state === 'exited', 'exit');
    const second = await rt.create(base('app', 'echo attempt-1; exec sleep 100', { attempt: 1 }));
    await rt.start(second);
    await waitFor(async () => (await logsOf(rt, second)).includes('attempt-1'), 'second log');
    expect(await logsOf(rt, first)).toBe('attempt-0\n');
    expect((await rt.status(first)).logPath).not.toBe((await rt.status(second)).logPath);
  });

  it('a new instance reattaches to a running container: exec, stop and the exit event work', async () => {
    current = new Harness();
    const first = current.runtime();
    const id = await first.create(base('app', 'trap "" TERM; echo ready; exec sleep 100', { env: { X: 'kept' } }));
    await first.start(id);
    const pid = (await first.status(id)).pid;
    await first.close();
    const second = current.runtime();
    const events: RuntimeEvent[] = [];
    second.onEvent((e) => events.push(e));
    expect(await second.status(id)).toMatchObject({ state: 'running', pid });
    expect(await second.execSync(id, ['sh', '-c', 'echo $X'], 0)).toMatchObject({ exitCode: 0, stdout: 'kept\n' });
    await second.stop(id, 100);
    expect(await second.status(id)).toMatchObject({ state: 'exited', exitCode: 137, signal: 'SIGKILL' });
    expect(events.map((e) => e.type)).toEqual(['signalled', 'signalled', 'exited']);
  });

  it('SIGKILL of the agent process loses neither the exit code nor a log line', async () => {
    current = new Harness();
    const agentDir = await transpileRuntime(current.workDir);
    const script = join(agentDir, 'agent.mjs');
    writeFileSync(
      script,
      `import { ProcessRuntime } from './runtime/process/process-runtime.js';
       import { RealClock } from './clock/real-clock.js';
       const rt = new ProcessRuntime({ stateDir: ${JSON.stringify(current.stateDir)}, clock: new RealClock(), shimPath: ${JSON.stringify(shimPath)} });
       const id = await rt.create(${JSON.stringify(base('app', 'for i in 1 2 3 4 5 6; do echo line-$i; sleep 0.05; done; exit 4'))});
       await rt.start(id);
       console.log(id);`,
    );
    const agent = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    current.trackPid(agent.pid!);
    let id = '';
    agent.stdout.on('data', (d: Buffer) => (id += d.toString()));
    await waitFor(() => id.includes('\n'), 'the agent to start a container');
    id = id.trim();
    agent.kill('SIGKILL');
    await new Promise((r) => agent.once('exit', r));
    // The container was still running when its agent died.
    expect(readdirSync(join(current.stateDir, id))).not.toContain('exit.json');
    await waitFor(() => readdirSync(join(current!.stateDir, id)).includes('exit.json'), 'the exit');
    const fresh = current.runtime();
    expect(await fresh.status(id)).toMatchObject({ state: 'exited', exitCode: 4 });
    expect(await logsOf(fresh, id)).toBe([1, 2, 3, 4, 5, 6].map((i) => `line-${i}\n`).join(''));
  });

  it('delivers the exited event promptly', async () => {
    current = new Harness();
    const rt = current.runtime();
    const id = await rt.create(base('app', 'sleep 0.1; exit 0'));
    let lagMs: number | undefined;
    rt.onEvent((e) => {
      if (e.type === 'exited' && e.id === id) lagMs = current!.clock.now() - e.at;
    });
    await rt.start(id);
    await waitFor(() => lagMs !== undefined, 'the exited event');
    // e.at is the shim's wall-clock reading; RealClock may differ from it by a hair.
    expect(lagMs).toBeGreaterThan(-5);
    expect(lagMs).toBeLessThan(50);
  });

  it('SIGKILL lands within a few ms of the deadline', async () => {
    current = new Harness();
    const rt = current.runtime();
    const id = await rt.create(base('app', 'trap "" TERM; echo ready; exec sleep 100'));
    await rt.start(id);
    await waitFor(async () => (await logsOf(rt, id)).includes('ready'), 'ready');
    const signals: Array<{ signal: string; at: number }> = [];
    rt.onEvent((e) => e.type === 'signalled' && signals.push(e));
    await rt.stop(id, 250);
    expect(signals.map((s) => s.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    const late = signals[1]!.at - signals[0]!.at - 250;
    expect(late).toBeGreaterThanOrEqual(-1);
    expect(late).toBeLessThan(50);
  });

  it('caps captured exec output at 1 MiB and says so', async () => {
    current = new Harness();
    const rt = current.runtime();
    const id = await rt.create(base('app', 'exec sleep 100'));
    await rt.start(id);
    const result = await rt.execSync(id, ['sh', '-c', "head -c 1100000 /dev/zero | tr '\\0' a"], 0);
    expect(result.stdout.startsWith('a'.repeat(1024 * 1024))).toBe(true);
    expect(result.stdout.slice(1024 * 1024)).toBe(`\n[hooklet: output truncated at 1048576 bytes, ${1100000 - 1048576} more bytes dropped]`);
  });

  it('an exec of a missing command throws ExecFailed', async () => {
    current = new Harness();
    const rt = current.runtime();
    const id = await rt.create(base('app', 'exec sleep 100'));
    await rt.start(id);
    await expect(rt.execSync(id, ['no-such-binary-hooklet'], 0)).rejects.toMatchObject({
      reason: 'ExecFailed',
      message: 'exec: "no-such-binary-hooklet": executable file not found in $PATH',
    });
  });

  it('keeps the shim small: per container under 2 MiB resident (VmRSS) and 1 MiB proportional (Pss)', async () => {
    current = new Harness();
    const rt = current.runtime();
    const ids = [];
    // Several shims, as on a real node: their shared pages (libc, the binary) are then split between them.
    for (const name of ['a', 'b', 'c', 'd']) {
      const id = await rt.create(base(name, 'exec sleep 100'));
      await rt.start(id);
      ids.push(id);
    }
    const kb = (text: string, field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)![1]);
    const { shimPid } = current.started(ids[0]!);
    const status = readFileSync(`/proc/${shimPid}/status`, 'utf8');
    const rollup = readFileSync(`/proc/${shimPid}/smaps_rollup`, 'utf8');
    const watcher = helperPids('watch')[0];
    const watcherRss = watcher === undefined ? 'n/a' : kb(readFileSync(`/proc/${watcher}/status`, 'utf8'), 'VmRSS');
    // The shims' parent is the agent's one spawner.
    const spawnerPid = Number(readFileSync(`/proc/${shimPid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    const spawnerStatus = readFileSync(`/proc/${spawnerPid}/status`, 'utf8');
    expect(readFileSync(`/proc/${spawnerPid}/cmdline`, 'utf8').split('\0')[0]).toBe(join(dirname(shimPath), 'hooklet-spawner'));
    expect(kb(spawnerStatus, 'RssAnon')).toBeLessThan(1024);
    console.log(
      `hooklet-shim per container: VmRSS ${kb(status, 'VmRSS')} kB (RssAnon ${kb(status, 'RssAnon')} kB, RssFile ${kb(status, 'RssFile')} kB), ` +
        `Pss ${kb(rollup, 'Pss')} kB; the agent's one watcher helper: VmRSS ${watcherRss} kB; its one spawner: VmRSS ${kb(spawnerStatus, 'VmRSS')} kB`,
    );
    expect(kb(status, 'VmRSS')).toBeLessThan(2048);
    expect(kb(status, 'RssAnon')).toBeLessThan(512);
    expect(kb(rollup, 'Pss')).toBeLessThan(1024);
  });
});

/** Pids of this test process's `hooklet-shim <mode>` children. */
function helperPids(mode: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const ppid = Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (argv[0] === shimPath && argv[1] === mode && ppid === process.pid) pids.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Strips types from src/ (clock + runtime) into plain ESM so a child Node process can be a real agent. */
async function transpileRuntime(into: string): Promise<string> {
  const { transformWithOxc } = await import('vite');
  const src = join(root, 'src');
  const out = join(into, 'agent');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const files = [...walk(join(src, 'clock')), join(src, 'runtime', 'container-runtime.ts'), ...walk(here)].filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
  );
  for (const file of files) {
    const { code: js } = await transformWithOxc(readFileSync(file, 'utf8'), file, {});
    const target = join(out, relative(src, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, js);
  }
  return out;
}

describe('ProcessRuntime with logs apart from its state', () => {
  it('writes the log under logDir, reads it back, and removes it with the container', async () => {
    const h = new Harness({ separateLogs: true });
    try {
      const rt = h.runtime();
      const id = await rt.create(base('apart', 'echo hello-apart; exec sleep 1000'));
      await rt.start(id);
      await waitFor(async () => (await logsOf(rt, id)).includes('hello-apart'), 'the log line');
      expect(readFileSync(join(h.logDir!, id, 'container.log'), 'utf8')).toContain('hello-apart');
      await rt.stop(id, 0);
      await rt.remove(id);
      expect(readdirSync(h.logDir!)).not.toContain(id);
      expect(readdirSync(h.stateDir)).not.toContain(id);
    } finally {
      await h.dispose();
    }
  });

  it('sweeps a log whose container directory is gone (a reboot emptied the tmpfs), but not a fresh one', async () => {
    const h = new Harness({ separateLogs: true });
    try {
      const stale = 'ab'.repeat(16);
      const fresh = 'cd'.repeat(16);
      for (const id of [stale, fresh]) {
        mkdirSync(join(h.logDir!, id));
        writeFileSync(join(h.logDir!, id, 'container.log'), 'old\n');
      }
      const old = new Date(Date.now() - 60_000);
      utimesSync(join(h.logDir!, stale), old, old);
      const rt = h.runtime();
      await rt.list(); // recovery runs the sweep
      expect(readdirSync(h.logDir!)).toEqual([fresh]);
    } finally {
      await h.dispose();
    }
  });
});
