import type { Clock } from '../../clock/clock.js';
import { StoreError, type WatchEvent } from '../../store/pod-store.js';
import { ApiError, badRequest } from '../http/api-error.js';
import type { StreamingResponse, StreamSink } from '../http/api-response.js';

export interface WatchSource<T> {
  list(): { items: T[]; resourceVersion: number };
  subscribe(fromResourceVersion: number | undefined, onEvent: (e: WatchEvent<T>) => void): () => void;
}

export interface WatchOptions<T> {
  /** The `resourceVersion` query parameter. */
  resourceVersion: string | null;
  sendInitialEvents: boolean;
  allowBookmarks: boolean;
  timeoutSeconds: number | undefined;
  matches(obj: T): boolean;
  /** The wire object of one event (a Pod, an Event, or a one-row Table). */
  render(obj: T, index: number): unknown;
  /** A bookmark object: the kind with only metadata.resourceVersion (and annotations). */
  bookmark(resourceVersion: string, annotations?: Record<string, string>): unknown;
  key(obj: T): string;
  contentType: string;
  clock: Clock;
  bookmarkIntervalMs: number;
}

/** Parses `resourceVersion` as the watch sees it: undefined means "from a fresh list". */
export function watchStart(resourceVersion: string | null): number | undefined {
  if (resourceVersion === null || resourceVersion === '' || resourceVersion === '0') return undefined;
  if (!/^\d+$/.test(resourceVersion)) throw badRequest(`invalid resource version: ${JSON.stringify(resourceVersion)}`);
  return Number(resourceVersion);
}

/**
 * A watch as kubectl and informers consume it (contract §8): newline-delimited
 * JSON events on a chunked 200 response. An empty or "0" resourceVersion
 * starts with a synthetic ADDED per matching object; a numeric one replays
 * from history; one too old to replay gets an ERROR event with a 410 Expired
 * Status and the stream ends, so informers relist instead of hanging.
 */
export function watchResponse<T>(source: WatchSource<T>, opts: WatchOptions<T>): StreamingResponse {
  const from = watchStart(opts.resourceVersion);
  return {
    status: 200,
    headers: { 'content-type': opts.contentType, 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' },
    stream: (sink) => runWatch(source, opts, from, sink),
  };
}

async function runWatch<T>(source: WatchSource<T>, opts: WatchOptions<T>, from: number | undefined, sink: StreamSink): Promise<void> {
  let index = 0;
  let lastRV = String(from ?? 0);
  const sent = new Set<string>();
  const send = (type: string, object: unknown): void => {
    sink.write(JSON.stringify({ type, object }) + '\n');
  };
  const deliver = (type: WatchEvent<T>['type'], obj: T): void => {
    const key = opts.key(obj);
    if (opts.matches(obj)) {
      if (type === 'DELETED') sent.delete(key);
      else sent.add(key);
      send(type, opts.render(obj, index++));
    } else if (type === 'MODIFIED' && sent.has(key)) {
      // The object left the selection: watchers see it go, as from the API server.
      sent.delete(key);
      send('DELETED', opts.render(obj, index++));
    }
  };

  let start = from;
  if (from === undefined || opts.sendInitialEvents) {
    const snapshot = source.list();
    for (const item of snapshot.items) deliver('ADDED', item);
    start = snapshot.resourceVersion;
    lastRV = String(snapshot.resourceVersion);
    if (opts.sendInitialEvents && opts.allowBookmarks) {
      send('BOOKMARK', opts.bookmark(lastRV, { 'k8s.io/initial-events-end': 'true' }));
    }
  }

  let unsubscribe: () => void;
  try {
    unsubscribe = source.subscribe(start, (e) => {
      lastRV = String(e.resourceVersion);
      deliver(e.type, e.object);
    });
  } catch (err) {
    if (err instanceof StoreError && err.reason === 'Gone') {
      const status = new ApiError(410, 'Expired', err.message).toStatus();
      send('ERROR', status);
      return;
    }
    throw err;
  }
  // Headers go out now even when nothing matched yet, so clients see the watch is open.
  sink.write('');

  const cancels: (() => void)[] = [unsubscribe];
  try {
    await new Promise<void>((resolve) => {
      if (sink.signal.aborted) return resolve();
      sink.signal.addEventListener('abort', () => resolve(), { once: true });
      if (opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0) {
        cancels.push(opts.clock.setTimer(opts.timeoutSeconds * 1000, resolve));
      }
      if (opts.allowBookmarks && opts.bookmarkIntervalMs > 0) {
        const arm = (): void => {
          cancels.push(
            opts.clock.setTimer(opts.bookmarkIntervalMs, () => {
              send('BOOKMARK', opts.bookmark(lastRV));
              arm();
            }),
          );
        };
        arm();
      }
    });
  } finally {
    for (const c of cancels) c();
  }
}
