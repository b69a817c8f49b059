/**
 * Bounds that keep hostile manifests from hanging or crashing the loader.
 * Real Pod manifests stay orders of magnitude below every one of them.
 */
export interface LoadLimits {
  /** Bytes of input (UTF-8). The API server refuses request bodies over 3 MiB. */
  maxBytes: number;
  /** Documents in one file (`---` separated YAML, or concatenated JSON values). */
  maxDocuments: number;
  /** Pods in one file, counting List items. */
  maxPods: number;
  /** Nested maps and lists in one document. */
  maxDepth: number;
  /** Nodes in one file after alias expansion (alias bombs blow up here). */
  maxNodes: number;
  /** YAML lexical tokens in one file: bounds the time the YAML parser may take. */
  maxYamlTokens: number;
}

export const defaultLoadLimits: Readonly<LoadLimits> = {
  maxBytes: 3 * 1024 * 1024,
  maxDocuments: 1000,
  maxPods: 1000,
  maxDepth: 100,
  maxNodes: 100_000,
  maxYamlTokens: 50_000,
};

// The messages a refused input gets, in one place so they read alike.
export const tooDeep = (max: number, alias?: string): string =>
  `document nested more than ${max} levels deep${alias ? ` (through alias *${alias})` : ''}`;
export const tooManyDocuments = (max: number): string => `too many documents: more than ${max} in one file`;
export const tooManyPods = (max: number): string => `too many pods: more than ${max} in one file`;
export const tooManyValues = (max: number, alias?: string): string =>
  `manifest too large: more than ${max} values${alias ? ` (expanding alias *${alias}: an alias bomb?)` : ''}`;
export const tooManyTokens = (max: number): string => `manifest too large: more than ${max} YAML tokens`;
export function tooLarge(bytes: number, max: number): string {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `file too large: ${mib(bytes)} (${bytes} bytes); the limit is ${mib(max)}, as for the API server's request body`;
}
