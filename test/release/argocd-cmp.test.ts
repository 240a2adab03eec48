// PENDING: runs once the Argo CD engineer's branch (h-argocd: plugin.yaml runs `eck-airgap argocd init|generate`, and
// runCmp's `executable` option) is merged: rename to argocd-cmp.test.ts. Verified in a trial merge of h-argocd and
// h-startup into this branch: 8 tests passed.
// The Argo CD plugin as the sidecar image runs it: argocd/plugin.yaml's commands (test/support/cmp-harness.ts, as
// Argo CD's cmp-server runs them) with only the release's single executable (as `eck-airgap`) and Helm on PATH —
// no node, no shell tools. Generate must write the same bytes as with the checkout's CLI.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCmp, type ApplicationSpec, type CmpRunOptions } from '../support/cmp-harness.js';
import { release, type Release } from '../support/release.js';

const charts = join(repoRoot, 'charts-test', 'argocd');
const mirror = 'my.registry:5000';

let files: Release;
beforeAll(async () => {
  files = await release();
}, 900_000);

const app: ApplicationSpec = {
  name: 'logging',
  namespace: 'observability',
  env: [{ name: 'ECK_AIRGAP_REGISTRY', value: mirror }],
  parameters: [
    { name: 'repository', string: 'elastic' },
    { name: 'image-pull-secrets', array: ['mirror-pull'] },
    { name: 'helm-set', map: { 'elasticsearch.count': '2' } },
  ],
};

describe.each(['v3', 'v4'] as const)('Argo CD plugin with the single executable and Helm %s only', (helm) => {
  it.each([
    ['plain', app],
    ['local-dependency', { env: app.env }],
    ['with-dependency', { env: app.env }],
  ] as Array<[string, ApplicationSpec]>)('renders charts-test/argocd/%s as with the CLI', async (path, spec) => {
    const options: CmpRunOptions = { repo: charts, path, helm, app: spec };
    const [single, reference] = await Promise.all([
      runCmp({ ...options, executable: files.executable }),
      runCmp(options),
    ]);
    // PATH is one folder holding eck-airgap (the single executable) and helm.
    expect(single.env['PATH']).not.toContain(':');
    expect(single.matched).toBe(true);
    expect(single.init?.exitCode ?? 0, single.init?.stderr).toBe(0);
    expect(single.generate?.exitCode, single.generate?.stderr).toBe(0);
    expect(single.generate?.stdout).toContain(`${mirror}/`);
    expect(single.generate?.stdout).toBe(reference.generate?.stdout);
    expect(single.generate?.stderr).toBe(reference.generate?.stderr);
  });

  it('fails generate, printing nothing on stdout, for a chart whose template fails', async () => {
    const run = await runCmp({
      repo: charts,
      path: 'failing',
      helm,
      app: { env: app.env },
      executable: files.executable,
    });
    expect(run.generate?.exitCode).not.toBe(0);
    expect(run.generate?.stdout).toBe('');
    expect(run.generate?.stderr).toContain('this template always fails');
  });
});
