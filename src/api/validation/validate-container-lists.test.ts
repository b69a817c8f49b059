import { describe, expect, it } from 'vitest';
import { errorsOf, podWith } from './fixtures.case.js';

describe('containers list', () => {
  it('at least one container is required', () => {
    expect(errorsOf(podWith((p) => (p.spec.containers = [])))).toEqual(['spec.containers: Required value']);
    expect(errorsOf(podWith((p) => delete p.spec.containers))).toEqual(['spec.containers: Required value']);
    expect(errorsOf(podWith((p) => delete p.spec))).toEqual(['spec.containers: Required value']);
  });

  it('names are unique across containers, init containers and ephemeral containers', () => {
    const pod = podWith((p) => {
      p.spec.containers.push({ name: 'app', image: 'x' });
      p.spec.initContainers = [{ name: 'app', image: 'x' }, { name: 'init', image: 'x' }, { name: 'init', image: 'x' }];
      p.spec.ephemeralContainers = [{ name: 'init', image: 'x' }];
    });
    expect(errorsOf(pod)).toEqual([
      'spec.containers[1].name: Duplicate value: "app"',
      'spec.initContainers[0].name: Duplicate value: "app"',
      'spec.initContainers[2].name: Duplicate value: "init"',
      'spec.ephemeralContainers[0].name: Duplicate value: "init"',
      'spec.ephemeralContainers: Forbidden: cannot be set on create',
    ]);
  });
});

describe('host ports', () => {
  it('the same host port twice is a Duplicate on the later one', () => {
    const pod = podWith((p) => {
      p.spec.containers[0].ports = [{ containerPort: 80, hostPort: 8080 }];
      p.spec.containers.push({ name: 'b', image: 'x', ports: [{ containerPort: 81, hostPort: 8080 }, { containerPort: 82, hostPort: 8080, protocol: 'UDP' }] });
    });
    expect(errorsOf(pod)).toEqual(['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"']);
  });

  it('init containers are checked one at a time, and Go reports them under index 0', () => {
    const pod = podWith((p) => {
      p.spec.containers[0].ports = [{ containerPort: 80, hostPort: 8080 }];
      p.spec.initContainers = [
        { name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] },
        { name: 'b', image: 'x', ports: [{ containerPort: 80, hostPort: 9090 }, { containerPort: 81, hostPort: 9090 }] },
      ];
    });
    expect(errorsOf(pod)).toEqual(['spec.initContainers[0].ports[1].hostPort: Duplicate value: "TCP//9090"']);
  });
});
