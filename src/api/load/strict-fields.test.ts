import { describe, expect, it } from 'vitest';
import { parseJsonDocuments } from './json-documents.js';
import { decodeStrict, formatStrictErrors, goTypeName } from './strict-fields.js';

function decode(json: string, type = 'Pod') {
  const [node] = parseJsonDocuments(json, { maxDepth: 100, maxNodes: 10_000, maxDocuments: 1 });
  return decodeStrict(node!, type);
}

describe('decodeStrict: unknown and duplicate fields', () => {
  it('reports them in document order; an unknown field repeated is reported once, as unknown', () => {
    // The Pod counterpart of kubernetes test/integration/apiserver/apply field validation's invalid body.
    const r = decode(`{
      "apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "dupename", "name": "web", "labels": {"app": "nginx"}, "unknownMeta": "metaVal"},
      "spec": {
        "unknown1": "val1", "unknownDupe": "valDupe", "unknownDupe": "valDupe2",
        "hostNetwork": true, "hostNetwork": false,
        "containers": [{"name": "nginx", "image": "nginx:latest", "unknownNested": "val1",
                        "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]
      }}`);
    expect(r.typeError).toBeUndefined();
    expect(formatStrictErrors(r.strictErrors)).toBe(
      'strict decoding error: duplicate field "metadata.name", unknown field "metadata.unknownMeta", unknown field "spec.unknown1", ' +
        'unknown field "spec.unknownDupe", duplicate field "spec.hostNetwork", unknown field "spec.containers[0].unknownNested", ' +
        'duplicate field "spec.containers[0].imagePullPolicy"',
    );
    // The last duplicate wins, as in Go.
    expect(r.value).toMatchObject({ metadata: { name: 'web' }, spec: { hostNetwork: false } });
  });

  it('checks nested structs at every level (status, probes, volumes)', () => {
    const r = decode(`{"spec": {"containers": [{"livenessProbe": {"httpGet": {"port": 80, "bogus": 1}}}],
      "volumes": [{"name": "v", "emptyDir": {"medium": "", "x": 1}}]},
      "status": {"containerStatuses": [{"state": {"running": {"since": 1}}}]}}`);
    expect(r.strictErrors.map((e) => e.path)).toEqual([
      'spec.containers[0].livenessProbe.httpGet.bogus',
      'spec.volumes[0].emptyDir.x',
      'status.containerStatuses[0].state.running.since',
    ]);
  });

  it('leaves free-form fields alone (managedFields[].fieldsV1)', () => {
    const r = decode('{"metadata": {"managedFields": [{"fieldsV1": {"f:spec": {"f:anything": {}, "f:anything": {}}}}]}}');
    expect(r.strictErrors).toEqual([]);
  });
});

describe('decodeStrict: Go decode errors', () => {
  it.each([
    ['{"spec": []}', 'json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec'],
    ['{"metadata": {"labels": {"a": 1}}}', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    ['{"spec": {"containers": ["x"]}}', 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container'],
    ['{"spec": {"containers": [{"args": [1]}]}}', 'json: cannot unmarshal number into Go struct field Container.spec.containers.args of type string'],
    ['{"spec": {"hostNetwork": "true"}}', 'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool'],
    ['{"spec": {"terminationGracePeriodSeconds": 9223372036854775808}}', 'json: cannot unmarshal number 9223372036854775808 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64'],
    ['{"spec": {"containers": [{"resources": {"limits": []}}]}}', 'json: cannot unmarshal array into Go struct field ResourceRequirements.spec.containers.resources.limits of type v1.ResourceList'],
  ])('%s', (json, message) => {
    expect(decode(json).typeError?.message).toBe(message);
  });

  it('IntOrString: a string or an int32; anything else stops decoding', () => {
    const path = '{"spec": {"containers": [{"lifecycle": {"preStop": {"httpGet": {"port": %}}}}]}}';
    expect(decode(path.replace('%', '"http"')).value).toMatchObject({ spec: { containers: [{ lifecycle: { preStop: { httpGet: { port: 'http' } } } }] } });
    expect(decode(path.replace('%', '8080')).typeError).toBeUndefined();
    expect(decode(path.replace('%', '1.5')).typeError?.message).toBe(
      'json: cannot unmarshal number 1.5 into Go struct field HTTPGetAction.spec.containers.lifecycle.preStop.httpGet.port of type int32',
    );
    expect(decode(path.replace('%', 'true')).typeError?.message).toBe(
      'json: cannot unmarshal bool into Go struct field HTTPGetAction.spec.containers.lifecycle.preStop.httpGet.port of type int32',
    );
  });

  it('Quantity: a string or a number in the quantity grammar', () => {
    const q = '{"spec": {"containers": [{"resources": {"limits": {"cpu": %}}}]}}';
    expect(decode(q.replace('%', '"500m"')).typeError).toBeUndefined();
    expect(decode(q.replace('%', '2')).value).toMatchObject({ spec: { containers: [{ resources: { limits: { cpu: '2' } } }] } });
    expect(decode(q.replace('%', '"lots"')).typeError?.message).toBe(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    expect(decode(q.replace('%', '"1Xi"')).typeError?.message).toMatch(/^quantities must match/);
    expect(decode(q.replace('%', '"1kk"')).typeError?.message).toBe("unable to parse quantity's suffix");
    expect(decode(q.replace('%', 'true')).typeError?.message).toMatch(/^quantities must match/);
  });

  it('Time: an RFC 3339 string', () => {
    expect(decode('{"metadata": {"creationTimestamp": "2024-05-01T10:00:00Z"}}').typeError).toBeUndefined();
    expect(decode('{"metadata": {"creationTimestamp": null}}').typeError).toBeUndefined();
    expect(decode('{"metadata": {"creationTimestamp": 5}}').typeError?.message).toBe(
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string',
    );
    expect(decode('{"metadata": {"creationTimestamp": "yesterday"}}').typeError?.message).toMatch(/^parsing time "yesterday"/);
  });

  it('keeps the first type mismatch but lets a custom decoder error (returned at once) win', () => {
    expect(decode('{"spec": {"hostNetwork": "x", "hostPID": "y"}}').typeError?.path).toBe('spec.hostNetwork');
    expect(decode('{"spec": {"hostNetwork": "x", "overhead": {"cpu": "bad"}}}').typeError?.message).toMatch(/^quantities must match/);
  });

  it('names Go types as reflect does', () => {
    expect(goTypeName('[]Container')).toBe('[]v1.Container');
    expect(goTypeName('map[string]string')).toBe('map[string]string');
    expect(goTypeName('map[string]quantity')).toBe('v1.ResourceList');
    expect(goTypeName('intOrString')).toBe('intstr.IntOrString');
    expect(goTypeName('int32')).toBe('int32');
  });
});
