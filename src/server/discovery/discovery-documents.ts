/**
 * What kubectl needs to find pods and events (contract §0, §3, §4): /version,
 * discovery in both the aggregated and the old form, and the smallest
 * /openapi/v3 that makes `create`/`apply` send fieldValidation=Strict.
 */

const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };

/** `major`/`minor` must be "1"/"32": the kubectl dispatcher picks its build from them. */
export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0',
    gitCommit: 'hooklet',
    gitTreeState: 'clean',
    buildDate: '2024-12-11T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: `${process.platform}/${goArch[process.arch] ?? process.arch}`,
  };
}

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface ResourceInfo {
  resource: string;
  /** Cluster-scoped (namespaces); everything else is namespaced. */
  cluster?: boolean;
  verbs?: string[];
  singular: string;
  kind: string;
  shortNames: string[];
  categories?: string[];
  subresources: { subresource: string; kind: string; verbs: string[] }[];
}

const resources: ResourceInfo[] = [
  {
    resource: 'events',
    singular: 'event',
    kind: 'Event',
    shortNames: ['ev'],
    subresources: [],
  },
  {
    // Implicit and read-only: any namespace name works (README "API subset").
    resource: 'namespaces',
    cluster: true,
    verbs: ['get', 'list'],
    singular: 'namespace',
    kind: 'Namespace',
    shortNames: ['ns'],
    subresources: [],
  },
  {
    resource: 'pods',
    singular: 'pod',
    kind: 'Pod',
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { subresource: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { subresource: 'log', kind: 'Pod', verbs: ['get'] },
      { subresource: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    ],
  },
];

export const aggregatedDiscoveryContentType = (version: 'v2' | 'v2beta1'): string =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

/** Aggregated `/api`: the core group with its one version. */
export function aggregatedCoreDiscovery(version: 'v2' | 'v2beta1'): unknown {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: [
      {
        metadata: { creationTimestamp: null },
        versions: [
          {
            version: 'v1',
            freshness: 'Current',
            resources: resources.map((r) => ({
              resource: r.resource,
              responseKind: { group: '', version: 'v1', kind: r.kind },
              scope: r.cluster ? 'Cluster' : 'Namespaced',
              singularResource: r.singular,
              verbs: r.verbs ?? verbs,
              shortNames: r.shortNames,
              ...(r.categories ? { categories: r.categories } : {}),
              ...(r.subresources.length
                ? {
                    subresources: r.subresources.map((s) => ({
                      subresource: s.subresource,
                      responseKind: { group: '', version: 'v1', kind: s.kind },
                      verbs: s.verbs,
                    })),
                  }
                : {}),
            })),
          },
        ],
      },
    ],
  };
}

/** Aggregated `/apis`: it must exist (a 404 is fatal to kubectl), and hooklet serves no named groups there. */
export function aggregatedGroupsDiscovery(version: 'v2' | 'v2beta1'): unknown {
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items: [] };
}

export function legacyApiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function legacyApiGroupList(): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [] };
}

export function coreV1ResourceList(): unknown {
  const list: unknown[] = [];
  for (const r of resources) {
    list.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: !r.cluster,
      kind: r.kind,
      verbs: r.verbs ?? verbs,
      shortNames: r.shortNames,
      ...(r.categories ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources) {
      list.push({ name: `${r.resource}/${s.subresource}`, singularName: '', namespaced: true, kind: s.kind, verbs: s.verbs });
    }
  }
  return { kind: 'APIResourceList', groupVersion: 'v1', resources: list };
}

const openapiHash = '0123456789ABCDEF';

export function openapiV3Index(): unknown {
  return { paths: { 'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${openapiHash}` } } };
}

/**
 * kubectl only looks for a PATCH operation on Pod that takes `fieldValidation`
 * (cli-runtime queryParamVerifierV3); the server then checks fields itself.
 */
export function openapiV3CoreV1(): unknown {
  const op = (kind: string) => ({
    'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind },
    parameters: [{ name: 'fieldValidation', in: 'query' }],
  });
  return {
    openapi: '3.0.0',
    info: { title: 'hooklet', version: 'v1.32.0' },
    paths: {
      '/api/v1/namespaces/{namespace}/pods/{name}': { patch: op('Pod') },
      '/api/v1/namespaces/{namespace}/events/{name}': { patch: op('Event') },
    },
  };
}
