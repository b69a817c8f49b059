/**
 * The few bytes of gRPC the health check needs, so no protobuf or gRPC
 * library is required: length-prefixed message framing, the
 * grpc.health.v1 HealthCheckRequest (`string service = 1`) and
 * HealthCheckResponse (`ServingStatus status = 1`), status code names and
 * grpc-go's mapping of HTTP statuses to codes.
 */

/** grpc.health.v1.HealthCheckResponse.ServingStatus names. */
const SERVING_STATUS_NAMES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];
export const SERVING = 1;

/** Go's String() of the enum: the name, or the number when unknown. */
export function servingStatusName(status: number): string {
  return SERVING_STATUS_NAMES[status] ?? String(status);
}

/** codes.Code String(). */
const CODE_NAMES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists',
  'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange',
  'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated',
];

export const Code = { OK: 0, Unknown: 2, DeadlineExceeded: 4, Unimplemented: 12, Internal: 13, Unavailable: 14 } as const;

export function codeName(code: number): string {
  return CODE_NAMES[code] ?? `Code(${code})`;
}

/** grpc-go transport HTTPStatusConvTab; other statuses map to Unknown. */
export function codeForHttpStatus(status: number): number {
  switch (status) {
    case 400: return Code.Internal;
    case 401: return 16;
    case 403: return 7;
    case 404: return Code.Unimplemented;
    case 429: case 502: case 503: case 504: return Code.Unavailable;
    default: return Code.Unknown;
  }
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** A HealthCheckRequest in a gRPC frame (uncompressed). proto3 leaves an empty service out. */
export function encodeCheckRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  const message = name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a]), varint(name.length), name]);
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

export type Decoded = { ok: true; status: number } | { ok: false; error: string };

function readVarint(buf: Buffer, at: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return { value, next: i + 1 };
  }
  return undefined;
}

/** The status field of the first message in `data` (gRPC frames back to back). */
export function decodeCheckResponse(data: Buffer): Decoded {
  if (data.length < 5) return { ok: false, error: 'cardinality violation: received no response message from non-streaming RPC' };
  if (data[0] !== 0) return { ok: false, error: 'grpc: compressed flag set with identity or empty encoding' };
  const length = data.readUInt32BE(1);
  if (data.length < 5 + length) return { ok: false, error: 'unexpected EOF' };
  const message = data.subarray(5, 5 + length);
  let status = 0;
  let at = 0;
  while (at < message.length) {
    const key = readVarint(message, at);
    if (!key) return { ok: false, error: 'grpc: failed to unmarshal the received message: unexpected EOF' };
    const field = Math.floor(key.value / 8);
    const wire = key.value & 7;
    at = key.next;
    if (wire === 0) {
      const v = readVarint(message, at);
      if (!v) return { ok: false, error: 'grpc: failed to unmarshal the received message: unexpected EOF' };
      if (field === 1) status = v.value;
      at = v.next;
    } else if (wire === 2) {
      const len = readVarint(message, at);
      if (!len) return { ok: false, error: 'grpc: failed to unmarshal the received message: unexpected EOF' };
      at = len.next + len.value;
    } else if (wire === 1) {
      at += 8;
    } else if (wire === 5) {
      at += 4;
    } else {
      return { ok: false, error: 'grpc: failed to unmarshal the received message: cannot parse invalid wire-format data' };
    }
  }
  return { ok: true, status };
}

/** grpc-message is percent-encoded on the wire. */
export function decodeGrpcMessage(raw: string | undefined): string {
  if (!raw) return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
