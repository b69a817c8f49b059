/** How much a finding matters: errors fail `hooklet lint`, warnings fail it under `--strict`. */
export type Severity = 'error' | 'warning' | 'info';

/** One thing `hooklet lint` reports. */
export interface Finding {
  file: string;
  /** 1-based position of `path` in the file (absent when the file could not be read). */
  line?: number;
  col?: number;
  /** Stable kebab-case rule id, e.g. `validation` or `lifecycle-tcp-socket`. */
  rule: string;
  severity: Severity;
  /** Kubernetes field path the finding is about; empty for whole-file problems. */
  path: string;
  /** One sentence, without the path (validation: the API server's text after `<path>: `). */
  message: string;
}

/** What a rule reports; lint-pod adds the file, the position and the rule's defaults. */
export interface RuleHit {
  path: string;
  message: string;
  /** Overrides the rule's default severity. */
  severity?: Severity;
}
