import { describe, expect, it } from 'vitest';
import { countYamlDocuments } from './yaml-prescan.js';

describe('countYamlDocuments', () => {
  it('counts each --- line, and content before the first one', () => {
    expect(countYamlDocuments('', 10)).toBe(0);
    expect(countYamlDocuments('# c\n\n', 10)).toBe(0);
    expect(countYamlDocuments('a: 1\n', 10)).toBe(1);
    expect(countYamlDocuments('---\na: 1\n', 10)).toBe(1);
    expect(countYamlDocuments('--- {a: 1}\n', 10)).toBe(1);
    expect(countYamlDocuments('a: 1\n---\nb: 1\n---\n', 10)).toBe(3);
    expect(countYamlDocuments('a: 1\n...\nb: 1\n', 10)).toBe(2);
    expect(countYamlDocuments('a: 1\r\n---\r\nb: 1\r\n', 10)).toBe(2);
  });

  it('does not count --- that is not a marker', () => {
    expect(countYamlDocuments('a: |\n  ---\n', 10)).toBe(1);
    expect(countYamlDocuments('a: ---x\n----\n', 10)).toBe(1);
  });

  it('stops as soon as the limit is passed', () => {
    expect(countYamlDocuments('---\n'.repeat(100_000), 5)).toBe(6);
  });
});
