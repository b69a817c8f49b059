/**
 * In-process harness for the route tests: a MemoryStore on a FakeClock and
 * the API handler, called without a port.
 */
import type { Pod } from '../api/types.js';
import { FakeClock } from '../clock/fake-clock.js';
import { MemoryStore } from '../store/memory-store.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { createApiHandler } from './api-handler.js';
import { apiRequest } from './http/api-request.js';
import { isStreaming, type ApiResponse } from './http/api-response.js';
import type { PodAdmission, ServerContext } from './server-context.js';
import { defaultPodAdmission } from './pods/default-pod-admission.js';

export interface Harness {
  clock: FakeClock;
  store: MemoryStore;
  ctx: ServerContext;
  call(method: string, url: string, init?: { headers?: Record<string, string>; body?: unknown; signal?: AbortSignal }): Promise<Result>;
  /** Starts a streaming request and collects what it writes until `abort()`. */
  stream(url: string, headers?: Record<string, string>): Promise<StreamResult>;
}

export interface Result {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface StreamResult {
  status: number;
  headers: Record<string, string>;
  chunks: string[];
  /** Parsed watch events so far. */
  events(): any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  abort(): void;
  done: Promise<void>;
}

export const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export function makeHarness(opts: { admission?: PodAdmission; runtime?: ContainerRuntime; token?: string } = {}): Harness {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const store = new MemoryStore(clock, { replayWindow: 50 });
  const ctx: ServerContext = {
    store,
    clock,
    nodeName: 'node-1',
    admission: opts.admission ?? defaultPodAdmission(),
    serverAddress: '127.0.0.1:6443',
    bookmarkIntervalMs: 60_000,
    ...(opts.runtime ? { runtime: opts.runtime } : {}),
  };
  const handler = createApiHandler(ctx, opts.token !== undefined ? { token: opts.token } : {});
  const toHeaders = (h: Record<string, string> = {}) => h;
  return {
    clock,
    store,
    ctx,
    async call(method, url, init = {}) {
      const r = await handler(apiRequest(method, url, { headers: toHeaders(init.headers), body: init.body as object, ...(init.signal ? { signal: init.signal } : {}) }));
      return collect(r);
    },
    async stream(url, headers = {}) {
      const controller = new AbortController();
      const r = await handler(apiRequest('GET', url, { headers, signal: controller.signal }));
      const chunks: string[] = [];
      let done: Promise<void> = Promise.resolve();
      if (isStreaming(r)) {
        done = r.stream({ signal: controller.signal, write: (c) => void chunks.push(c.toString()) });
      } else chunks.push(r.body.toString());
      return {
        status: r.status,
        headers: r.headers,
        chunks,
        events: () => chunks.join('').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l)),
        abort: () => controller.abort(),
        done,
      };
    },
  };
}

async function collect(r: ApiResponse): Promise<Result> {
  let text: string;
  if (isStreaming(r)) {
    const chunks: string[] = [];
    await r.stream({ signal: new AbortController().signal, write: (c) => void chunks.push(c.toString()) });
    text = chunks.join('');
  } else text = r.body.toString();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.headers, text, json };
}

export function podManifest(name: string, extra: Partial<Pod['spec']> = {}, labels: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }], ...extra },
  };
}

