/** Why a manifest (or one document of it) was refused. */
export type LoadErrorReason =
  /** The file could not be read. */
  | 'read'
  /** YAML or JSON syntax error. */
  | 'parse'
  /** Input larger, deeper or more numerous than the limits allow. */
  | 'limit'
  /** Not a Pod (or a List of Pods), or the wrong apiVersion. */
  | 'kind'
  /** Unknown or duplicate fields (the API server's strict field validation). */
  | 'strict'
  /** A value of the wrong JSON type for its field. */
  | 'type'
  /** A bug in the loader, reported instead of thrown. */
  | 'internal';

/** One refusal, located as precisely as the input allows. */
export interface LoadError {
  fileName: string;
  /** 0-based index of the document in the file (`document docIndex+1` in messages). */
  docIndex?: number;
  /** 1-based line and column. */
  line?: number;
  col?: number;
  reason: LoadErrorReason;
  message: string;
}

/** Thrown inside the loader to abandon a file or a document; never escapes `loadManifests`. */
export class LoadFailure extends Error {
  constructor(
    readonly reason: LoadErrorReason,
    message: string,
    /** Character offset the failure points at, when known. */
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'LoadFailure';
  }
}
