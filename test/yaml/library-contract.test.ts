// What src/yaml/compose-block-subset.ts (the fast composer) assumes of the `yaml` library's nodes, checked on the
// library itself, so that a new `yaml` release that changes them fails here, by name, before any render test does:
// `yaml` is pinned to an exact version in package.json for that reason (yaml 3 is a prerelease with breaking changes).
// If this fails after an upgrade: read the library's changelog for node ranges, scalar types and flow collections,
// fix the composer, then this test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Document, isMap, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { repoRoot } from '../../scripts/extract-tools.mjs';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const installed = (
  JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'yaml', 'package.json'), 'utf8')) as { version: string }
).version;

describe('the yaml library as the fast composer uses it', () => {
  it('is pinned to one exact 2.x version, and that version is installed', () => {
    expect(
      pkg.dependencies['yaml'],
      'package.json must pin yaml exactly (no ^ or ~): the composer mirrors its internals',
    ).toMatch(/^2\.\d+\.\d+$/);
    expect(installed).toBe(pkg.dependencies['yaml']);
  });

  it('gives every node a range [start, value end, node end] as offsets into the source', () => {
    const text = 'a: 1   # c\nb:\n  - x\n  - "y"\nc: {k: v}\n';
    const doc = parseDocument(text);
    const map = doc.contents as YAMLMap<Scalar, Node>;
    expect(map).toBeInstanceOf(YAMLMap);
    expect(map.items[0]).toBeInstanceOf(Pair);
    const [a, b, c] = map.items;
    expect(a!.key.range).toEqual([0, 1, 1]);
    const one = a!.value as Scalar;
    expect(one.range).toHaveLength(3);
    expect(text.slice(one.range![0], one.range![1])).toBe('1');
    // the node end of a plain scalar runs past the trailing spaces and comment to the line's end
    expect(one.range![2]).toBeGreaterThanOrEqual(one.range![1]);
    const seq = b!.value as YAMLSeq<Scalar>;
    expect(isSeq(seq)).toBe(true);
    expect(seq.flow ?? false).toBe(false);
    expect(text.slice(seq.range![0], seq.range![1])).toBe('- x\n  - "y"\n');
    const flow = c!.value as YAMLMap;
    expect(isMap(flow) && flow.flow).toBe(true);
    expect(text.slice(flow.range![0], flow.range![1])).toBe('{k: v}');
  });

  it('names scalar styles PLAIN, QUOTE_SINGLE, QUOTE_DOUBLE, BLOCK_LITERAL, BLOCK_FOLDED', () => {
    const doc = parseDocument('p: plain\ns: \'single\'\nd: "double"\nl: |\n  lit\nf: >\n  fold\n');
    const types = (doc.contents as YAMLMap<Scalar, Scalar>).items.map((pair) => pair.value!.type);
    expect(types).toEqual(['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED']);
  });

  it('lets nodes be built by hand as the composer builds them (Scalar with type and range, Pair, YAMLMap.items)', () => {
    const scalar = new Scalar('v');
    scalar.type = 'PLAIN';
    scalar.range = [3, 4, 5];
    const map = new YAMLMap();
    map.items.push(new Pair(new Scalar('k'), scalar));
    expect(isScalar(map.items[0]!.value)).toBe(true);
    const doc = new Document();
    doc.contents = map;
    expect(doc.toString()).toBe('k: v\n');
    const seq = new YAMLSeq();
    seq.flow = true;
    seq.items.push(new Scalar(1));
    doc.contents = seq;
    expect(doc.toString()).toBe('[ 1 ]\n');
  });
});
