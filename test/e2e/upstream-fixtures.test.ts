// Every upstream fixture (../shared/fixtures/eck-upstream: Helm 3 output, Helm 4 post-renderer stdin, ECK sample
// and recipe manifests) through the real CLI: exit 0, no docker.elastic.co image left in an image position,
// unchanged documents byte-identical, a second pass changes nothing, Helm 4 annotations kept.
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot, runCli } from '../support/cli.js';
import { splitDocuments } from '../../src/stream/split-documents.js';
import { ELASTIC_KINDS } from '../../src/eck/kinds.js';
import { WORKLOAD_POD_SPEC_PATHS, CONTAINER_LISTS } from '../../src/sites/workload-kinds.js';

const upstream = join(repoRoot, '..', 'shared', 'fixtures', 'eck-upstream');
const present = existsSync(upstream);

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith('.yaml') ? [path] : [];
  });
}

function fixtureFiles(): string[] {
  if (!present) return [];
  return readdirSync(upstream)
    .flatMap((tag) => ['helm3', 'helm4-stdin', 'manifests'].flatMap((kind) => yamlFiles(join(upstream, tag, kind))))
    .sort();
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;

function podSpecImages(podSpec: unknown, out: string[]): void {
  for (const list of CONTAINER_LISTS) {
    const containers = obj(podSpec)?.[list];
    if (Array.isArray(containers))
      for (const c of containers) if (typeof obj(c)?.image === 'string') out.push(obj(c)!.image as string);
  }
}

/** Images in image positions: containers of workloads and Elastic pod templates, and spec.image of Elastic resources. */
function imagesOf(resource: unknown, out: string[] = []): string[] {
  const r = obj(resource);
  if (!r) return out;
  const kind = String(r.kind ?? '');
  if (Array.isArray(r.items) && kind.endsWith('List')) for (const item of r.items) imagesOf(item, out);
  const group = String(r.apiVersion ?? '').split('/')[0];
  const elastic = ELASTIC_KINDS.find((k) => k.kind === kind && k.group === group);
  if (elastic) {
    const spec = obj(r.spec);
    if (typeof spec?.image === 'string') out.push(spec.image);
    for (const path of elastic.podTemplates) {
      const walk = (node: unknown, steps: readonly string[]): void => {
        const [step, ...rest] = steps;
        if (step === undefined) return podSpecImages(obj(node)?.spec, out);
        if (step === '*') return Array.isArray(node) ? node.forEach((n) => walk(n, rest)) : undefined;
        walk(obj(node)?.[step], rest);
      };
      walk(spec, path);
    }
  }
  const path = WORKLOAD_POD_SPEC_PATHS[kind];
  if (path)
    podSpecImages(
      path.reduce<unknown>((v, k) => obj(v)?.[k], r),
      out,
    );
  return out;
}

function documentsOf(text: string): string[] {
  return splitDocuments(text).map((s) => text.slice(s.start, s.end));
}

const POSTRENDER = /^\s*postrenderer\.helm\.sh\/postrender-filename:.*$/gm;

const runs: [string, string[]][] = [
  ['--registry my.registry', ['--registry', 'my.registry']],
  [
    '--image-pull-secret regcred --suffix=-ubi',
    ['--registry', 'my.registry', '--image-pull-secret', 'regcred', '--suffix=-ubi'],
  ],
];

/** Fixtures in which some image was left on another registry (recipes pull curl, bash, … from Docker Hub). */
const leftSeen: string[] = [];

describe('upstream fixtures (../shared/fixtures/eck-upstream)', () => {
  it.skipIf(!present)('are present (skipped, with the suite, where ../shared is absent)', () => {
    const files = fixtureFiles().map((f) => relative(upstream, f));
    expect(files.some((f) => f.includes('/helm3/stack/'))).toBe(true);
    expect(files.some((f) => f.includes('/helm4-stdin/'))).toBe(true);
    expect(files.some((f) => f.includes('/manifests/'))).toBe(true);
  });

  for (const file of fixtureFiles()) {
    const name = relative(upstream, file);
    for (const [label, args] of runs) {
      it(`${name} (${label})`, async () => {
        const input = readFileSync(file, 'utf8');
        const first = await runCli(args, { input });
        expect(first.exitCode, first.stderr).toBe(0);
        const out = first.stdout;

        // No docker.elastic.co image in an image position.
        const docs = parseAllDocuments(out);
        for (const doc of docs) expect(doc.errors, name).toEqual([]);
        const images = docs.flatMap((d) => imagesOf(d.toJS()));
        expect(images.filter((i) => i.startsWith('docker.elastic.co/'))).toEqual([]);
        // Elastic resources all carry an image now.
        for (const d of docs) {
          const r = obj(d.toJS());
          if (r && ELASTIC_KINDS.some((k) => k.kind === r.kind && String(r.apiVersion).startsWith(k.group + '/'))) {
            expect(typeof obj(r.spec)?.image, `${String(r.kind)} ${String(obj(r.metadata)?.name)}`).toBe('string');
          }
        }

        // Documents render does not change are byte-identical (same split, same count).
        const before = documentsOf(input);
        const after = documentsOf(out);
        expect(after).toHaveLength(before.length);
        let unchanged = 0;
        before.forEach((doc, i) => {
          const was = parseAllDocuments(doc).map((d) => JSON.stringify(d.toJS()));
          const now = parseAllDocuments(after[i]!).map((d) => JSON.stringify(d.toJS()));
          if (JSON.stringify(was) === JSON.stringify(now)) {
            expect(after[i], `document ${i + 1}`).toBe(doc);
            unchanged++;
          }
        });
        expect(unchanged + docs.length).toBeGreaterThan(0);

        // Helm 4 annotations are kept as they came.
        if (name.includes('helm4-stdin')) {
          const annotations = input.match(POSTRENDER) ?? [];
          expect(annotations.length).toBeGreaterThan(0);
          expect(out.match(POSTRENDER)).toEqual(annotations);
        }

        // Images on registries that are not sources are left, and reported as left.
        for (const image of images) {
          if (!image.startsWith('my.registry/')) {
            expect(first.stderr, image).toContain(`left: ${image}: `);
            leftSeen.push(name);
          }
        }

        // A second pass changes nothing.
        const second = await runCli(args, { input: out });
        expect(second.exitCode, second.stderr).toBe(0);
        expect(second.stdout).toBe(out);
      });
    }
  }

  if (present) {
    it('some recipes hold images from other registries, and those were reported as left', () => {
      expect(leftSeen.length).toBeGreaterThan(0);
    });
  }
});
