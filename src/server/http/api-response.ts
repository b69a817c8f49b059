/** Where a streaming handler writes (watch events, followed logs). */
export interface StreamSink {
  write(chunk: string | Buffer): void;
  /** Aborts when the client disconnects or the server shuts down. */
  readonly signal: AbortSignal;
}

export interface BufferedResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/**
 * A streamed body. The status line is sent with the first write, so a stream
 * that throws before writing anything still becomes a Status error response.
 */
export interface StreamingResponse {
  status: number;
  headers: Record<string, string>;
  stream(sink: StreamSink): Promise<void>;
}

export type ApiResponse = BufferedResponse | StreamingResponse;

export function isStreaming(r: ApiResponse): r is StreamingResponse {
  return 'stream' in r;
}

export function jsonResponse(status: number, body: unknown, contentType = 'application/json'): BufferedResponse {
  return { status, headers: { 'content-type': contentType }, body: JSON.stringify(body) };
}

export function textResponse(status: number, body: string): BufferedResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}
