export interface MediaType {
  type: string;
  params: Record<string, string>;
}

/** Parses `a/b;k=v, c/d` into media types in the order given (q-values are ignored: clients list their preference first). */
export function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => parseMediaType(part))
    .filter((m) => m.type !== '');
}

export function parseMediaType(value: string | undefined): MediaType {
  const [type = '', ...rest] = (value ?? '').split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
  }
  return { type: type.trim().toLowerCase(), params };
}

/**
 * Which meta.k8s.io Table version the client asked for, if it prefers a Table
 * over plain JSON (kubectl's `get` sends Table v1, then v1beta1, then JSON).
 */
export function wantsTable(accept: string | undefined): 'v1' | 'v1beta1' | undefined {
  for (const m of parseAccept(accept)) {
    if (m.params['as'] === 'Table' && m.params['g'] === 'meta.k8s.io') {
      const v = m.params['v'];
      if (v === 'v1' || v === 'v1beta1') return v;
      continue;
    }
    if (m.type === 'application/json' && !m.params['as']) return undefined;
    if (m.type === '*/*' || m.type === 'application/*') return undefined;
  }
  return undefined;
}

/** True when the client accepts the aggregated discovery document (apidiscovery.k8s.io v2 or v2beta1). */
export function wantsAggregatedDiscovery(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const m of parseAccept(accept)) {
    if (m.params['as'] === 'APIGroupDiscoveryList' && m.params['g'] === 'apidiscovery.k8s.io') {
      const v = m.params['v'];
      if (v === 'v2' || v === 'v2beta1') return v;
      continue;
    }
    if (m.type === 'application/json' || m.type === '*/*') return undefined;
  }
  return undefined;
}
