/** A parsed core/v1 resource URL. */
export interface ResourcePath {
  /** Undefined for the all-namespaces form `/api/v1/pods`. */
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** The deprecated `/api/v1/watch/...` prefix was used. */
  watchPrefix: boolean;
}

/**
 * `/api/v1/namespaces/{ns}/{resource}[/{name}[/{subresource}]]`,
 * `/api/v1/{resource}`, and the same under `/api/v1/watch/`.
 */
export function parseResourcePath(path: string): ResourcePath | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] !== 'api' || parts[1] !== 'v1') return undefined;
  let rest = parts.slice(2);
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  if (rest.length === 0) return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const [, namespace, resource, name, subresource, ...extra] = rest;
    if (extra.length > 0) return undefined;
    return { namespace, resource: resource!, name, subresource, watchPrefix };
  }
  if (rest.length === 1) return { resource: rest[0]!, watchPrefix };
  if (rest[0] === 'namespaces' && rest.length <= 2) return { resource: 'namespaces', name: rest[1], watchPrefix };
  return undefined;
}
