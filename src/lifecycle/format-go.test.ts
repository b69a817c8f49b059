import { describe, expect, it } from 'vitest';
import { formatPod, goQuote, goStringSlice } from './format-go.js';

describe('goQuote (Go %q, strconv.Quote)', () => {
  it.each([
    ['', '""'],
    ['plain text', '"plain text"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['C:\\dir', '"C:\\\\dir"'],
    ['a\nb\tc\rd', '"a\\nb\\tc\\rd"'],
    ['\x07\x08\x0c\x0b', '"\\a\\b\\f\\v"'],
    ['\x00\x1b\x7f', '"\\x00\\x1b\\x7f"'],
    ['héllo 世界', '"héllo 世界"'],
    ['\u00a0', '"\\u00a0"'],
    ['soft\u00adhyphen', '"soft\\u00adhyphen"'],
    ['zero\u200bwidth', '"zero\\u200bwidth"'],
    ['\u2028', '"\\u2028"'],
    ['\u0085', '"\\u0085"'],
    ['😀', '"😀"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['\ufffd', '"\ufffd"'],
    ['\ud800', '"\\ufffd"'],
  ])('R1.4: %j quotes as %s', (input, expected) => {
    expect(goQuote(input)).toBe(expected);
  });
});

describe('goStringSlice (Go %v of []string)', () => {
  it('R1.4: prints the command as [a b c]', () => {
    expect(goStringSlice(['sh', '-c', 'exit 1'])).toBe('[sh -c exit 1]');
  });

  it('R1.4: nil and empty slices print []', () => {
    expect(goStringSlice(undefined)).toBe('[]');
    expect(goStringSlice([])).toBe('[]');
  });
});

describe('formatPod', () => {
  it('prints <name>_<namespace>(<uid>)', () => {
    expect(formatPod('web', 'default', 'u-1')).toBe('web_default(u-1)');
  });
});
