// render, images and check read one plan (src/plan/), so on every hand-made case of charts-test/cases they must
// agree: every image render writes is one `images` lists (as a target, or named as not covered), every image
// `images` lists that render writes (all but the sidecars the operator injects) is in render's output, and `check`
// on render's output passes — unless the case leaves an image where it is (all three name it) or the operator
// refuses a resource (all three exit 1). Runs the real CLI (test/support/cli.ts).
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, parseAllDocuments, visit } from 'yaml';
import { repoRoot, runCli } from '../support/cli.js';

const cases = join(repoRoot, 'charts-test', 'cases');
const read = (...path: string[]): string => readFileSync(join(cases, ...path), 'utf8');

interface Case {
  readonly name: string;
  readonly input: string;
  readonly args: readonly string[];
}

function renderCases(): Case[] {
  const dir = join(cases, 'render');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.in.yaml'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.in.yaml'.length);
      const argsFile = join(dir, `${name}.args`);
      const args = existsSync(argsFile)
        ? readFileSync(argsFile, 'utf8')
            .split('\n')
            .map((l) => l.trim())
            .filter((l) => l !== '')
        : ['--registry', 'my.registry'];
      return { name: `render/${name}`, input: read('render', f), args };
    });
}

const all: Case[] = [
  ...renderCases(),
  {
    name: 'images/operator+stack',
    input: `${read('images', 'operator.yaml')}---\n${read('images', 'stack.yaml')}`,
    args: ['--registry', 'my.registry'],
  },
  { name: 'images/stack (no operator)', input: read('images', 'stack.yaml'), args: ['--registry', 'my.registry'] },
  { name: 'mirror/stack', input: read('mirror', 'stack.yaml'), args: ['--registry', 'my.registry:5000'] },
];

/** Every `image:` value of the workloads and Elastic resources of a stream (ConfigMap/Secret data is not an image). */
function writtenImages(stream: string): Set<string> {
  const images = new Set<string>();
  for (const doc of parseAllDocuments(stream)) {
    const kind = isMap(doc.contents) ? String(doc.contents.get('kind')) : '';
    if (kind === 'ConfigMap' || kind === 'Secret') continue;
    visit(doc, {
      Pair(_key, pair) {
        if (isPair(pair) && isScalar(pair.key) && pair.key.value === 'image' && isScalar(pair.value)) {
          const value = pair.value.value;
          if (typeof value === 'string' && value !== '') images.add(value);
        }
      },
    });
  }
  return images;
}

interface Listed {
  readonly source: string;
  readonly target: string;
  readonly usedBy: readonly { readonly reason: string }[];
}

describe('render, images and check agree on every case of charts-test/cases', () => {
  it('there are cases', () => {
    expect(all.length).toBeGreaterThanOrEqual(5);
  });

  for (const c of all) {
    it(c.name, async () => {
      const registry = c.args[c.args.indexOf('--registry') + 1]!;
      const render = await runCli([...c.args, '-q'], { input: c.input });
      const images = await runCli(['images', ...c.args, '--output', 'json'], { input: c.input });
      if (render.exitCode !== 0) {
        // A refusal: nothing on stdout, and images and check refuse too.
        expect(render.stdout).toBe('');
        expect(images.exitCode, images.stderr).not.toBe(0);
        expect((await runCli(['check', ...c.args], { input: c.input })).exitCode).not.toBe(0);
        return;
      }
      expect(images.exitCode, images.stderr).toBe(0);
      const listed = JSON.parse(images.stdout) as Listed[];
      const targets = new Set(listed.map((l) => l.target));
      const written = writtenImages(render.stdout);
      // Left as they are: on no source registry, named by images as not covered.
      const left = [...written].filter((image) => !targets.has(image));
      for (const image of left)
        expect(images.stderr, `${image} is neither listed nor named as not covered`).toContain(image);
      // Every image images lists that render writes (not the injected sidecars) is in render's output.
      for (const l of listed) {
        if (l.usedBy.every((u) => u.reason === 'monitoring-sidecar')) continue;
        expect(written, `${l.target} (listed by images) is not in render's output`).toContain(l.target);
      }
      // check on render's output: passes, unless images were left, which it names.
      const check = await runCli(['check', ...c.args, '--operator-registry', registry], { input: render.stdout });
      if (left.length === 0) expect(check.exitCode, check.stdout + check.stderr).toBe(0);
      else {
        expect(check.exitCode).toBe(1);
        for (const image of left) expect(check.stdout).toContain(image);
      }
      // The injected sidecars check names (as the operator in the stream will) are the ones images lists.
      const sidecars = listed.filter((l) => l.usedBy.some((u) => u.reason === 'monitoring-sidecar'));
      if (sidecars.length > 0) {
        const again = await runCli(['images', ...c.args, '--output', 'json'], { input: render.stdout });
        expect(again.exitCode, again.stderr).toBe(0);
        const afterRender = new Set((JSON.parse(again.stdout) as Listed[]).map((l) => l.target));
        for (const s of sidecars) expect(afterRender, s.target).toContain(s.target);
      }
    });
  }
});
