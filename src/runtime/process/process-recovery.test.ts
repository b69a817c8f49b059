import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../container-runtime.js';
import { base, buildShim, groupMembers, Harness, logsOf, shimPath, waitFor } from './process-harness.fixture.js';
import { bootId, isAlive, readProcStart } from './proc-stat.js';
import { AGENT_DIED_BEFORE_SHIM, SHIM_DIED_BEFORE_START } from './recovery-plan.js';

beforeAll(buildShim);

let h: Harness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

const write = (path: string, value: unknown): void => writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));

/** Runs the real shim on a container directory by hand, as an agent that dies right after would; resolves with its handshake line. */
function spawnShim(dir: string, argv: string[]): Promise<string> {
  const shim = spawn(shimPath, ['run', dir, '/', ...argv], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  shim.unref();
  let text = '';
  shim.stdout.setEncoding('utf8');
  shim.stdout.on('data', (c: string) => (text += c));
  return new Promise((resolve) => shim.stdout.on('close', () => resolve(text.trim())));
}

describe('ProcessRuntime recovery', () => {
  it('R4.9: an exit while no runtime instance was alive is reported by the next one with its real code and finish time, and no event', async () => {
    h = new Harness();
    const a = h.runtime();
    // A whole second of life, so the exit comes after close() even on a loaded machine.
    const id = await a.create(base('app', 'echo before; sleep 1; echo after; exit 9'));
    await a.start(id);
    const closedAt = h.clock.now();
    await a.close();
    await waitFor(() => existsSync(join(h!.dir(id), 'exit.json')), 'the shim to record the exit');
    const exitedBy = h.clock.now();
    const b = h.runtime();
    const events: RuntimeEvent[] = [];
    b.onEvent((e) => events.push(e));
    const [st] = await b.recover();
    expect(st).toMatchObject({ id, state: 'exited', exitCode: 9, reason: 'Error', name: 'app', podUid: 'uid-web', podName: 'web', podNamespace: 'default' });
    expect(st!.finishedAt).toBeGreaterThan(closedAt);
    expect(st!.finishedAt).toBeLessThanOrEqual(exitedBy + 5);
    expect(st!.finishedAt! - st!.startedAt!).toBeGreaterThanOrEqual(995);
    expect(await logsOf(b, id)).toBe('before\nafter\n');
    expect(events).toEqual([]);
    expect(b.unreadableStates()).toEqual([]);
  });

  it('start records the intent before the shim runs, and the shim claims the container before it forks', async () => {
    h = new Harness();
    const rt = h.runtime();
    const id = await rt.create(base('app', 'exec sleep 100'));
    expect(h.files(id)).toEqual(['config.json', 'log']);
    await rt.start(id);
    expect(h.files(id)).toEqual(['claim.json', 'config.json', 'ctl', 'log', 'start-intent.json', 'started.json']);
    const claim = JSON.parse(readFileSync(join(h.dir(id), 'claim.json'), 'utf8')) as Record<string, unknown>;
    const started = h.started(id);
    expect(claim).toEqual({ by: 'shim', shimPid: started.shimPid, shimStartTicks: started.shimStartTicks, bootId: await bootId() });
    expect(started.bootId).toBe(await bootId());
  });

  it('a process no record names never runs: when the shim cannot write started.json, the command is not executed', async () => {
    h = new Harness();
    const rt = h.runtime();
    const marker = join(h.workDir, 'ran');
    const id = await rt.create(base('app', `touch ${marker}`));
    mkdirSync(join(h.dir(id), 'started.json'));
    await expect(rt.start(id)).rejects.toMatchObject({ reason: 'StartFailed', message: expect.stringContaining('cannot record the start') });
    expect(await rt.status(id)).toMatchObject({ state: 'exited', exitCode: 128, reason: 'StartError' });
    await h.clock.sleep(100);
    expect(existsSync(marker)).toBe(false);
  });

  it('the agent died after spawning the shim, before reading started.json: the next one reattaches, and never starts it twice', async () => {
    h = new Harness();
    const a = h.runtime();
    const id = await a.create(base('app', 'echo ran; trap "exit 3" TERM; sleep 100 & wait'));
    await a.close();
    write(join(h.dir(id), 'start-intent.json'), { startRequestedAt: h.clock.now() });
    const config = JSON.parse(readFileSync(join(h.dir(id), 'config.json'), 'utf8')) as { argv: string[] };
    const handshake = await spawnShim(h.dir(id), config.argv);
    expect(handshake).toMatch(/^started \d+ \{.*"startTicks".*\}$/);
    const pid = Number(handshake.split(' ')[1]);
    const b = h.runtime();
    expect(await b.recover()).toMatchObject([{ id, state: 'running', pid }]);
    await expect(b.start(id)).rejects.toMatchObject({ reason: 'StartFailed' });
    await waitFor(async () => (await logsOf(b, id)).includes('ran'), 'the container to print');
    await b.stop(id, 2000);
    expect(await b.status(id)).toMatchObject({ state: 'exited', exitCode: 3, reason: 'Error' });
    expect(await logsOf(b, id)).toBe('ran\n');
  });

  it('the agent died after the intent, before the shim ran: a StartError, and no shim can start it later', async () => {
    h = new Harness();
    const a = h.runtime();
    const id = await a.create(base('app', 'echo ran'));
    await a.close();
    write(join(h.dir(id), 'start-intent.json'), { startRequestedAt: h.clock.now() });
    const b = h.runtime();
    const events: RuntimeEvent[] = [];
    b.onEvent((e) => events.push(e));
    const [st] = await b.recover();
    expect(st).toMatchObject({ id, state: 'exited', exitCode: 128, reason: 'StartError', message: AGENT_DIED_BEFORE_SHIM });
    expect(st!.startedAt).toBeUndefined();
    await expect(b.start(id)).rejects.toMatchObject({ reason: 'StartFailed' });
    // A shim spawned by the dead agent that only gets to run now loses the claim.
    const config = JSON.parse(readFileSync(join(h.dir(id), 'config.json'), 'utf8')) as { argv: string[] };
    expect(await spawnShim(h.dir(id), config.argv)).toMatch(/^error the start of this container was already claimed/);
    expect(h.files(id)).not.toContain('started.json');
    expect(await logsOf(b, id)).toBe('');
    expect(events).toEqual([]);
    // And the next agent reads the same.
    expect(await h.runtime().status(id)).toMatchObject({ state: 'exited', reason: 'StartError', finishedAt: st!.finishedAt });
  });

  it('a live shim that claimed the container but has not named its process yet is waited for, then adopted', async () => {
    h = new Harness();
    const a = h.runtime();
    const id = await a.create(base('app', 'unused'));
    await a.close();
    const boot = await bootId();
    const shim = await h.unrelated();
    const container = await h.unrelated();
    write(join(h.dir(id), 'start-intent.json'), { startRequestedAt: h.clock.now() });
    write(join(h.dir(id), 'claim.json'), { by: 'shim', shimPid: shim.pid, shimStartTicks: shim.startTicks, bootId: boot });
    const b = h.runtime();
    const recovering = b.recover();
    await h.clock.sleep(100);
    write(join(h.dir(id), 'started.json'), { ...{ pid: container.pid, startTicks: container.startTicks }, shimPid: shim.pid, shimStartTicks: shim.startTicks, bootId: boot, startedAt: h.clock.now() });
    expect(await recovering).toMatchObject([{ id, state: 'running', pid: container.pid }]);
    // This stand-in shim records nothing: once it dies too, the exit is recorded as unknown.
    const events: RuntimeEvent[] = [];
    b.onEvent((e) => events.push(e));
    const stopping = b.stop(id, 0);
    await waitFor(async () => !(await isAlive(container.pid, container.startTicks)), 'the container to be killed', 2000);
    process.kill(shim.pid, 'SIGKILL');
    await stopping;
    expect(await b.status(id)).toMatchObject({ state: 'exited', exitCode: 137, reason: 'ContainerStatusUnknown' });
    expect(events.map((e) => e.type)).toEqual(['signalled', 'exited']);
  });

  it('a shim that claimed the container and died before naming its process: a StartError, nothing runs', async () => {
    h = new Harness();
    const a = h.runtime();
    const id = await a.create(base('app', 'unused'));
    await a.close();
    write(join(h.dir(id), 'start-intent.json'), { startRequestedAt: h.clock.now() });
    const gone = await h.unrelated();
    process.kill(gone.pid, 'SIGKILL');
    await waitFor(async () => !(await isAlive(gone.pid, gone.startTicks)), 'the stand-in shim to die');
    write(join(h.dir(id), 'claim.json'), { by: 'shim', shimPid: gone.pid, shimStartTicks: gone.startTicks, bootId: await bootId() });
    expect(await h.runtime().recover()).toMatchObject([{ id, state: 'exited', exitCode: 128, reason: 'StartError', message: SHIM_DIED_BEFORE_START }]);
  });

  it('PID reuse: a record naming a live unrelated process (other start ticks, or another boot) is neither adopted nor killed', async () => {
    h = new Harness();
    const a = h.runtime();
    const reused = await a.create(base('reused', 'unused'));
    const otherBoot = await a.create(base('other-boot', 'unused'));
    await a.close();
    const stranger = await h.unrelated();
    const boot = await bootId();
    const records: Array<[string, object]> = [
      [reused, { pid: stranger.pid, startTicks: stranger.startTicks - 1, shimPid: stranger.pid, shimStartTicks: stranger.startTicks - 1, bootId: boot }],
      [otherBoot, { pid: stranger.pid, startTicks: stranger.startTicks, shimPid: stranger.pid, shimStartTicks: stranger.startTicks, bootId: '00000000-0000-0000-0000-000000000000' }],
    ];
    for (const [id, rec] of records) {
      write(join(h.dir(id), 'start-intent.json'), {});
      write(join(h.dir(id), 'claim.json'), { by: 'shim', shimPid: stranger.pid, shimStartTicks: (rec as { shimStartTicks: number }).shimStartTicks });
      write(join(h.dir(id), 'started.json'), { ...rec, startedAt: 1 });
    }
    const b = h.runtime();
    const statuses = await b.recover();
    for (const st of statuses) expect(st).toMatchObject({ state: 'exited', exitCode: 137, reason: 'ContainerStatusUnknown' });
    expect(statuses.map((s) => s.pid)).toEqual([undefined, undefined]);
    await b.stop(reused, 0);
    await expect(b.execSync(reused, ['true'], 0)).rejects.toMatchObject({ reason: 'NotRunning' });
    expect(await b.cleanup(reused)).toEqual({ id: reused, killedPids: [] });
    expect(await b.cleanup(otherBoot)).toEqual({ id: otherBoot, killedPids: [] });
    expect(await isAlive(stranger.pid, stranger.startTicks)).toBe(true);
    expect(await b.list()).toEqual([]);
  });

  it('corrupt or missing state files: recovery never throws, reports each one, and cleanup kills only what is provably ours', async () => {
    h = new Harness();
    const a = h.runtime();
    const run = async (name: string, script: string): Promise<string> => {
      const id = await a.create(base(name, script));
      await a.start(id);
      return id;
    };
    const badConfig = await run('bad-config', 'echo ready; exec sleep 100');
    const badStarted = await run('bad-started', 'echo ready; exec sleep 100');
    const badExit = await run('bad-exit', 'exit 0');
    const badClaim = await a.create(base('bad-claim', 'unused'));
    const wrongShape = await a.create(base('wrong-shape', 'unused'));
    await waitFor(async () => (await a.status(badExit)).state === 'exited', 'exit');
    await waitFor(async () => (await logsOf(a, badStarted)).includes('ready') && (await logsOf(a, badConfig)).includes('ready'), 'ready');
    await a.close();
    const live = { config: h.started(badConfig), started: h.started(badStarted) };

    writeFileSync(join(h.dir(badConfig), 'config.json'), '{"version":1,"id":"');
    writeFileSync(join(h.dir(badStarted), 'started.json'), 'garbage');
    writeFileSync(join(h.dir(badExit), 'exit.json'), '{"exitCo');
    write(join(h.dir(badClaim), 'start-intent.json'), {});
    writeFileSync(join(h.dir(badClaim), 'claim.json'), '');
    write(join(h.dir(wrongShape), 'config.json'), {});
    const empty = 'abcdef0123456789abcdef0123456789';
    mkdirSync(h.dir(empty));

    const b = h.runtime();
    const statuses = await b.recover();
    expect(Object.fromEntries(statuses.map((s) => [s.name, s.state]))).toEqual({ 'bad-started': 'unknown', 'bad-exit': 'unknown', 'bad-claim': 'unknown' });
    const report = new Map(b.unreadableStates().map((u) => [u.id, u]));
    expect([...report.keys()].sort()).toEqual([badConfig, badStarted, badExit, badClaim, wrongShape, empty].sort());
    expect(report.get(badConfig)).toMatchObject({ listed: false, error: { message: expect.stringContaining('config.json') } });
    expect(report.get(wrongShape)).toMatchObject({ listed: false, error: { message: expect.stringContaining('is not the directory') } });
    expect(report.get(empty)).toMatchObject({ listed: false, error: { message: expect.stringContaining('no config.json') } });
    expect(report.get(badStarted)).toMatchObject({ listed: true, error: { message: expect.stringContaining('started.json') } });
    expect(report.get(badExit)?.listed).toBe(true);
    expect((await b.status(badStarted)).message).toContain('started.json');

    // A second agent over the same directory: the same report, no crash loop.
    expect(new Set((await h.runtime().recover()).map((s) => s.id))).toEqual(new Set(statuses.map((s) => s.id)));

    // Unreadable config, live container: cleanup proves it by started.json (pid + start ticks) and kills it and its shim.
    const cleaned = await b.cleanup(badConfig);
    expect(cleaned.killedPids).toEqual(expect.arrayContaining([live.config.pid, live.config.shimPid]));
    expect(await isAlive(live.config.pid, live.config.startTicks)).toBe(false);
    expect(await isAlive(live.config.shimPid, live.config.shimStartTicks)).toBe(false);
    expect(existsSync(h.dir(badConfig))).toBe(false);

    // Unreadable started.json, live container: the shim (from claim.json) proves its child; stop kills both and records an exit.
    await b.stop(badStarted, 0);
    expect(await b.status(badStarted)).toMatchObject({ state: 'exited', exitCode: 137 });
    expect(await isAlive(live.started.pid, live.started.startTicks)).toBe(false);
    expect(await isAlive(live.started.shimPid, live.started.shimStartTicks)).toBe(false);

    // Half-written exit.json: stop records the exit as unknown (the file is never rewritten behind the user's back before that).
    expect(readFileSync(join(h.dir(badExit), 'exit.json'), 'utf8')).toBe('{"exitCo');
    await b.stop(badExit, 0);
    expect(await b.status(badExit)).toMatchObject({ state: 'exited', exitCode: 137, reason: 'ContainerStatusUnknown' });

    await b.remove(badClaim);
    expect((await b.removeUnreadable()).map((r) => r.id).sort()).toEqual([wrongShape, empty].sort());
    for (const id of [badClaim, wrongShape, empty]) expect(existsSync(h.dir(id))).toBe(false);
    expect(b.unreadableStates().map((u) => u.id).sort()).toEqual([badStarted, badExit].sort());
    await b.remove(badStarted);
    await b.remove(badExit);
    expect(b.unreadableStates()).toEqual([]);
    expect(await b.list()).toEqual([]);
  });

  it('what an agent killed mid-create or mid-remove left behind is swept at recovery, and never listed', async () => {
    h = new Harness();
    const oldCreate = join(h.stateDir, '.creating-0123');
    const freshCreate = join(h.stateDir, '.creating-4567');
    const removal = join(h.stateDir, '.removing-89ab.cdef');
    for (const dir of [oldCreate, freshCreate, removal]) mkdirSync(join(dir, 'log'), { recursive: true });
    writeFileSync(join(oldCreate, 'config.json'), '{}');
    const longAgo = new Date(h.clock.now() - 60_000);
    utimesSync(oldCreate, longAgo, longAgo);
    const rt = h.runtime();
    expect(await rt.recover()).toEqual([]);
    expect(rt.unreadableStates()).toEqual([]);
    expect(readdirSync(h.stateDir)).toEqual(['.creating-4567']);
  });

  it('a shim SIGKILLed under a live container of a reattached runtime: unknown, then its end is recorded as ContainerStatusUnknown and announced', async () => {
    h = new Harness();
    const a = h.runtime();
    const id = await a.create(base('app', 'echo ready; exec sleep 100'));
    await a.start(id);
    await waitFor(async () => (await logsOf(a, id)).includes('ready'), 'ready');
    await a.close();
    const b = h.runtime();
    expect(await b.status(id)).toMatchObject({ state: 'running' });
    const events: RuntimeEvent[] = [];
    b.onEvent((e) => events.push(e));
    const { pid, startTicks, shimPid } = h.started(id);
    process.kill(shimPid, 'SIGKILL');
    await waitFor(async () => (await b.status(id)).state === 'unknown', 'the runtime to notice the shim died');
    expect((await b.status(id)).message).toContain('shim died');
    expect(await isAlive(pid, startTicks)).toBe(true);
    const before = h.clock.now();
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => (await b.status(id)).state === 'exited', 'the exit to be recorded');
    const st = await b.status(id);
    expect(st).toMatchObject({ exitCode: 137, reason: 'ContainerStatusUnknown', message: expect.stringContaining('exit code is unknown') });
    expect(st.finishedAt).toBeGreaterThanOrEqual(before);
    expect(st.finishedAt).toBeLessThan(before + 500);
    expect(events).toMatchObject([{ type: 'exited', id, exitCode: 137 }]);
    // Recorded on disk: the next agent reads the same.
    expect(await h.runtime().status(id)).toMatchObject({ state: 'exited', reason: 'ContainerStatusUnknown', finishedAt: st.finishedAt });
  });

  it('R6.1: a shim killed while no agent ran: the container shows unknown, and stop kills its whole group and records the exit', async () => {
    h = new Harness();
    const a = h.runtime();
    const id = await a.create(base('app', 'trap "" TERM; sleep 100 & echo ready; wait'));
    await a.start(id);
    await waitFor(async () => (await logsOf(a, id)).includes('ready'), 'ready');
    await a.close();
    const { pid, shimPid, shimStartTicks } = h.started(id);
    const members = groupMembers(pid);
    expect(members.length).toBeGreaterThanOrEqual(2);
    const starts = await Promise.all(members.map(async (p) => [p, (await readProcStart(p))!.startTicks] as const));
    process.kill(shimPid, 'SIGKILL');
    await waitFor(async () => !(await isAlive(shimPid, shimStartTicks)), 'the shim to die');
    const b = h.runtime();
    const events: RuntimeEvent[] = [];
    b.onEvent((e) => events.push(e));
    expect(await b.recover()).toMatchObject([{ id, state: 'unknown', pid: undefined }]);
    await expect(b.execSync(id, ['true'], 0)).rejects.toMatchObject({ reason: 'NotRunning' });
    await b.stop(id, 100);
    expect(await b.status(id)).toMatchObject({ state: 'exited', exitCode: 137, reason: 'ContainerStatusUnknown' });
    expect(events.map((e) => (e.type === 'signalled' ? e.signal : e.type))).toEqual(['SIGTERM', 'SIGKILL', 'exited']);
    for (const [p, ticks] of starts) expect(await isAlive(p, ticks), `pid ${p}`).toBe(false);
  });
});
