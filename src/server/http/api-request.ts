/**
 * One HTTP request as the API handlers see it: parsed path and query, lower-case
 * headers, the whole body (objects are small), and a signal that aborts when
 * the client goes away or the server shuts down. Handlers never touch Node's
 * http objects, so they run in tests without a port.
 */
export interface ApiRequest {
  method: string;
  /** Decoded path without the query, e.g. `/api/v1/namespaces/default/pods`. */
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
  signal: AbortSignal;
}

/** Builds an ApiRequest for tests and for the upgrade path. */
export function apiRequest(
  method: string,
  url: string,
  init: { headers?: Record<string, string>; body?: string | Buffer | object; signal?: AbortSignal } = {},
): ApiRequest {
  const u = new URL(url, 'https://hooklet.invalid');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v;
  let body: Buffer;
  if (init.body === undefined) body = Buffer.alloc(0);
  else if (Buffer.isBuffer(init.body)) body = init.body;
  else if (typeof init.body === 'string') body = Buffer.from(init.body);
  else {
    body = Buffer.from(JSON.stringify(init.body));
    headers['content-type'] ??= 'application/json';
  }
  return {
    method,
    path: decodeURIComponent(u.pathname),
    query: u.searchParams,
    headers,
    body,
    signal: init.signal ?? new AbortController().signal,
  };
}
