import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as models from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podSchema } from './pod-schema.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

describe('the generated Pod schema', () => {
  it('is what scripts/gen-pod-schema.mjs produces from kubernetes-types (npm run gen:schema)', () => {
    const out = execFileSync(process.execPath, ['scripts/gen-pod-schema.mjs', '--check'], { cwd: repo, encoding: 'utf8' });
    expect(out).toMatch(/is up to date/);
  });

  it('holds the lifecycle fields hooklet runs, including those newer than kubernetes-types 1.30', () => {
    expect(podSchema.Lifecycle).toEqual({ postStart: 'LifecycleHandler', preStop: 'LifecycleHandler', stopSignal: 'string' });
    expect(podSchema.LifecycleHandler).toEqual({ exec: 'ExecAction', httpGet: 'HTTPGetAction', sleep: 'SleepAction', tcpSocket: 'TCPSocketAction' });
    expect(podSchema.ContainerStatus!.stopSignal).toBe('string');
    expect(podSchema.PodSpec!.resources).toBe('ResourceRequirements');
    expect(podSchema.HTTPGetAction!.port).toBe('intOrString');
    expect(podSchema.SleepAction).toEqual({ seconds: 'int64' });
  });

  it('knows exactly the fields of the Kubernetes 1.34 OpenAPI models (@kubernetes/client-node), struct by struct', () => {
    type Model = { attributeTypeMap: { baseName: string; type: string; format: string }[] };
    const all = models as unknown as Record<string, Model | undefined>;
    const mismatches: string[] = [];
    for (const [struct, fields] of Object.entries(podSchema)) {
      const model = all[`V1${struct}`] ?? all[`CoreV1${struct}`]; // client-node prefixes names that clash across groups
      if (!model?.attributeTypeMap) {
        mismatches.push(`${struct}: no 1.34 model`);
        continue;
      }
      const theirs = new Map(model.attributeTypeMap.map((a) => [a.baseName, a]));
      for (const name of Object.keys(fields)) if (!theirs.has(name)) mismatches.push(`${struct}.${name}: not in 1.34`);
      for (const [name, attr] of theirs) {
        const ours = fields[name];
        if (ours === undefined) mismatches.push(`${struct}.${name}: missing`);
        else if (attr.format === 'int32' || attr.format === 'int64') {
          if (ours !== attr.format && ours !== `[]${attr.format}`) mismatches.push(`${struct}.${name}: ${ours}, 1.34 says ${attr.format}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
