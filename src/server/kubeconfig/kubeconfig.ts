import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caCert: string;
  token: string;
  name?: string;
  namespace?: string;
}

/** A kubeconfig carrying the CA and the token: kubectl sends tokens only over TLS (contract §1). */
export function renderKubeconfig(input: KubeconfigInput): string {
  const name = input.name ?? 'hooklet';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: input.server, 'certificate-authority-data': Buffer.from(input.caCert).toString('base64') } }],
    users: [{ name, user: { token: input.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: input.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
