/**
 * A minimal HTTPS client for one daemon instance: the kubeconfig's CA and
 * bearer token, loopback only. Connection failures (the daemon was killed
 * under the request) are a distinct error so the driver can tell "unknown
 * outcome" from "the server said no".
 */
import { Agent, request } from 'node:https';
import type { Endpoint } from './crash-daemon.js';

export class DaemonUnreachable extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`${method} ${path}: daemon unreachable (${options.cause instanceof Error ? options.cause.message : String(options.cause)})`, options);
    this.name = 'DaemonUnreachable';
  }
}

export interface ApiResult {
  status: number;
  // Kubernetes objects; the harness reads only a few fields.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface TimelineItem {
  time: string;
  timeMs: number;
  podUid: string;
  container?: string;
  what: string;
  detail?: string;
}

export class ApiClient {
  private readonly agent: Agent;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly timeoutMs = 15_000,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 4, ca: endpoint.ca });
  }

  close(): void {
    this.agent.destroy();
  }

  call(method: string, path: string, body?: unknown): Promise<ApiResult> {
    const url = new URL(path, this.endpoint.server);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          ca: this.endpoint.ca,
          headers: {
            Authorization: `Bearer ${this.endpoint.token}`,
            Accept: 'application/json',
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(new DaemonUnreachable(method, path, { cause: err })));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = { unparsed: text };
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (err) => reject(new DaemonUnreachable(method, path, { cause: err })));
      req.end(payload);
    });
  }

  createPod(manifest: unknown): Promise<ApiResult> {
    return this.call('POST', '/api/v1/namespaces/default/pods', manifest);
  }

  getPod(name: string): Promise<ApiResult> {
    return this.call('GET', `/api/v1/namespaces/default/pods/${name}`);
  }

  async listPodNames(): Promise<Map<string, { uid: string; terminating: boolean }>> {
    const r = await this.call('GET', '/api/v1/namespaces/default/pods');
    if (r.status !== 200) throw new Error(`list pods: HTTP ${r.status} ${JSON.stringify(r.json)}`);
    const out = new Map<string, { uid: string; terminating: boolean }>();
    for (const p of r.json.items as Array<{ metadata: { name: string; uid: string; deletionTimestamp?: string } }>) {
      out.set(p.metadata.name, { uid: p.metadata.uid, terminating: p.metadata.deletionTimestamp != null });
    }
    return out;
  }

  /** `gracePeriodSeconds` as kubectl sends it (DeleteOptions body); 0 is a force delete. */
  deletePod(name: string, gracePeriodSeconds?: number): Promise<ApiResult> {
    const body = gracePeriodSeconds === undefined ? undefined : { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds };
    return this.call('DELETE', `/api/v1/namespaces/default/pods/${name}`, body);
  }

  async timeline(name: string, uid: string): Promise<TimelineItem[] | undefined> {
    const r = await this.call('GET', `/apis/hooklet.dev/v1/namespaces/default/pods/${name}/timeline?uid=${encodeURIComponent(uid)}`);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`timeline ${name}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
    return (r.json.items as TimelineItem[]).filter((e) => e.podUid === uid);
  }

  async events(): Promise<Array<{ reason: string; message: string; involvedObject: { name: string; uid?: string } }>> {
    const r = await this.call('GET', '/api/v1/namespaces/default/events');
    if (r.status !== 200) throw new Error(`events: HTTP ${r.status}`);
    return r.json.items;
  }
}
