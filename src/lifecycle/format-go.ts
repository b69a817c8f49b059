/**
 * Go `fmt` renderings that kubelet messages are built from. Users compare
 * hooklet's messages with a real cluster's, so these follow Go's strconv and
 * fmt byte for byte where the input allows it.
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space only. */
function isGoPrint(cp: number): boolean {
  if (cp <= 0xff) {
    if (cp >= 0x20 && cp <= 0x7e) return true;
    return cp >= 0xa1 && cp !== 0xad;
  }
  return PRINTABLE.test(String.fromCodePoint(cp));
}

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/**
 * Go `%q` of a string (strconv.Quote). A lone UTF-16 surrogate has no UTF-8
 * form; it is escaped as `\ufffd`, which is what Go prints for an invalid rune.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x22 || cp === 0x5c) {
      out += '\\' + ch;
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\\ufffd';
      continue;
    }
    if (isGoPrint(cp)) {
      out += String.fromCodePoint(cp);
      continue;
    }
    switch (cp) {
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x0b: out += '\\v'; break;
      default:
        if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
        else if (cp < 0x10000) out += '\\u' + hex(cp, 4);
        else out += '\\U' + hex(cp, 8);
    }
  }
  return out + '"';
}

/** Go `%v` of a `[]string`: `[a b c]`; nil and empty both print `[]`. */
export function goStringSlice(items: readonly string[] | undefined | null): string {
  return `[${(items ?? []).join(' ')}]`;
}

/** kubelet `format.Pod`: `<name>_<namespace>(<uid>)`. */
export function formatPod(name: string, namespace: string, uid: string): string {
  return `${name}_${namespace}(${uid})`;
}
