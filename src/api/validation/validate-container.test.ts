import { describe, expect, it } from 'vitest';
import { containerWith, errorsOf, podWith } from './fixtures.case.js';

const C = 'spec.containers[0]';

describe('container name and image', () => {
  it('name is required and must be a DNS-1123 label', () => {
    expect(errorsOf(containerWith((c) => delete c.name))).toEqual([`${C}.name: Required value`]);
    expect(errorsOf(containerWith((c) => (c.name = 'My_App')))).toEqual([
      `${C}.name: Invalid value: "My_App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]);
    expect(errorsOf(containerWith((c) => (c.name = 'a.b')))).toEqual([`${C}.name: Invalid value: "a.b": must not contain dots`]);
  });

  it('image is required (the kubectl example) and may not carry surrounding spaces', () => {
    expect(errorsOf(containerWith((c) => delete c.image))).toEqual([`${C}.image: Required value`]);
    expect(errorsOf(containerWith((c) => (c.image = ' nginx')))).toEqual([
      `${C}.image: Invalid value: " nginx": must not have leading or trailing whitespace`,
    ]);
  });

  it('image whitespace is checked after the whole spec, containers before init containers', () => {
    const pod = podWith((p) => {
      p.spec.containers[0].image = 'nginx\t';
      p.spec.initContainers = [{ name: 'init', image: ' busybox' }];
      p.spec.restartPolicy = 'Sometimes';
    });
    expect(errorsOf(pod)).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      `${C}.image: Invalid value: "nginx\\t": must not have leading or trailing whitespace`,
      'spec.initContainers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace',
    ]);
  });
});

describe('container enums', () => {
  it('imagePullPolicy must be Always, IfNotPresent or Never', () => {
    expect(errorsOf(containerWith((c) => (c.imagePullPolicy = 'Sometimes')))).toEqual([
      `${C}.imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`,
    ]);
  });

  it('terminationMessagePolicy must be File or FallbackToLogsOnError', () => {
    expect(errorsOf(containerWith((c) => (c.terminationMessagePolicy = 'Logs')))).toEqual([
      `${C}.terminationMessagePolicy: Unsupported value: "Logs": supported values: "File", "FallbackToLogsOnError"`,
    ]);
  });
});

describe('container ports', () => {
  it('containerPort is required and must be 1..65535; hostPort likewise when set', () => {
    expect(errorsOf(containerWith((c) => (c.ports = [{}])))).toEqual([`${C}.ports[0].containerPort: Required value`]);
    expect(errorsOf(containerWith((c) => (c.ports = [{ containerPort: 65536, hostPort: 70000 }])))).toEqual([
      `${C}.ports[0].containerPort: Invalid value: 65536: must be between 1 and 65535, inclusive`,
      `${C}.ports[0].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
    ]);
  });

  it('protocol must be TCP, UDP or SCTP', () => {
    expect(errorsOf(containerWith((c) => (c.ports = [{ containerPort: 80, protocol: 'ICMP' }])))).toEqual([
      `${C}.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"`,
    ]);
    expect(errorsOf(containerWith((c) => (c.ports = [{ containerPort: 80, protocol: 'UDP' }])))).toEqual([]);
  });

  it('port names are IANA service names, unique within the container', () => {
    const pod = containerWith((c) => (c.ports = [{ containerPort: 80, name: 'http' }, { containerPort: 81, name: 'http' }, { containerPort: 82, name: 'Web' }]));
    expect(errorsOf(pod)).toEqual([
      `${C}.ports[1].name: Duplicate value: "http"`,
      `${C}.ports[2].name: Invalid value: "Web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
    ]);
    const two = podWith((p) => {
      p.spec.containers.push({ name: 'side', image: 'x', ports: [{ containerPort: 81, name: 'http' }] });
      p.spec.containers[0].ports = [{ containerPort: 80, name: 'http' }];
    });
    expect(errorsOf(two)).toEqual([]);
  });
});

describe('volume mounts', () => {
  it('name and mountPath are required; mount paths are unique', () => {
    const pod = containerWith((c) => (c.volumeMounts = [{ name: 'data', mountPath: '/data' }, { mountPath: '/data' }, { name: 'x' }]));
    expect(errorsOf(pod)).toEqual([
      `${C}.volumeMounts[1].name: Required value`,
      `${C}.volumeMounts[1].mountPath: Invalid value: "/data": must be unique`,
      `${C}.volumeMounts[2].mountPath: Required value`,
    ]);
  });
});

describe('type errors', () => {
  it('a command given as a string, or args that are not strings, are field errors', () => {
    expect(errorsOf(containerWith((c) => (c.command = 'sleep 10')))).toEqual([`${C}.command: Invalid value: "sleep 10": must be a list`]);
    expect(errorsOf(containerWith((c) => (c.args = ['a', 1, null])))).toEqual([`${C}.args[1]: Invalid value: 1: must be a string`]);
  });

  it('wrongly typed scalars and lists do not cascade into other errors', () => {
    const pod = containerWith((c) => {
      c.name = 42;
      c.image = ['nginx'];
      c.ports = { containerPort: 80 };
      c.tty = 'yes';
    });
    expect(errorsOf(pod)).toEqual([
      `${C}.name: Invalid value: 42: must be a string`,
      `${C}.image: Invalid value: ["nginx"]: must be a string`,
      `${C}.tty: Invalid value: "yes": must be a boolean`,
      `${C}.ports: Invalid value: {"containerPort":80}: must be a list`,
    ]);
  });

  it('numbers that are not int32 are rejected', () => {
    expect(errorsOf(containerWith((c) => (c.ports = [{ containerPort: 80.5 }])))).toEqual([`${C}.ports[0].containerPort: Invalid value: 80.5: must be an integer`]);
    expect(errorsOf(containerWith((c) => (c.ports = [{ containerPort: 2 ** 31 }])))).toEqual([
      `${C}.ports[0].containerPort: Invalid value: 2147483648: must fit in a 32-bit signed integer`,
    ]);
  });
});
