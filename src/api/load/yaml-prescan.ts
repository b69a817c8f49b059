/**
 * Counts the documents of a YAML stream without parsing it, so that a file of
 * endless `---` documents is refused at once rather than after parsing a
 * thousand of them. A `---` at column 0 always starts a document: YAML
 * forbids that line inside any scalar or collection.
 */
export function countYamlDocuments(text: string, stopAbove: number): number {
  let documents = 0;
  let inDocument = false;
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const first = text[pos];
    const line = first === '-' || first === '.' ? text.slice(pos, Math.min(end, pos + 4)) : '';
    const blank = isBlankOrComment(text, pos, end);
    pos = end + 1;
    if (/^(?:---|\.\.\.)(?:\s|$)/.test(line)) {
      inDocument = line.startsWith('---');
      if (inDocument) documents++;
    } else if (!inDocument && !blank) {
      inDocument = true;
      documents++;
    }
    if (documents > stopAbove) return documents;
  }
  return documents;
}

function isBlankOrComment(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r') continue;
    return c === '#';
  }
  return true;
}
