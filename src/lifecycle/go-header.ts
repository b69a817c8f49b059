/**
 * Go's http.Header: a map from canonical key to values, with Add/Get/Del as
 * request.go uses them, and the wire order of Request.write.
 */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** textproto.CanonicalMIMEHeaderKey: `x-foo-bar` → `X-Foo-Bar`; keys with non-token bytes are left alone. */
export function canonicalHeaderKey(key: string): string {
  if (!TOKEN.test(key)) return key;
  let upper = true;
  let out = '';
  for (const ch of key) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

/** httpguts.ValidHeaderFieldName. */
export function validHeaderFieldName(key: string): boolean {
  return TOKEN.test(key);
}

/** httpguts.ValidHeaderFieldValue: no control bytes except horizontal tab. */
export function validHeaderFieldValue(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\x00-\x08\x0a-\x1f\x7f]/.test(value);
}

/** Headers Request.write never copies from the map (it writes its own or none). */
const WRITE_EXCLUDED = new Set(['Host', 'User-Agent', 'Content-Length', 'Transfer-Encoding', 'Trailer']);

/** textproto.TrimString: strips ASCII spaces and tabs. */
function trimSpaceTab(v: string): string {
  return v.replace(/^[ \t]+|[ \t]+$/g, '');
}

export class GoHeader {
  private readonly values = new Map<string, string[]>();

  /** Header.Add. */
  add(key: string, value: string): void {
    const k = canonicalHeaderKey(key);
    const list = this.values.get(k);
    if (list) list.push(value);
    else this.values.set(k, [value]);
  }

  /** Header.Set. */
  set(key: string, value: string): void {
    this.values.set(canonicalHeaderKey(key), [value]);
  }

  /** Header.Get: the first value, or "". */
  get(key: string): string {
    return this.values.get(canonicalHeaderKey(key))?.[0] ?? '';
  }

  /** `_, ok := h[key]` with an already canonical key. */
  has(key: string): boolean {
    return this.values.has(key);
  }

  /** Header.Del. */
  del(key: string): void {
    this.values.delete(canonicalHeaderKey(key));
  }

  clone(): GoHeader {
    const c = new GoHeader();
    for (const [k, v] of this.values) c.values.set(k, [...v]);
    return c;
  }

  keys(): string[] {
    return [...this.values.keys()];
  }

  entries(): Array<[string, string[]]> {
    return [...this.values].map(([k, v]) => [k, [...v]]);
  }

  /**
   * The header lines Request.write emits after `Host`: User-Agent (first
   * value only, omitted when empty), then the other keys sorted bytewise,
   * each value trimmed. Host, Content-Length, Transfer-Encoding and Trailer
   * from the map are never written.
   */
  wireLines(): Array<[string, string[]]> {
    const lines: Array<[string, string[]]> = [];
    if (this.values.has('User-Agent')) {
      const ua = trimSpaceTab(this.get('User-Agent').replace(/[\r\n]/g, ' '));
      if (ua !== '') lines.push(['User-Agent', [ua]]);
    }
    const keys = [...this.values.keys()].filter((k) => !WRITE_EXCLUDED.has(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const k of keys) lines.push([k, this.values.get(k)!.map((v) => trimSpaceTab(v.replace(/[\r\n]/g, ' ')))]);
    return lines;
  }
}
