import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hooklet, timelineOf } from './run-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'hooklet-run-finish-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const job = (name: string, script: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", ${JSON.stringify(script)}]
`;

describe('hooklet run ends by itself once every pod has finished', () => {
  it('waits for the slowest pod: a quick one finishing first does not end the run', async () => {
    const file = join(dir, 'jobs.yaml');
    writeFileSync(file, [job('quick', 'exit 0'), job('slow', 'sleep 1; echo slow-done; exit 3'), job('mid', 'sleep 0.3; exit 0')].join('---\n'));
    const r = await hooklet(['run', file, '-o', 'json']);
    expect(r.code).toBe(0);
    const t = timelineOf(r);
    const exited = t.filter((e) => e.what === 'exited').map((e) => `${e.pod}:${e.detail}`);
    expect(exited).toEqual(['quick:exit code 0', 'mid:exit code 0', 'slow:exit code 3']);
    // Removed only after all three finished, and without a stop: nothing was killed.
    expect(t.filter((e) => e.what === 'pod.removed').map((e) => e.pod).sort()).toEqual(['mid', 'quick', 'slow']);
    expect(t.some((e) => e.what === 'stop.signal' || e.what === 'killing')).toBe(false);
    const firstRemoval = Math.min(...t.filter((e) => e.what === 'pod.removed').map((e) => e.timeMs));
    const slowExit = t.find((e) => e.what === 'exited' && e.pod === 'slow')!.timeMs;
    expect(firstRemoval).toBeGreaterThanOrEqual(slowExit);
  });
});
