import { describe, expect, it } from 'vitest';
import type { ContainerRuntime, ExecStreams } from '../../runtime/container-runtime.js';
import type { Pod } from '../../api/types.js';
import { makeHarness, podManifest } from '../server-harness.case.js';
import { chooseProtocol, runExecSession, type ChannelSocket } from './exec-session.js';
import { resolveExec, type ExecRequest } from './exec-target.js';

class FakeSocket implements ChannelSocket {
  isOpen = true;
  sent: Buffer[] = [];
  closedWith: number | undefined;
  private onMsg: ((d: Buffer) => void) | undefined;
  private onCl: (() => void) | undefined;
  send(data: Buffer): void {
    this.sent.push(data);
  }
  close(code: number): void {
    this.closedWith = code;
    this.isOpen = false;
  }
  onMessage(l: (d: Buffer) => void): void {
    this.onMsg = l;
  }
  onClose(l: () => void): void {
    this.onCl = l;
  }
  fromClient(data: number[] | Buffer): void {
    this.onMsg?.(Buffer.isBuffer(data) ? data : Buffer.from(data));
  }
  clientClosed(): void {
    this.isOpen = false;
    this.onCl?.();
  }
  on(ch: number): string {
    return this.sent.filter((b) => b[0] === ch).map((b) => b.subarray(1).toString()).join('');
  }
}

function catRuntime(): ContainerRuntime {
  return {
    name: 'process',
    exec(_id: string, argv: string[], streams: ExecStreams): Promise<number> {
      return new Promise((resolve) => {
        if (argv[0] === 'cat' && streams.stdin) {
          const chunks: Buffer[] = [];
          streams.stdin.on('data', (c: Buffer) => chunks.push(c));
          streams.stdin.on('end', () => {
            streams.stdout?.(Buffer.concat(chunks));
            resolve(0);
          });
          return;
        }
        streams.stdout?.(Buffer.from('out\n'));
        streams.stderr?.(Buffer.from('err\n'));
        resolve(Number(argv[1] ?? 0));
      });
    },
  } as unknown as ContainerRuntime;
}

function request(argv: string[], stdin = false): ExecRequest {
  return { runtime: catRuntime(), containerId: 'c1', argv, stdin, stdout: true, stderr: true, tty: false };
}

describe('exec session (contract §15)', () => {
  it('sends stdout on 1, stderr on 2, a Success Status on 3, then closes with 1000', async () => {
    const s = new FakeSocket();
    await runExecSession(s, request(['echo', '0']));
    expect(s.on(1)).toBe('out\n');
    expect(s.on(2)).toBe('err\n');
    expect(JSON.parse(s.on(3))).toEqual({ metadata: {}, status: 'Success' });
    expect(s.sent.at(-1)![0]).toBe(3);
    expect(s.closedWith).toBe(1000);
  });

  it('reports a non-zero exit as NonZeroExitCode with the ExitCode cause kubectl turns into its exit code', async () => {
    const s = new FakeSocket();
    await runExecSession(s, request(['sh', '3']));
    expect(JSON.parse(s.on(3))).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('feeds channel 0 to stdin and ends it on [255, 0]', async () => {
    const s = new FakeSocket();
    const done = runExecSession(s, request(['cat'], true));
    s.fromClient(Buffer.concat([Buffer.from([0]), Buffer.from('abc\ndef\n')]));
    s.fromClient([255, 0]);
    await done;
    expect(s.on(1)).toBe('abc\ndef\n');
  });

  it('ends stdin when the client goes away', async () => {
    const s = new FakeSocket();
    const done = runExecSession(s, request(['cat'], true));
    s.clientClosed();
    await done;
    expect(s.closedWith).toBeUndefined();
  });

  it('prefers v5.channel.k8s.io, accepts v4, refuses others', () => {
    expect(chooseProtocol(['v4.channel.k8s.io', 'v5.channel.k8s.io'])).toBe('v5.channel.k8s.io');
    expect(chooseProtocol(['v4.channel.k8s.io'])).toBe('v4.channel.k8s.io');
    expect(chooseProtocol(['channel.k8s.io'])).toBeUndefined();
  });
});

describe('exec checks before the upgrade', () => {
  async function setup(status: Pod['status']) {
    const h = makeHarness({ runtime: catRuntime() });
    const pod = (await h.call('POST', '/api/v1/namespaces/default/pods', { body: podManifest('web') })).json as Pod;
    h.store.updatePodStatus('default', 'web', pod.metadata.uid!, status!);
    return h;
  }
  const q = (s: string) => new URLSearchParams(s);

  it('resolves the running container to its runtime id', async () => {
    const h = await setup({
      phase: 'Running',
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'x', imageID: '', containerID: 'process://abc', state: { running: {} } }],
    });
    const r = resolveExec(h.ctx, 'default', 'web', q('command=echo&command=hi&container=app&stderr=true&stdout=true'));
    expect(r).toMatchObject({ containerId: 'abc', argv: ['echo', 'hi'], stdout: true, stderr: true, stdin: false });
  });

  it('refuses a bad container, a completed pod, and a container that is not running', async () => {
    const h = await setup({ phase: 'Running', containerStatuses: [] });
    expect(() => resolveExec(h.ctx, 'default', 'web', q('command=x&container=zzz&stdout=true'))).toThrow('container zzz is not valid for pod web');
    expect(() => resolveExec(h.ctx, 'default', 'web', q('command=x&container=app&stdout=true'))).toThrow('unable to upgrade connection: container not found ("app")');
    expect(() => resolveExec(h.ctx, 'default', 'nope', q('command=x'))).toThrow('pods "nope" not found');
    const done = await setup({ phase: 'Succeeded' });
    expect(() => resolveExec(done.ctx, 'default', 'web', q('command=x&stdout=true'))).toThrow('cannot exec into a container in a completed pod; current phase is Succeeded');
  });
});
