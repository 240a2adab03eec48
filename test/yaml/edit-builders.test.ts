import { describe, it, expect } from 'vitest';
import {
  isMap,
  isScalar,
  isSeq,
  parse,
  parseDocument,
  type Document,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { addPair, appendItems, fillEmpty, replaceScalar } from '../../src/yaml/edit-builders.js';
import { applyEdits, type TextEdit } from '../../src/yaml/text-edit.js';

function docOf(text: string): Document {
  const doc = parseDocument(text);
  expect(doc.errors).toEqual([]);
  return doc;
}

function node<T>(doc: Document, path: (string | number)[]): T {
  return doc.getIn(path, true) as T;
}

function apply(text: string, edit: TextEdit): string {
  const out = applyEdits(text, [edit]);
  expect(parseDocument(out).errors, out).toEqual([]);
  return out;
}

const secrets = [{ name: 'regcred' }];

describe('replaceScalar', () => {
  const text = 'a: plain\nb: \'single\'\nc: "double"\nd: |\n  block\ne: x # comment\n';
  const doc = docOf(text);
  const set = (key: string, value: string): string => apply(text, replaceScalar(text, node<Scalar>(doc, [key]), value));

  it('keeps plain, single- and double-quoted styles', () => {
    expect(set('a', 'my.registry/x:1')).toBe(text.replace('a: plain', 'a: my.registry/x:1'));
    expect(set('b', "it's")).toBe(text.replace("b: 'single'", "b: 'it''s'"));
    expect(set('c', 'my.registry/x:1')).toBe(text.replace('c: "double"', 'c: "my.registry/x:1"'));
  });

  it('keeps a trailing comment and writes a block scalar as a double-quoted line', () => {
    expect(set('e', 'z')).toBe(text.replace('e: x # comment', 'e: z # comment'));
    const out = set('d', 'new');
    expect(parse(out).d).toBe('new');
    expect(out).toContain('d: "new"\ne: x');
  });

  it('quotes a plain value that would not read back as a string', () => {
    expect(parse(set('a', 'true')).a).toBe('true');
    expect(parse(set('a', '8.10')).a).toBe('8.10');
    expect(set('a', '--container-registry=my.registry')).toContain('a: --container-registry=my.registry\n');
  });
});

describe('addPair', () => {
  it('adds to a block mapping at its indentation, after a given pair', () => {
    const text = 'spec:\n  version: 8.16.1\n  count: 1\n';
    const doc = docOf(text);
    const spec = node<YAMLMap>(doc, ['spec']);
    const version = spec.items[0] as Pair;
    expect(apply(text, addPair(text, spec, 'image', 'r.io/k:1', version))).toBe(
      'spec:\n  version: 8.16.1\n  image: r.io/k:1\n  count: 1\n',
    );
    expect(apply(text, addPair(text, spec, 'image', 'r.io/k:1'))).toBe(`${text}  image: r.io/k:1\n`);
  });

  it('writes nested mappings and lists in block style, lists at the key indentation', () => {
    const text = 'podTemplate:\n  metadata:\n    labels: {}\n';
    const doc = docOf(text);
    const out = apply(text, addPair(text, node<YAMLMap>(doc, ['podTemplate']), 'spec', { imagePullSecrets: secrets }));
    expect(out).toBe(`${text}  spec:\n    imagePullSecrets:\n    - name: regcred\n`);
  });

  it("keeps a block scalar whole: a last line of only spaces is the scalar's, the new key goes after it", () => {
    for (const text of ['spec:\n  config: |\n    a\n       ', 'spec:\n  config: |\n    a\n       \nnext: 1\n']) {
      const doc = docOf(text);
      const before = (parse(text) as { spec: { config: string } }).spec.config;
      const out = apply(text, addPair(text, node<YAMLMap>(doc, ['spec']), 'image', 'r.io/k:1'));
      expect((parse(out) as { spec: { config: string; image: string } }).spec).toEqual({
        config: before,
        image: 'r.io/k:1',
      });
    }
  });

  it('keeps CRLF line breaks', () => {
    const text = 'spec:\r\n  version: 8.16.1\r\n';
    const doc = docOf(text);
    const out = apply(text, addPair(text, node<YAMLMap>(doc, ['spec']), 'image', 'r.io/k:1'));
    expect(out).toBe('spec:\r\n  version: 8.16.1\r\n  image: r.io/k:1\r\n');
  });

  it('adds a line when the text has no trailing newline', () => {
    const text = 'spec:\n  version: 8.16.1';
    const doc = docOf(text);
    expect(apply(text, addPair(text, node<YAMLMap>(doc, ['spec']), 'image', 'r.io/k:1'))).toBe(
      'spec:\n  version: 8.16.1\n  image: r.io/k:1',
    );
  });

  it('inserts before the next line when the mapping is followed by comments and a less indented key', () => {
    const text = 'a:\n  spec:\n    containers:\n    - name: x\n      # trailing comment\n  count: 3\n';
    const doc = docOf(text);
    const out = apply(text, addPair(text, node<YAMLMap>(doc, ['a', 'spec']), 'imagePullSecrets', secrets));
    expect(parse(out)).toEqual({ a: { spec: { containers: [{ name: 'x' }], imagePullSecrets: secrets }, count: 3 } });
  });

  it('adds an entry to a flow mapping, and JSON style to a JSON mapping', () => {
    const text = 'spec: {version: 8.16.1, count: 1}\n';
    const out = apply(text, addPair(text, node<YAMLMap>(docOf(text), ['spec']), 'image', 'r.io/k:1'));
    expect(out).toBe('spec: {version: 8.16.1, count: 1, image: r.io/k:1}\n');
    const json = '{"spec": {"version": "8.16.1"}}';
    const outJson = apply(json, addPair(json, node<YAMLMap>(docOf(json), ['spec']), 'image', 'r.io/k:1'));
    expect(JSON.parse(outJson)).toEqual({ spec: { version: '8.16.1', image: 'r.io/k:1' } });
  });

  it('fills an empty flow mapping {} (JSON style in a JSON document)', () => {
    const text = 'podTemplate: {}\n';
    const out = apply(
      text,
      addPair(text, node<YAMLMap>(docOf(text), ['podTemplate']), 'spec', { imagePullSecrets: secrets }),
    );
    expect(parse(out)).toEqual({ podTemplate: { spec: { imagePullSecrets: secrets } } });
    const json = '{"podTemplate": {}}';
    const outJson = apply(
      json,
      addPair(json, node<YAMLMap>(docOf(json), ['podTemplate']), 'spec', { imagePullSecrets: secrets }),
    );
    expect(JSON.parse(outJson)).toEqual({ podTemplate: { spec: { imagePullSecrets: secrets } } });
  });
});

describe('appendItems', () => {
  it('appends to a block sequence at its indentation', () => {
    const text = 'imagePullSecrets:\n- name: a\nnext: 1\n';
    const seq = node<YAMLSeq>(docOf(text), ['imagePullSecrets']);
    expect(apply(text, appendItems(text, seq, secrets))).toBe(
      'imagePullSecrets:\n- name: a\n- name: regcred\nnext: 1\n',
    );
    const indented = 'x:\n  list:\n    - name: a\n';
    const seq2 = node<YAMLSeq>(docOf(indented), ['x', 'list']);
    expect(apply(indented, appendItems(indented, seq2, secrets))).toBe(`${indented}    - name: regcred\n`);
  });

  it('appends to flow sequences, empty or not, YAML or JSON style', () => {
    const text = 'a: [{name: x}]\nb: []\n';
    const doc = docOf(text);
    expect(apply(text, appendItems(text, node<YAMLSeq>(doc, ['a']), secrets))).toBe(
      'a: [{name: x}, {name: regcred}]\nb: []\n',
    );
    expect(apply(text, appendItems(text, node<YAMLSeq>(doc, ['b']), secrets))).toBe(
      'a: [{name: x}]\nb: [{name: regcred}]\n',
    );
    const json = '{"a": [{"name": "x"}], "b": []}';
    const jdoc = docOf(json);
    expect(JSON.parse(apply(json, appendItems(json, node<YAMLSeq>(jdoc, ['a']), secrets)))).toEqual({
      a: [{ name: 'x' }, ...secrets],
      b: [],
    });
    expect(JSON.parse(apply(json, appendItems(json, node<YAMLSeq>(jdoc, ['b']), secrets)))).toEqual({
      a: [{ name: 'x' }],
      b: secrets,
    });
  });

  it('appends to a block sequence without a trailing newline and with CRLF', () => {
    const text = 'l:\r\n- name: a';
    expect(apply(text, appendItems(text, node<YAMLSeq>(docOf(text), ['l']), secrets))).toBe(
      'l:\r\n- name: a\r\n- name: regcred',
    );
  });
});

describe('fillEmpty', () => {
  const cases: [string, string][] = [
    ['spec:\nnext: 1\n', 'spec: {imagePullSecrets: [{name: regcred}]}\nnext: 1\n'],
    ['spec: ~\n', 'spec: {imagePullSecrets: [{name: regcred}]}\n'],
    ['spec: null # c\n', 'spec: {imagePullSecrets: [{name: regcred}]} # c\n'],
  ];
  for (const [text, expected] of cases) {
    it(`fills ${JSON.stringify(text)}`, () => {
      const doc = docOf(text);
      const map = doc.contents as YAMLMap;
      const pair = map.items[0] as Pair;
      const value = isScalar(pair.value) ? pair.value : null;
      expect(apply(text, fillEmpty(text, value, pair, { imagePullSecrets: secrets }))).toBe(expected);
    });
  }

  it('fills a JSON null in JSON style', () => {
    const json = '{"spec": null}';
    const doc = docOf(json);
    const pair = (doc.contents as YAMLMap).items[0] as Pair;
    const out = apply(json, fillEmpty(json, pair.value as Scalar, pair, { imagePullSecrets: secrets }));
    expect(JSON.parse(out)).toEqual({ spec: { imagePullSecrets: secrets } });
  });

  it('leaves the document shape readable (sanity)', () => {
    expect(isMap(parseDocument('a: {}').contents)).toBe(true);
    expect(isSeq(parseDocument('- a').contents)).toBe(true);
  });
});
