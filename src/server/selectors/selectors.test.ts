import { describe, expect, it } from 'vitest';
import { matchesFields, parseFieldSelector } from './field-selector.js';
import { matchesLabels, parseLabelSelector } from './label-selector.js';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', n: '5' };
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app in (db, web)', true],
    ['app notin (web)', false],
    ['missing notin (x)', true],
    ['tier', true],
    ['!tier', false],
    ['app=web,tier=back', false],
    ['n>4', true],
    ['n<5', false],
    ['', true],
  ])('%s → %s', (sel, want) => {
    expect(matchesLabels(parseLabelSelector(sel), labels)).toBe(want);
  });

  it('rejects malformed selectors as BadRequest', () => {
    expect(() => parseLabelSelector('a=b,')).toThrow(/unable to parse requirement/);
    expect(() => parseLabelSelector('-bad=x')).toThrow(/invalid label key/);
  });
});

describe('field selectors', () => {
  it('matches =, == and != and unescapes commas', () => {
    const sel = parseFieldSelector('metadata.name=a\\,b,status.phase!=Failed', ['metadata.name', 'status.phase']);
    const fields: Record<string, string> = { 'metadata.name': 'a,b', 'status.phase': 'Running' };
    expect(matchesFields(sel, (f) => fields[f]!)).toBe(true);
    expect(matchesFields(parseFieldSelector('metadata.name==x', ['metadata.name']), (f) => fields[f]!)).toBe(false);
  });

  it('names an unsupported field as the API server does', () => {
    expect(() => parseFieldSelector('spec.foo=1', ['metadata.name'])).toThrow('field label not supported: spec.foo');
  });
});
