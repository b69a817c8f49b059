import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, eventually, hasKubectl, kubectl, kubectlStream, manifest, sleeperPod, startDaemon, type Daemon } from './daemon-harness.js';

describe.skipIf(!hasKubectl)('kubectl against hooklet serve: logs, exec, wait, delete, watch (real processes)', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startDaemon();
    const pods = [
      sleeperPod('web'),
      sleeperPod('logger', { command: ['sh', '-c', 'echo one; echo two; echo three; exec sleep 3600'] }),
    ];
    for (const [i, yaml] of pods.entries()) {
      const r = await kubectl(d, ['apply', '-f', manifest(d, `pod${i}.yaml`, yaml)]);
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterAll(async () => {
    await cleanup(d);
  });

  it('kubectl wait --for=condition=Ready reports the condition met', async () => {
    const r = await kubectl(d, ['wait', '--for=condition=Ready', 'pod/web', 'pod/logger', '--timeout=20s']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n').sort()).toEqual(['pod/logger condition met', 'pod/web condition met']);
  });

  it('kubectl logs prints the container output; --tail and -c select', async () => {
    await eventually(async () => (await kubectl(d, ['logs', 'logger'])).stdout === 'one\ntwo\nthree\n');
    expect((await kubectl(d, ['logs', 'logger', '--tail=1'])).stdout).toBe('three\n');
    expect((await kubectl(d, ['logs', 'logger', '-c', 'app', '--tail=2'])).stdout).toBe('two\nthree\n');
    const ts = await kubectl(d, ['logs', 'logger', '--timestamps', '--tail=1']);
    expect(ts.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z three\n$/);
  });

  it('kubectl logs errors: unknown container (client side), --previous with no previous, missing pod', async () => {
    const badC = await kubectl(d, ['logs', 'logger', '-c', 'zzz']);
    expect(badC.code).toBe(1);
    expect(badC.stderr.trim()).toBe('error: container zzz is not valid for pod logger');
    const prev = await kubectl(d, ['logs', 'logger', '--previous']);
    expect(prev.code).toBe(1);
    expect(prev.stderr.trim()).toBe('Error from server (BadRequest): previous terminated container "app" in pod "logger" not found');
    const missing = await kubectl(d, ['logs', 'nope']);
    expect(missing.stderr.trim()).toBe('error: error from server (NotFound): pods "nope" not found in namespace "default"');
  });

  it('kubectl logs --previous reads the instance before a restart', async () => {
    const yaml = sleeperPod('crasher', {
      command: ['sh', '-c', 'if [ -e "$HOME/crashed" ]; then echo second; exec sleep 3600; fi; touch "$HOME/crashed"; echo first; exit 1'],
    }).replace('    image:', `    env:\n    - {name: HOME, value: "${d.dir}"}\n    image:`);
    expect((await kubectl(d, ['apply', '-f', manifest(d, 'crasher.yaml', yaml)])).code).toBe(0);
    await eventually(async () => (await kubectl(d, ['logs', 'crasher'])).stdout === 'second\n', 25_000, 250);
    expect((await kubectl(d, ['logs', 'crasher', '--previous'])).stdout).toBe('first\n');
    const row = (await kubectl(d, ['get', 'pod', 'crasher', '--no-headers'])).stdout;
    expect(row).toMatch(/^crasher\s+1\/1\s+Running\s+1 \(\d+s ago\)\s+\d+s$/m);
  }, 40_000);

  it('kubectl logs -f streams until the container exits, then kubectl exits 0', async () => {
    const yaml = sleeperPod('follow', { command: ['sh', '-c', 'echo a; sleep 1; echo b; sleep 1'] }).replace('spec:\n', 'spec:\n  restartPolicy: Never\n');
    expect((await kubectl(d, ['apply', '-f', manifest(d, 'follow.yaml', yaml)])).code).toBe(0);
    await eventually(async () => (await kubectl(d, ['get', 'pod', 'follow', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running');
    const r = await kubectl(d, ['logs', '-f', 'follow'], { timeoutMs: 15_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('a\nb\n');
  });

  it('kubectl exec returns the output and the exit code', async () => {
    const ok = await kubectl(d, ['exec', 'web', '--', 'echo', 'hi']);
    expect(ok).toMatchObject({ code: 0, stdout: 'hi\n', stderr: '' });
    const fail = await kubectl(d, ['exec', 'web', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(fail.code).toBe(3);
    expect(fail.stdout).toBe('out\n');
    expect(fail.stderr).toBe('err\ncommand terminated with exit code 3\n');
    const stdin = await kubectl(d, ['exec', '-i', 'web', '--', 'cat'], { input: 'abc\ndef\n' });
    expect(stdin).toMatchObject({ code: 0, stdout: 'abc\ndef\n' });
  });

  it('kubectl exec errors: missing pod, unknown container', async () => {
    const missing = await kubectl(d, ['exec', 'nope', '--', 'true']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
    // kubectl checks exec's container on the server (unlike logs): the same Status answers the WebSocket and the SPDY fallback.
    const badC = await kubectl(d, ['exec', 'web', '-c', 'zzz', '--', 'true']);
    expect(badC.code).toBe(1);
    expect(badC.stderr.trim()).toBe('Error from server (BadRequest): container zzz is not valid for pod web');
  });

  it('kubectl get pods -w prints the rows as the pod changes', async () => {
    const w = kubectlStream(d, ['get', 'pods', '-w', '-l', 'app=watched']);
    expect((await kubectl(d, ['apply', '-f', manifest(d, 'watched.yaml', sleeperPod('watched'))])).code).toBe(0);
    await eventually(async () => /^watched\s+1\/1\s+Running\s+0\s+\S+$/m.test(w.output()));
    expect((await kubectl(d, ['delete', 'pod', 'watched', '--now'])).code).toBe(0);
    await eventually(async () => /^watched\s+\S+\s+Terminating\s+/m.test(w.output()));
    w.child.kill('SIGTERM');
    await w.exited;
  });

  it('kubectl get pod NAME -w shows the first real change after the current row', async () => {
    expect((await kubectl(d, ['apply', '-f', manifest(d, 'w2.yaml', sleeperPod('w2'))])).code).toBe(0);
    await eventually(async () => (await kubectl(d, ['get', 'pod', 'w2', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running');
    const w = kubectlStream(d, ['get', 'pod', 'w2', '-w']);
    await eventually(async () => /^w2\s+1\/1\s+Running/m.test(w.output()));
    await kubectl(d, ['label', 'pod', 'w2', 'x=1']);
    await kubectl(d, ['delete', 'pod', 'w2', '--wait=false']);
    await eventually(async () => /^w2\s+\S+\s+Terminating/m.test(w.output()));
    w.child.kill('SIGTERM');
    await w.exited;
  });

  it('R4.1: kubectl delete (default, --grace-period, --now) waits for the pod to go; --force --grace-period=0 does not', async () => {
    const names = ['d1', 'd2', 'd3', 'd4'];
    for (const n of names) expect((await kubectl(d, ['apply', '-f', manifest(d, `${n}.yaml`, sleeperPod(n))])).code).toBe(0);
    await kubectl(d, ['wait', '--for=condition=Ready', ...names.map((n) => `pod/${n}`), '--timeout=20s']);
    const byDefault = await kubectl(d, ['delete', 'pod', 'd1']);
    expect(byDefault).toMatchObject({ code: 0, stdout: 'pod "d1" deleted\n' });
    const grace = await kubectl(d, ['delete', 'pod', 'd2', '--grace-period=5']);
    expect(grace).toMatchObject({ code: 0, stdout: 'pod "d2" deleted\n' });
    const now = await kubectl(d, ['delete', 'pod', 'd3', '--now']);
    expect(now).toMatchObject({ code: 0, stdout: 'pod "d3" deleted\n' });
    const force = await kubectl(d, ['delete', 'pod', 'd4', '--force', '--grace-period=0']);
    expect(force.code).toBe(0);
    expect(force.stdout).toBe('pod "d4" force deleted\n');
    expect(force.stderr).toContain('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated.');
    for (const n of names) expect((await kubectl(d, ['get', 'pod', n])).stderr.trim()).toBe(`Error from server (NotFound): pods "${n}" not found`);
    const missing = await kubectl(d, ['delete', 'pod', 'nope']);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
  });

  it('R4.1: a pod that ignores SIGTERM stays Terminating for its grace period; kubectl wait --for=delete sees it go', async () => {
    const yaml = sleeperPod('stubborn', { command: ['sh', '-c', 'trap "" TERM; while true; do sleep 0.2; done'] }).replace('spec:\n', 'spec:\n  terminationGracePeriodSeconds: 3\n');
    expect((await kubectl(d, ['apply', '-f', manifest(d, 'stubborn.yaml', yaml)])).code).toBe(0);
    await kubectl(d, ['wait', '--for=condition=Ready', 'pod/stubborn', '--timeout=20s']);
    expect((await kubectl(d, ['delete', 'pod', 'stubborn', '--wait=false'])).stdout).toBe('pod "stubborn" deleted\n');
    const row = await kubectl(d, ['get', 'pod', 'stubborn', '--no-headers']);
    expect(row.stdout).toMatch(/^stubborn\s+1\/1\s+Terminating\s+0\s+\S+$/m);
    const described = await kubectl(d, ['describe', 'pod', 'stubborn']);
    expect(described.stdout).toMatch(/^Status:\s+Terminating \(lasts /m);
    const waited = await kubectl(d, ['wait', '--for=delete', 'pod/stubborn', '--timeout=20s']);
    expect(waited.stdout.trim()).toBe('pod/stubborn condition met');
  });

  it('kubectl exec through the SPDY fallback gets the same exec Status, and a clear refusal otherwise', async () => {
    const env = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
    const badC = await kubectl(d, ['exec', 'web', '-c', 'zzz', '--', 'true'], { env });
    expect(badC.stderr.trim()).toBe('Error from server (BadRequest): container zzz is not valid for pod web');
    const spdy = await kubectl(d, ['exec', 'web', '--', 'true'], { env });
    expect(spdy.code).toBe(1);
    expect(spdy.stderr.trim()).toBe('Error from server (BadRequest): hooklet serves exec over WebSocket (v5.channel.k8s.io) only; SPDY is not supported');
  });

  it('kubectl describe shows FailedPostStartHook and the kill; deleting shows FailedPreStopHook', async () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: hooks}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: app
    image: busybox:1.36
    command: [sleep, "3600"]
    lifecycle:
      postStart: {exec: {command: [sh, -c, "exit 1"]}}
      preStop: {exec: {command: [sh, -c, "exit 2"]}}
`;
    expect((await kubectl(d, ['apply', '-f', manifest(d, 'hooks.yaml', yaml)])).code).toBe(0);
    const described = await eventually(async () => {
      const r = await kubectl(d, ['describe', 'pod', 'hooks']);
      return /Warning\s+FailedPostStartHook\s+\S+.*\s+kubelet\s+/.test(r.stdout) && /Normal\s+Killing\s+/.test(r.stdout) ? r.stdout : undefined;
    });
    expect(described).toMatch(/^Events:/m);
    const row = (await kubectl(d, ['get', 'pod', 'hooks', '--no-headers'])).stdout;
    expect(row).toMatch(/^hooks\s+0\/1\s+(PostStartHookError|CrashLoopBackOff|ContainerCreating|Running)\s+/m);
    expect((await kubectl(d, ['delete', 'pod', 'hooks', '--timeout=20s'])).code).toBe(0);
    const events = await kubectl(d, ['get', 'events', '--field-selector', 'involvedObject.name=hooks,reason=FailedPreStopHook']);
    expect(events.stdout).toMatch(/Warning\s+FailedPreStopHook\s+pod\/hooks\s+PreStopHook failed/);
  });
});
