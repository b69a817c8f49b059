import { badRequest } from '../http/api-error.js';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export type FieldSelector = FieldRequirement[];

/**
 * Parses `fieldSelector` (`a=b`, `a==b`, `a!=b`, comma-separated; `\,` escapes
 * a comma in a value) and rejects fields the resource does not index, with
 * the API server's `field label not supported` message.
 */
export function parseFieldSelector(text: string | null | undefined, supported: readonly string[]): FieldSelector {
  const src = (text ?? '').trim();
  if (src === '') return [];
  const out: FieldSelector = [];
  for (const part of splitUnescaped(src)) {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part.trim());
    if (!m) throw badRequest(`invalid selector: '${src}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    if (!supported.includes(field)) throw badRequest(`field label not supported: ${field}`);
    out.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3]!.replace(/\\(.)/g, '$1') });
  }
  return out;
}

function splitUnescaped(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === ',') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

export function matchesFields(selector: FieldSelector, fields: (field: string) => string): boolean {
  return selector.every((r) => (r.op === '=' ? fields(r.field) === r.value : fields(r.field) !== r.value));
}

/** The single `metadata.name=X` a selector pins, if any (lets get/watch fast-path one object). */
export function pinnedName(selector: FieldSelector): string | undefined {
  return selector.find((r) => r.field === 'metadata.name' && r.op === '=')?.value;
}
