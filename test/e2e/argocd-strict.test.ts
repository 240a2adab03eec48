// The Argo CD plugin's strict parameter (issue 25): generate, run as cmp-server runs it with the real CLI and the
// real Helm 3, fails (exit 1, nothing on stdout) when an image stays off the mirror, so the sync fails with the list;
// the mirrors parameter moves the registry and the same Application generates.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCmp, type ApplicationSpec } from '../support/cmp-harness.js';

const charts = join(repoRoot, 'charts-test', 'argocd');
const mirror = 'my.registry:5000';

function app(parameters: ApplicationSpec['parameters']): ApplicationSpec {
  return { env: [{ name: 'ECK_AIRGAP_REGISTRY', value: mirror }], parameters };
}

describe('Argo CD plugin: strict and mirrors parameters', () => {
  const offMirror = { name: 'helm-set', map: { 'curl.image': 'nginx:1.27' } };

  it('without strict, the leftover passes (the report only in the log)', async () => {
    const run = await runCmp({ repo: charts, path: 'plain', helm: 'v3', app: app([offMirror]) });
    expect(run.generate?.exitCode, run.generate?.stderr).toBe(0);
    expect(run.generate?.stdout).toContain('image: nginx:1.27');
  });

  it('strict: generate exits 1, nothing on stdout, the image and the --mirror to add on stderr', async () => {
    const run = await runCmp({
      repo: charts,
      path: 'plain',
      helm: 'v3',
      app: app([offMirror, { name: 'strict', string: 'true' }]),
    });
    expect(run.generate?.exitCode).toBe(1);
    expect(run.generate?.stdout).toBe('');
    expect(run.generate?.stderr).toContain('nginx:1.27 (docker.io)');
    expect(run.generate?.stderr).toContain(`--mirror docker.io=${mirror}/docker`);
  });

  it('strict with the mirrors parameter: generates, nginx on the mirror', async () => {
    const run = await runCmp({
      repo: charts,
      path: 'plain',
      helm: 'v3',
      app: app([
        offMirror,
        { name: 'strict', string: 'yes' },
        { name: 'mirrors', map: { 'docker.io': `${mirror}/dockerhub` } },
      ]),
    });
    expect(run.generate?.exitCode, run.generate?.stderr).toBe(0);
    expect(run.generate?.stdout).toContain(`image: ${mirror}/dockerhub/library/nginx:1.27`);
  });
});

describe('Argo CD plugin: a dependency from a chart repository that is not vendored', () => {
  it("init explains vendoring (charts/*.tgz), not Helm's \"try 'helm repo update'\"", async () => {
    const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const repo = mkdtempSync(join(tmpdir(), 'eck-airgap-unvendored-'));
    try {
      mkdirSync(join(repo, 'app', 'templates'), { recursive: true });
      // A loopback repository (nothing listens on port 9); with --skip-refresh and no index Helm fails before any request anyway.
      writeFileSync(
        join(repo, 'app', 'Chart.yaml'),
        'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: eck-stack\n    version: 0.15.0\n    repository: https://127.0.0.1:9/charts\n',
      );
      for (const helm of ['v3', 'v4'] as const) {
        const run = await runCmp({ repo, path: 'app', helm, app: app([]) });
        expect(run.init?.exitCode, helm).toBe(1);
        expect(run.init?.stderr, helm).toContain('eck-stack from https://127.0.0.1:9/charts are not vendored');
        expect(run.init?.stderr, helm).toContain('commit charts/*.tgz');
        expect(run.init?.stderr, helm).not.toContain("try 'helm repo update'");
      }
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
