import { describe, expect, it } from 'vitest';
import { strategicMergePatch } from './strategic-merge-patch.js';
import { jsonMergePatch } from './json-merge-patch.js';
import { jsonPatch } from './json-patch.js';

const live = {
  metadata: { name: 'app1', labels: { a: '1', b: '2' }, annotations: { keep: 'x' } },
  spec: {
    containers: [
      {
        name: 'c1',
        image: 'busybox:1.35',
        args: ['sleep', '1000'],
        env: [
          { name: 'E1', value: '1' },
          { name: 'E2', value: '2' },
        ],
      },
      { name: 'c2', image: 'busybox:1.35' },
    ],
  },
};

describe('strategicMergePatch (contract §10)', () => {
  it('applies the kubectl apply body from the contract: label removed, env and container deleted, image/args replaced, port added', () => {
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' }, labels: { b: null } },
      spec: {
        '$setElementOrder/containers': [{ name: 'c1' }],
        containers: [
          {
            '$setElementOrder/env': [{ name: 'E1' }],
            args: ['sleep', '2000'],
            env: [{ $patch: 'delete', name: 'E2' }],
            image: 'busybox:1.36',
            name: 'c1',
            ports: [{ containerPort: 8080 }],
          },
          { $patch: 'delete', name: 'c2' },
        ],
      },
    };
    expect(strategicMergePatch(live, patch)).toEqual({
      metadata: {
        name: 'app1',
        labels: { a: '1' },
        annotations: { keep: 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' },
      },
      spec: {
        containers: [
          {
            name: 'c1',
            image: 'busybox:1.36',
            args: ['sleep', '2000'],
            env: [{ name: 'E1', value: '1' }],
            ports: [{ containerPort: 8080 }],
          },
        ],
      },
    });
  });

  it('appends new keyed elements and orders them with $setElementOrder', () => {
    const out = strategicMergePatch(live, {
      spec: {
        '$setElementOrder/containers': [{ name: 'c0' }, { name: 'c1' }, { name: 'c2' }],
        containers: [{ name: 'c0', image: 'x' }],
      },
    }) as typeof live;
    expect(out.spec.containers.map((c) => c.name)).toEqual(['c0', 'c1', 'c2']);
    expect(out.spec.containers[1]!.env).toHaveLength(2);
  });

  it('replaces a map with $patch: replace and keeps only $retainKeys', () => {
    const out = strategicMergePatch(live, { metadata: { labels: { $patch: 'replace', z: '9' } } }) as typeof live;
    expect(out.metadata.labels).toEqual({ z: '9' });
    const out2 = strategicMergePatch({ a: { x: 1, y: 2 } }, { a: { $retainKeys: ['y'], y: 3 } });
    expect(out2).toEqual({ a: { y: 3 } });
  });

  it('merges finalizers as a set and removes values with $deleteFromPrimitiveList', () => {
    const out = strategicMergePatch({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['c', 'a'], '$deleteFromPrimitiveList/finalizers': ['b'] } });
    expect(out).toEqual({ metadata: { finalizers: ['a', 'c'] } });
  });

  it('rejects a keyed list element without its merge key', () => {
    expect(() => strategicMergePatch(live, { spec: { containers: [{ image: 'x' }] } })).toThrow(/does not contain declared merge key: name/);
  });
});

describe('jsonMergePatch and jsonPatch', () => {
  it('merge patch replaces lists and deletes with null', () => {
    expect(jsonMergePatch(live, { metadata: { labels: { a: null } }, spec: { containers: [] } })).toEqual({
      metadata: { name: 'app1', labels: { b: '2' }, annotations: { keep: 'x' } },
      spec: { containers: [] },
    });
  });

  it('json patch adds, replaces, removes and tests', () => {
    const out = jsonPatch(live, [
      { op: 'replace', path: '/spec/containers/0/image', value: 'y' },
      { op: 'add', path: '/metadata/labels/c', value: '3' },
      { op: 'remove', path: '/spec/containers/1' },
      { op: 'test', path: '/metadata/name', value: 'app1' },
    ]) as typeof live;
    expect(out.spec.containers).toHaveLength(1);
    expect(out.spec.containers[0]!.image).toBe('y');
    expect(out.metadata.labels).toEqual({ a: '1', b: '2', c: '3' });
    expect(() => jsonPatch(live, [{ op: 'test', path: '/metadata/name', value: 'other' }])).toThrow(/testing value/);
  });
});
