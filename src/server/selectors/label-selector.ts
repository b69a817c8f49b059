import { badRequest } from '../http/api-error.js';

export type LabelRequirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'gt' | 'lt'; value: number };

export type LabelSelector = LabelRequirement[];

/**
 * Parses the `labelSelector` query syntax of apimachinery's labels.Parse:
 * `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`, `a>1`, `a<1`,
 * comma-separated (commas inside parentheses belong to the set).
 */
export function parseLabelSelector(text: string | null | undefined): LabelSelector {
  const src = (text ?? '').trim();
  if (src === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(src.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(src.slice(start));
  return parts.map((p) => parseRequirement(p.trim(), src));
}

const keyPattern = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function checkKey(key: string, whole: string): string {
  if (!keyPattern.test(key)) {
    throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${whole}"`);
  }
  return key;
}

function parseRequirement(req: string, whole: string): LabelRequirement {
  if (req === '') throw badRequest(`unable to parse requirement: found '', expected: identifier in selector "${whole}"`);
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(req);
  if (setMatch) {
    const values = setMatch[3]!
      .split(',')
      .map((v) => v.trim())
      .filter((v, i, all) => v !== '' || all.length === 1);
    return { key: checkKey(setMatch[1]!, whole), op: setMatch[2] as 'in' | 'notin', values };
  }
  if (req.startsWith('!')) return { key: checkKey(req.slice(1).trim(), whole), op: 'notexists' };
  const opMatch = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(req);
  if (opMatch) {
    const key = checkKey(opMatch[1]!, whole);
    const op = opMatch[2]!;
    const value = opMatch[3]!.trim();
    if (op === '>' || op === '<') {
      const n = Number(value);
      if (!Number.isInteger(n)) throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer in selector "${whole}"`);
      return { key, op: op === '>' ? 'gt' : 'lt', value: n };
    }
    return { key, op: op === '!=' ? '!=' : '=', value };
  }
  return { key: checkKey(req, whole), op: 'exists' };
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case '=':
        return has && v === r.value;
      case '!=':
        return !has || v !== r.value;
      case 'in':
        return has && r.values.includes(v!);
      case 'notin':
        return !has || !r.values.includes(v!);
      case 'gt':
        return has && Number.isInteger(Number(v)) && Number(v) > r.value;
      case 'lt':
        return has && Number.isInteger(Number(v)) && Number(v) < r.value;
    }
  });
}
