import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parse as parseYaml } from 'yaml';

export interface KubeTarget {
  server: string;
  ca?: string;
  insecure: boolean;
  token?: string;
  namespace: string;
}

interface KubeconfigFile {
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  users?: { name: string; user: Record<string, unknown> }[];
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  'current-context'?: string;
}

/** The current context of a kubeconfig file: server, CA, token and namespace. */
export function loadKubeconfig(path: string): KubeTarget {
  const doc = parseYaml(readFileSync(path, 'utf8')) as KubeconfigFile;
  const ctxName = doc['current-context'];
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context;
  if (!ctx) throw new Error(`${path}: no current context`);
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster || typeof cluster['server'] !== 'string') throw new Error(`${path}: cluster ${ctx.cluster} has no server`);
  const user = doc.users?.find((u) => u.name === ctx.user)?.user ?? {};
  let ca: string | undefined;
  if (typeof cluster['certificate-authority-data'] === 'string') ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
  else if (typeof cluster['certificate-authority'] === 'string') ca = readFileSync(cluster['certificate-authority'], 'utf8');
  const target: KubeTarget = {
    server: cluster['server'],
    insecure: cluster['insecure-skip-tls-verify'] === true,
    namespace: ctx.namespace || 'default',
  };
  if (ca !== undefined) target.ca = ca;
  if (typeof user['token'] === 'string') target.token = user['token'];
  return target;
}

/** A failed request, worded as kubectl words it (`Error from server (NotFound): …`). */
export class KubeRequestError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeRequestError';
  }
}

/** GET a JSON document from the API with the kubeconfig's CA and token. */
export function getJson(target: KubeTarget, path: string): Promise<unknown> {
  const url = new URL(path, target.server);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        headers: { accept: 'application/json', ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) },
        ...(target.ca ? { ca: target.ca } : {}),
        rejectUnauthorized: !target.insecure,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(body);
          const s = body as { kind?: string; reason?: string; message?: string } | undefined;
          if (s?.kind === 'Status') return reject(new KubeRequestError(status, s.reason ?? '', `Error from server (${s.reason ?? status}): ${s.message ?? ''}`));
          reject(new KubeRequestError(status, '', `Error from server: ${status} ${text.trim()}`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', (err) => reject(new Error(`Unable to connect to the server: ${err.message}`)));
    req.end();
  });
}
