// The fast composer must never disagree with the yaml library: wherever it composes a document, the tree (values,
// styles, ranges) is the library's; everything else it leaves to the library (returns undefined).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { splitDocuments } from '../../src/stream/split-documents.js';
import { composeBlockSubset } from '../../src/yaml/compose-block-subset.js';
import { repoRoot } from '../../scripts/extract-tools.mjs';
import { treeDiff } from '../support/yaml-tree-diff.js';

const upstream = join(repoRoot, '..', 'shared', 'fixtures', 'eck-upstream');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'templates' ? [] : yamlFiles(path);
    return path.endsWith('.yaml') ? [path] : [];
  });
}

function documents(paths: string[]): string[] {
  return paths.flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    return splitDocuments(text).map((s) => text.slice(s.start, s.end));
  });
}

/** Composes with both; returns whether the fast composer took the document. Fails on any disagreement. */
function agree(text: string): boolean {
  const fast = composeBlockSubset(text);
  if (!fast) return false;
  const lib = parseDocument(text, { merge: true, uniqueKeys: true });
  expect(
    lib.errors.map((e) => e.message),
    `the fast composer read a document the library rejects:\n${text}`,
  ).toEqual([]);
  const difference = treeDiff(fast, lib.contents);
  expect(difference, `fast composer and yaml library disagree on:\n${text}`).toBeUndefined();
  return true;
}

const HELM_LIKE = `---
# Source: chart/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "quoted-name"
  labels: {}
  annotations:
    checksum/config: 1f13fd # a comment
    'single': 'it''s'
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: app
          image: "docker.elastic.co/elasticsearch/elasticsearch:8.16.1"
          args: ["--a", "--b=c"]
          env:
          - name: X
            value: "a\\tb"

          - name: Y
            value: ''
          # a trailing comment
          - name: Z
            value:
      volumes: []
  empty:
  script: |
    echo one
    echo two

  folded: >-
    one
    two
  on-next-line:
    [a, b]
  numbers: [0x1F, 1e3, .5, -1, ~, true]
  last: 0o17
`;

describe('composeBlockSubset', () => {
  it('reads Helm-style block YAML exactly as the yaml library does', () => {
    expect(agree(HELM_LIKE)).toBe(true);
    expect(agree(HELM_LIKE.replace(/\n/g, '\r\n'))).toBe(true);
    expect(agree(HELM_LIKE.trimEnd())).toBe(true);
  });

  it.each([
    ['an anchor', 'a: &x 1\nb: *x\n'],
    ['a merge key', 'a:\n  <<: {b: 1}\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a tab', 'a:\n\tb: 1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a JSON document', '{"a": 1}\n'],
    ['a root sequence', '- a\n- b\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['keep chomping', 'a: |+\n  x\n\nb: 1\n'],
    ['an indentation indicator', 'a: |2\n   x\n'],
    ['a nested compact sequence', 'a:\n- - x\n'],
    ['a YAML-only escape', 'a: "\\x41"\n'],
    ['an empty document', '# only a comment\n'],
    ['an empty value followed by a comment', 'a:\n  b:\n  # c\nd: 1\n'],
    ['a block scalar followed by a line of more spaces than its indentation', 'a: |\n  x\n     '],
  ])('leaves %s to the yaml library', (_what, text) => {
    expect(composeBlockSubset(text)).toBeUndefined();
  });

  it("agrees with the library on every document of the project's charts-test cases", () => {
    const docs = documents(yamlFiles(join(repoRoot, 'charts-test')));
    const taken = docs.filter(agree).length;
    expect(taken).toBeGreaterThan(10);
  });

  it.skipIf(!existsSync(upstream))(
    `agrees with the library on every upstream fixture document${existsSync(upstream) ? '' : ' — SKIPPED: ../shared/fixtures/eck-upstream not present'}`,
    () => {
      const docs = documents(yamlFiles(upstream));
      const taken = docs.filter(agree).length;
      // Helm's block output is the common case: most documents take the fast path.
      expect(taken / docs.length).toBeGreaterThan(0.8);
    },
  );

  it('agrees with the library on mutated documents (property)', () => {
    const base = HELM_LIKE.split('\n');
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('delete' as const), at: fc.nat(base.length - 1) }),
      fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(base.length - 1) }),
      fc.record({
        op: fc.constant('indent' as const),
        at: fc.nat(base.length - 1),
        by: fc.integer({ min: -3, max: 3 }),
      }),
      fc.record({
        op: fc.constant('insert' as const),
        at: fc.nat(base.length - 1),
        text: fc.constantFrom('#', '- ', ': ', '"', "'", '[', '{', '|', '>', ' ', 'x: y', '- z', '  '),
      }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const lines = [...base];
        for (const m of mutations) {
          const at = Math.min(m.at, lines.length - 1);
          const line = lines[at] ?? '';
          if (m.op === 'delete') lines.splice(at, 1);
          else if (m.op === 'duplicate') lines.splice(at, 0, line);
          else if (m.op === 'indent')
            lines[at] = m.by >= 0 ? ' '.repeat(m.by) + line : line.replace(new RegExp(`^ {0,${-m.by}}`), '');
          else lines[at] = line.slice(0, line.length >> 1) + m.text + line.slice(line.length >> 1);
        }
        const text = lines.join('\n');
        const fast = composeBlockSubset(text);
        if (!fast) return true;
        const lib = parseDocument(text, { merge: true, uniqueKeys: true });
        return lib.errors.length === 0 && treeDiff(fast, lib.contents) === undefined;
      }),
      { seed: 20261129, numRuns: 3000 },
    );
  });
});
