import type { Pod } from '../api/types.js';
import type { FieldError } from '../api/field-error.js';
import type { Clock } from '../clock/clock.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { PodStore } from '../store/pod-store.js';

/** A request body decoded as a Pod the way the API server's decoder does it. */
export interface DecodedPod {
  /** The object with unknown fields left out (what the API server would store). */
  value: unknown;
  /** `unknown field "spec.foo"`, `duplicate field "metadata.name"`, in document order. */
  strictErrors: string[];
  /** Go's message for a value of the wrong type (`json: cannot unmarshal …`); fails the request whatever the field validation. */
  typeError?: string;
}

/**
 * What the API server does to a Pod before storing it: decoding with the
 * strict field check, defaulting, and validation.
 */
export interface PodAdmission {
  /** Decodes one JSON document; throws ApiError(400) when it is not one valid JSON object. */
  decode(json: string): DecodedPod;
  applyDefaults(pod: Pod): Pod;
  validate(pod: Pod): FieldError[];
  validateUpdate(pod: Pod, old: Pod): FieldError[];
}

/** Everything the route handlers share. */
export interface ServerContext {
  store: PodStore;
  clock: Clock;
  /** Pods get this spec.nodeName at create: there is no scheduler. */
  nodeName: string;
  /** For logs and exec; absent in API-only tests. */
  runtime?: ContainerRuntime;
  admission: PodAdmission;
  /**
   * Resolves once `admission` can be used; requests that write (POST, PUT,
   * PATCH) wait for it. The daemon loads decoding and validation after it
   * starts answering reads (bench figure 5). Absent: usable at once.
   */
  admissionReady?: Promise<void>;
  /** `host:port` reported in the legacy `/api` document. */
  serverAddress: string;
  /** How often watches with allowWatchBookmarks get a BOOKMARK. */
  bookmarkIntervalMs: number;
}
