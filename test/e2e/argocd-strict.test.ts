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
    const run = await runCmp({ repo: charts, path: 'plain', helm: 'v3', app: app([offMirror, { name: 'strict', string: 'true' }]) });
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
      app: app([offMirror, { name: 'strict', string: 'yes' }, { name: 'mirrors', map: { 'docker.io': `${mirror}/dockerhub` } }]),
    });
    expect(run.generate?.exitCode, run.generate?.stderr).toBe(0);
    expect(run.generate?.stdout).toContain(`image: ${mirror}/dockerhub/library/nginx:1.27`);
  });
});
