export interface KubeconfigInput {
  server: string;
  caCert: string;
  token: string;
  name?: string;
  namespace?: string;
}

/**
 * A kubeconfig carrying the CA and the token: kubectl sends tokens only over
 * TLS (contract §1). Written as JSON, which is YAML, so the daemon does not
 * load a YAML library at start.
 */
export function renderKubeconfig(input: KubeconfigInput): string {
  const name = input.name ?? 'hooklet';
  return `${JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: input.server, 'certificate-authority-data': Buffer.from(input.caCert).toString('base64') } }],
    users: [{ name, user: { token: input.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: input.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  }, null, 2)}\n`;
}
