// Argo CD: a chart's `file://` dependencies may not lead out of the repository (issue 21). `init` would have
// `helm dependency build` package that directory into charts/, and `generate` would render it — reading files the
// repository does not hold, which the README promises never happens. Run as cmp-server runs plugin.yaml's
// commands (test/support/cmp-harness.ts), with the real Helm 3 and 4; the chart outside holds a secret, which must
// appear nowhere. A file:// dependency inside the repository still builds and renders (the baseline).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPluginConfig, repoRoot, runCmp, type CmpRun } from '../support/cmp-harness.js';

const mirror = 'my.registry:5000';
const secret = 'OUTSIDE-SECRET-91ab';
const helmThere =
  existsSync(join(repoRoot, '.cache', 'helm', 'v3', 'helm')) &&
  existsSync(join(repoRoot, '.cache', 'helm', 'v4', 'helm'));
let temp: string;
let repo: string;
let outsideChart: string;

async function chart(
  dir: string,
  name: string,
  dependencies: { name: string; repository: string }[],
  note: string,
): Promise<void> {
  await mkdir(join(dir, 'templates'), { recursive: true });
  const deps =
    dependencies.length === 0
      ? ''
      : `dependencies:\n${dependencies.map((d) => `  - name: ${d.name}\n    version: 0.1.0\n    repository: ${JSON.stringify(d.repository)}\n`).join('')}`;
  await writeFile(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n${deps}`);
  await writeFile(
    join(dir, 'templates', 'cm.yaml'),
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  note: ${JSON.stringify(note)}\n`,
  );
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'eck-airgap-argocd-file-deps-'));
  repo = join(temp, 'repo');
  outsideChart = join(temp, 'outside', 'evil');
  await chart(outsideChart, 'evil', [], secret);
  await chart(join(repo, 'shared', 'inner'), 'inner', [], 'from inside');
  await chart(
    join(repo, 'apps', 'inside'),
    'inside',
    [{ name: 'inner', repository: 'file://../../shared/inner' }],
    'top',
  );
  await chart(
    join(repo, 'apps', 'relative'),
    'relative',
    [{ name: 'evil', repository: 'file://../../../outside/evil' }],
    'top',
  );
  await chart(
    join(repo, 'apps', 'absolute'),
    'absolute',
    [{ name: 'evil', repository: `file://${outsideChart}` }],
    'top',
  );
  await symlink(outsideChart, join(repo, 'shared', 'evil-link'));
  await chart(
    join(repo, 'apps', 'linked'),
    'linked',
    [{ name: 'evil', repository: 'file://../../shared/evil-link' }],
    'top',
  );
  // inside the repository, but its own dependency leads out
  await chart(
    join(repo, 'shared', 'middle'),
    'middle',
    [{ name: 'evil', repository: `file://${outsideChart}` }],
    'middle',
  );
  await chart(
    join(repo, 'apps', 'nested'),
    'nested',
    [{ name: 'middle', repository: 'file://../../shared/middle' }],
    'top',
  );
  // inside the repository, but holding a link to a file outside (Helm would package what it points at)
  await chart(join(repo, 'shared', 'leaky'), 'leaky', [], 'leaky');
  await symlink(join(outsideChart, 'templates', 'cm.yaml'), join(repo, 'shared', 'leaky', 'templates', 'leak.yaml'));
  await chart(
    join(repo, 'apps', 'leaky-dep'),
    'leakydep',
    [{ name: 'leaky', repository: 'file://../../shared/leaky' }],
    'top',
  );
});

afterAll(async () => {
  if (temp) await rm(temp, { recursive: true, force: true });
});

const app = { name: 'rel', namespace: 'elastic', env: [{ name: 'ECK_AIRGAP_REGISTRY', value: mirror }] };

function expectRefused(step: CmpRun['init'], dependency: RegExp): void {
  expect(step?.exitCode, step?.stderr).toBe(2);
  expect(step?.stdout).toBe('');
  expect(step?.stderr).toMatch(dependency);
  expect(step?.stderr).toMatch(/leads outside the repository/);
  expect(step?.stderr).not.toMatch(/\n\s+at /);
  expect(step?.stderr).not.toContain(secret);
}

describe.skipIf(!helmThere)('argocd init / generate: file:// dependencies stay inside the repository', () => {
  it('a file:// dependency inside the repository builds and renders (the baseline)', async () => {
    const run = await runCmp({ repo, path: 'apps/inside', helm: 'v3', app });
    expect(run.init?.exitCode, run.init?.stderr).toBe(0);
    expect(run.generate?.exitCode, run.generate?.stderr).toBe(0);
    expect(run.manifests.map((m) => (m['metadata'] as { name: string }).name).sort()).toEqual(['inner', 'inside']);
  });

  const cases: [string, string, RegExp][] = [
    [
      'a relative path out (file://../../../outside/evil)',
      'apps/relative',
      /dependency "evil" \(repository "file:\/\/\.\.\/\.\.\/\.\.\/outside\/evil"\)/,
    ],
    ['an absolute path', 'apps/absolute', /dependency "evil" \(repository "file:\/\/\/.*outside\/evil"\)/],
    [
      'a path through a link that leads out',
      'apps/linked',
      /dependency "evil" \(repository "file:\/\/\.\.\/\.\.\/shared\/evil-link"\)/,
    ],
    [
      'a dependency inside whose own dependency leads out',
      'apps/nested',
      /Chart "shared\/middle": the dependency "evil"/,
    ],
    [
      'a dependency inside holding a link that leads out',
      'apps/leaky-dep',
      /dependency "leaky" .*: it holds the link "templates\/leak\.yaml"/,
    ],
  ];
  for (const [name, path, message] of cases) {
    for (const helm of ['v3', 'v4'] as const) {
      it(`init refuses ${name} (Helm ${helm}); generate does not run`, async () => {
        const run = await runCmp({ repo, path, helm, app });
        expect(run.matched).toBe(true);
        expectRefused(run.init, message);
        expect(run.generate).toBeUndefined();
      });
    }
  }

  it('generate refuses it on its own too (a plugin without init, charts/ filled some other way)', async () => {
    const plugin = await loadPluginConfig();
    delete plugin.spec.init;
    for (const [, path, message] of cases) {
      const run = await runCmp({ repo, path, helm: 'v3', app, plugin });
      expectRefused(run.generate, message);
      expect(run.manifests).toEqual([]);
    }
  });
});
