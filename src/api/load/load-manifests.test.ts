import { mkdtempSync, rmSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifestFile, loadManifests } from './load-manifests.js';

const web = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    lifecycle:
      preStop:
        sleep:
          seconds: 5
`;

const prefix = 'Pod in version "v1" cannot be handled as a Pod: ';

describe('loadManifests: reading pods', () => {
  it('reads a YAML pod as written, without defaults', () => {
    const r = loadManifests(web, 'web.yaml');
    expect(r.errors).toEqual([]);
    expect(r.pods).toHaveLength(1);
    expect(r.pods[0]!.pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] },
    });
    expect(r.pods[0]!.fileName).toBe('web.yaml');
    expect(r.pods[0]!.docIndex).toBe(0);
  });

  it('reads JSON, including several concatenated objects', () => {
    const one = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const r = loadManifests(`${one}\n${one.replace('"a"', '"b"')}`, 'pods.json');
    expect(r.errors).toEqual([]);
    expect(r.pods.map((p) => p.pod.metadata.name)).toEqual(['a', 'b']);
    expect(r.pods.map((p) => p.docIndex)).toEqual([0, 1]);
  });

  it('reads every document of a multi-document file and skips empty ones', () => {
    const text = `---\n# only a comment\n---\n${web}---\n---\n${web.replace('name: web', 'name: api')}...\n`;
    const r = loadManifests(text, 'm.yaml');
    expect(r.errors).toEqual([]);
    expect(r.pods.map((p) => [p.pod.metadata.name, p.docIndex])).toEqual([
      ['web', 1],
      ['api', 3],
    ]);
  });

  it('an empty file or a file of comments holds no pods and no errors', () => {
    for (const text of ['', '\n\n', '# nothing here\n', '---\n...\n', 'null\n']) {
      expect(loadManifests(text, 'e.yaml')).toEqual({ pods: [], errors: [] });
    }
  });

  it('expands kind: List and PodList into their pods', () => {
    const list = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: one}
  spec: {containers: [{name: c, image: i}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: two}
  spec: {containers: [{name: c, image: i}]}
`;
    const r = loadManifests(list, 'list.yaml');
    expect(r.errors).toEqual([]);
    expect(r.pods.map((p) => [p.pod.metadata.name, p.docIndex, p.itemIndex])).toEqual([
      ['one', 0, 0],
      ['two', 0, 1],
    ]);
    const podList = loadManifests(list.replace('kind: List', 'kind: PodList'), 'list.yaml');
    expect(podList.pods).toHaveLength(2);
  });

  it('refuses a List item that is not a Pod, naming the document and the item', () => {
    const r = loadManifests(
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n- 3\n',
      'list.yaml',
    );
    expect(r.pods).toEqual([]);
    expect(r.errors.map((e) => [e.message, e.line])).toEqual([
      ['document 1, items[0]: kind "Service" is not supported: hooklet runs Pods', 5],
      ['document 1, items[1]: expected a Pod object, found a number', 7],
    ]);
  });

  it('refuses other kinds, naming the document, and keeps the pods of the other documents', () => {
    const r = loadManifests(`${web}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n`, 'mixed.yaml');
    expect(r.pods.map((p) => p.pod.metadata.name)).toEqual(['web']);
    expect(r.errors).toEqual([
      { fileName: 'mixed.yaml', docIndex: 1, line: 15, col: 1, reason: 'kind', message: 'document 2: kind "Service" is not supported: hooklet runs Pods' },
    ]);
  });

  it('refuses a missing kind, a missing apiVersion and a wrong apiVersion', () => {
    const noKind = loadManifests('apiVersion: v1\nmetadata: {name: x}\n', 'x.yaml');
    expect(noKind.errors[0]!.message).toBe('document 1: kind not set: hooklet runs Pods (apiVersion: v1, kind: Pod)');
    const noVersion = loadManifests('kind: Pod\nmetadata: {name: x}\n', 'x.yaml');
    expect(noVersion.errors[0]!.message).toBe('document 1: apiVersion not set: a Pod needs apiVersion: v1');
    const apps = loadManifests('apiVersion: apps/v1\nkind: Pod\n', 'x.yaml');
    expect(apps.errors[0]).toMatchObject({ message: 'document 1: no matches for kind "Pod" in version "apps/v1"', line: 1, col: 1 });
  });

  it('refuses a document that is not a mapping', () => {
    const r = loadManifests('- a\n- b\n', 'x.yaml');
    expect(r.errors[0]!.message).toBe('document 1: expected a Pod object (a mapping with apiVersion and kind), found an array');
  });

  it('gives every Pod metadata and spec objects, as Go decoding does', () => {
    const r = loadManifests('apiVersion: v1\nkind: Pod\n', 'x.yaml');
    expect(r.pods[0]!.pod).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: {} });
  });

  it('drops null fields and turns null list elements into zero values, as Go decoding does', () => {
    const r = loadManifests('apiVersion: v1\nkind: Pod\nmetadata: {name: x, labels: null}\nspec:\n  containers: [null]\n  initContainers:\n  - args: [null, a]\n', 'x.yaml');
    expect(r.errors).toEqual([]);
    expect(r.pods[0]!.pod.metadata).toEqual({ name: 'x' });
    expect(r.pods[0]!.pod.spec.containers).toEqual([{}]);
    expect(r.pods[0]!.pod.spec.initContainers).toEqual([{ args: ['', 'a'] }]);
  });

  it('strips a byte-order mark and reads CRLF line endings', () => {
    const r = loadManifests('\ufeff' + web.replace(/\n/g, '\r\n'), 'win.yaml');
    expect(r.errors).toEqual([]);
    expect(r.pods[0]!.position('spec.containers[0].image')).toEqual({ line: 8, col: 5 });
  });
});

describe('loadManifests: strict field validation (kubectl --validate=strict)', () => {
  it('rejects one unknown field with the API server message', () => {
    const r = loadManifests(web.replace('spec:\n', 'spec:\n  foo: 1\n'), 'bad.yaml');
    expect(r.pods).toEqual([]);
    expect(r.errors).toEqual([
      { fileName: 'bad.yaml', docIndex: 0, line: 6, col: 3, reason: 'strict', message: `${prefix}strict decoding error: unknown field "spec.foo"` },
    ]);
  });

  it('lists every unknown and duplicate field in document order, joined with ", "', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: dupe
  name: web
  unknownMeta: x
spec:
  unknown1: a
  unknownDupe: a
  unknownDupe: b
  containers:
  - name: app
    image: nginx
    bar: 1
    imagePullPolicy: Always
    imagePullPolicy: Never
`;
    const r = loadManifests(text, 'bad.yaml');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.message).toBe(
      prefix +
        'strict decoding error: duplicate field "metadata.name", unknown field "metadata.unknownMeta", unknown field "spec.unknown1", ' +
        'unknown field "spec.unknownDupe", unknown field "spec.containers[0].bar", duplicate field "spec.containers[0].imagePullPolicy"',
    );
    expect(r.errors[0]).toMatchObject({ line: 5, col: 3 });
  });

  it('matches field names case-sensitively', () => {
    const r = loadManifests(web.replace('image:', 'Image:'), 'bad.yaml');
    expect(r.errors[0]!.message).toBe(`${prefix}strict decoding error: unknown field "spec.containers[0].Image"`);
  });

  it('knows the fields newer than kubernetes-types 1.30 (stopSignal, pod-level resources)', () => {
    const text = web
      .replace('    lifecycle:\n', '    lifecycle:\n      stopSignal: SIGUSR1\n')
      .replace('spec:\n', 'spec:\n  os: {name: linux}\n  resources: {limits: {cpu: "1"}}\n');
    const r = loadManifests(text, 'new.yaml');
    expect(r.errors).toEqual([]);
    expect(r.pods[0]!.pod.spec.containers[0]!.lifecycle!.stopSignal).toBe('SIGUSR1');
  });

  it('reports a duplicate key inside a map (labels) with the key in the path', () => {
    const r = loadManifests('apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    app: a\n    app: b\n', 'x.yaml');
    expect(r.errors[0]!.message).toBe(`${prefix}strict decoding error: duplicate field "metadata.labels.app"`);
  });
});

describe('loadManifests: values of the wrong type (Go decode errors)', () => {
  it('YAML 1.1 makes `yes` a boolean, which an env value cannot hold', () => {
    const r = loadManifests(web.replace('    image: nginx:1.27\n', '    image: nginx:1.27\n    env:\n    - name: DEBUG\n      value: yes\n'), 'x.yaml');
    expect(r.errors).toEqual([
      {
        fileName: 'x.yaml',
        docIndex: 0,
        line: 11,
        col: 14,
        reason: 'type',
        message: `${prefix}json: cannot unmarshal bool into Go struct field EnvVar.spec.containers.env.value of type string`,
      },
    ]);
  });

  it('a quoted number is a string, which a port number cannot be', () => {
    const r = loadManifests(web.replace('    image: nginx:1.27\n', '    image: nginx:1.27\n    ports:\n    - containerPort: "80"\n'), 'x.yaml');
    expect(r.errors[0]!.message).toBe(
      `${prefix}json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32`,
    );
  });

  it('a string where a list belongs', () => {
    const r = loadManifests('apiVersion: v1\nkind: Pod\nspec:\n  containers: nginx\n', 'x.yaml');
    expect(r.errors[0]!.message).toBe(`${prefix}json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container`);
  });

  it('a fraction or an out-of-range number in an integer field', () => {
    const frac = loadManifests('apiVersion: v1\nkind: Pod\nspec:\n  terminationGracePeriodSeconds: 1.5\n', 'x.yaml');
    expect(frac.errors[0]!.message).toBe(
      `${prefix}json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64`,
    );
    const big = loadManifests('{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"ports":[{"containerPort":4294967296}]}]}}', 'x.json');
    expect(big.errors[0]!.message).toBe(
      `${prefix}json: cannot unmarshal number 4294967296 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32`,
    );
  });

  it('accepts a whole number written as a float, as Go does after kubectl converts it', () => {
    const r = loadManifests('apiVersion: v1\nkind: Pod\nspec:\n  terminationGracePeriodSeconds: 30.0\n', 'x.yaml');
    expect(r.errors).toEqual([]);
    expect(r.pods[0]!.pod.spec.terminationGracePeriodSeconds).toBe(30);
  });

  it('a type error wins over strict errors, and the first type error is the one reported', () => {
    const r = loadManifests('apiVersion: v1\nkind: Pod\nspec:\n  foo: 1\n  hostNetwork: "yes"\n  restartPolicy: 3\n', 'x.yaml');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.message).toBe(`${prefix}json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool`);
  });

  it('YAML 1.1 numbers: 0755 is octal, 1:30 and timestamps stay strings', () => {
    const r = loadManifests(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations: {a: 1:30, b: 2024-01-02}\nspec:\n  volumes:\n  - name: v\n    secret: {secretName: s, defaultMode: 0755}\n',
      'x.yaml',
    );
    expect(r.errors).toEqual([]);
    expect(r.pods[0]!.pod.metadata.annotations).toEqual({ a: '1:30', b: '2024-01-02' });
    expect(r.pods[0]!.pod.spec.volumes![0]!.secret!.defaultMode).toBe(0o755);
  });
});

describe('loadManifests: parse errors carry line and column', () => {
  it('YAML', () => {
    const r = loadManifests('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n   image: b\n', 'x.yaml');
    expect(r.pods).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ reason: 'parse', docIndex: 0, line: 6 });
    expect(r.errors[0]!.col).toBeGreaterThan(0);
    expect(r.errors[0]!.message).not.toMatch(/\n/);
  });

  it('a YAML error in one document leaves the others readable', () => {
    const r = loadManifests(`${web}---\na: [\n---\n${web}`, 'x.yaml');
    expect(r.pods.map((p) => p.docIndex)).toEqual([0, 2]);
    expect(r.errors.map((e) => [e.reason, e.docIndex])).toEqual([['parse', 1]]);
  });

  it('JSON, worded as Go encoding/json does', () => {
    const r = loadManifests('{\n  "apiVersion": "v1",\n  "kind": "Pod",\n}\n', 'x.json');
    expect(r.errors).toEqual([
      { fileName: 'x.json', line: 4, col: 1, reason: 'parse', message: "invalid character '}' looking for beginning of object key string" },
    ]);
  });

  it('an alias to an anchor not yet defined', () => {
    const r = loadManifests('apiVersion: v1\nkind: Pod\nmetadata: *m\n', 'x.yaml');
    expect(r.errors[0]!.reason).toBe('parse');
    expect(r.errors[0]!.line).toBe(3);
  });
});

describe('loadManifests: aliases and merge keys', () => {
  it('expands aliases and << merge keys; explicit keys win over merged ones', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: m}
spec:
  containers:
  - &base
    name: a
    image: busybox
    command: [sleep, "3600"]
  - <<: *base
    name: b
`;
    const r = loadManifests(text, 'x.yaml');
    expect(r.errors).toEqual([]);
    expect(r.pods[0]!.pod.spec.containers).toEqual([
      { name: 'a', image: 'busybox', command: ['sleep', '3600'] },
      { name: 'b', image: 'busybox', command: ['sleep', '3600'] },
    ]);
  });
});

describe('LoadedPod.position', () => {
  const r = loadManifests(`${web}---\n${web.replace('name: web', 'name: two')}`, 'p.yaml');

  it('maps a field path to the 1-based line and column of its key', () => {
    const p = r.pods[0]!;
    expect(p.position('spec.containers[0].lifecycle.preStop.sleep')).toEqual({ line: 11, col: 9 });
    expect(p.position('metadata.name')).toEqual({ line: 4, col: 3 });
    expect(p.position('spec.containers[0]')).toEqual({ line: 7, col: 5 });
  });

  it('falls back to the nearest ancestor that exists', () => {
    const p = r.pods[0]!;
    expect(p.position('spec.containers[0].lifecycle.preStop.sleep.seconds.extra')).toEqual({ line: 12, col: 11 });
    expect(p.position('spec.containers[0].readinessProbe.httpGet')).toEqual({ line: 7, col: 5 });
    expect(p.position('spec.containers[3].image')).toEqual({ line: 6, col: 3 });
    expect(p.position('')).toEqual({ line: 1, col: 1 });
  });

  it('is relative to the pod document (and to the List item)', () => {
    expect(r.pods[1]!.position('metadata.name')).toEqual({ line: 17, col: 3 });
    const list = loadManifests('{"apiVersion":"v1","kind":"List","items":[\n {"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}},\n {"apiVersion":"v1","kind":"Pod","metadata":{"name":"y"}}]}', 'l.json');
    expect(list.pods[1]!.position('metadata.name')).toEqual({ line: 3, col: 46 });
  });
});

describe('loadManifestFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hooklet-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file', async () => {
    const path = join(dir, 'web.yaml');
    writeFileSync(path, web);
    const r = await loadManifestFile(path);
    expect(r.errors).toEqual([]);
    expect(r.pods[0]!.fileName).toBe(path);
  });

  it('reports a missing file the way kubectl does', async () => {
    const path = join(dir, 'nope.yaml');
    expect(await loadManifestFile(path)).toEqual({
      pods: [],
      errors: [{ fileName: path, reason: 'read', message: `the path "${path}" does not exist` }],
    });
  });

  it('refuses a directory', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const r = await loadManifestFile(sub);
    expect(r.errors[0]).toMatchObject({ reason: 'read', message: `${sub} is a directory: give manifest files` });
  });

  it('refuses a file over the size limit without reading it', async () => {
    const path = join(dir, 'huge.yaml');
    writeFileSync(path, '');
    truncateSync(path, 1024 * 1024 * 1024); // sparse; reading it would take seconds and a gigabyte of memory
    const t0 = performance.now();
    const r = await loadManifestFile(path);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.errors).toEqual([
      {
        fileName: path,
        reason: 'limit',
        message: "file too large: 1024.0 MiB (1073741824 bytes); the limit is 3.0 MiB, as for the API server's request body",
      },
    ]);
  });
});
