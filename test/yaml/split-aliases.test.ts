import { describe, expect, it } from 'vitest';
import { parseDocument, type Scalar } from 'yaml';
import { splitAliasedEdits } from '../../src/yaml/split-aliases.js';
import { applyEdits } from '../../src/yaml/text-edit.js';

function scalarAt(text: string, value: string): Scalar {
  const doc = parseDocument(text);
  let found: Scalar | undefined;
  const visit = (n: any): void => {
    if (!n || typeof n !== 'object') return;
    if (n.value === value && n.range && !found) found = n;
    for (const item of n.items ?? []) visit(item);
    if ('key' in n) {
      visit(n.key);
      visit(n.value);
    }
  };
  visit(doc.contents);
  return found!;
}

describe('splitAliasedEdits', () => {
  it('leaves edits alone when nothing is aliased', () => {
    const text = 'image: a.io/x\n';
    const edits = [{ start: 7, end: 13, text: 'm.io/x' }];
    expect(splitAliasedEdits(text, parseDocument(text), edits, [])).toEqual(edits);
  });

  it('an anchored image: non-image aliases get a copy of the old value, image aliases keep sharing', () => {
    const text = 'image: &i a.io/x\nother: {image: *i}\nenv: *i\n';
    const doc = parseDocument(text);
    const node = scalarAt(text, 'a.io/x');
    const out = applyEdits(
      text,
      splitAliasedEdits(text, doc, [{ start: node.range![0], end: node.range![1], text: 'm.io/x' }], []),
    );
    expect(out).toBe('image: &i m.io/x\nother: {image: *i}\nenv: a.io/x\n');
  });

  it('an image that aliases another value: the new image is written at the alias, the anchor keeps its value', () => {
    const text = 'label: &i a.io/x\nimage: *i\n';
    const doc = parseDocument(text);
    const node = scalarAt(text, 'a.io/x');
    const out = applyEdits(
      text,
      splitAliasedEdits(text, doc, [{ start: node.range![0], end: node.range![1], text: 'm.io/x' }], []),
    );
    expect(out).toBe('label: &i a.io/x\nimage: m.io/x\n');
  });

  it('an insertion into a list that imagePullSecrets aliases goes into a copy', () => {
    const text = 'list: &s [{name: a}]\nimagePullSecrets: *s\n';
    const doc = parseDocument(text);
    const at = text.indexOf(']');
    const out = applyEdits(text, splitAliasedEdits(text, doc, [{ start: at, end: at, text: ', {name: b}' }], ['b']));
    expect(out).toBe('list: &s [{name: a}]\nimagePullSecrets: [{"name":"a"},{"name":"b"}]\n');
  });
});
