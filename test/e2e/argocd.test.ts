// The Argo CD config-management plugin (argocd/plugin.yaml), run as Argo CD's cmp-server runs it
// (test/support/cmp-harness.ts): discover, init and generate exec'd in a copy of a chart from
// charts-test/argocd/, with the real eck-airgap CLI and the real Helm 3 and Helm 4 binaries on PATH.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, runCmp, type ApplicationSpec, type CmpRun } from '../support/cmp-harness.js';

const charts = join(repoRoot, 'charts-test', 'argocd');
const mirror = 'my.registry:5000';

type Manifest = Record<string, unknown>;

/** Every string under an `image` key, anywhere in the manifests. */
function images(manifests: Manifest[]): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'image' && typeof child === 'string') found.push(child);
        else walk(child);
      }
    }
  };
  walk(manifests);
  return found;
}

function byKind(run: CmpRun, kind: string): Manifest {
  const manifest = run.manifests.find((candidate) => candidate['kind'] === kind);
  if (!manifest) throw new Error(`no ${kind} in the output; kinds: ${run.manifests.map((m) => m['kind']).join(', ')}`);
  return manifest;
}

function field(manifest: Manifest, path: string): unknown {
  let value: unknown = manifest;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[/^\d+$/.test(key) ? Number(key) : key];
  }
  return value;
}

/** Asserts that init and generate succeeded, showing their stderr when they did not. */
function expectGenerated(run: CmpRun): void {
  expect(run.matched).toBe(true);
  expect(run.init?.exitCode ?? 0, run.init?.stderr).toBe(0);
  expect(run.generate?.exitCode, run.generate?.stderr).toBe(0);
  expect(run.manifests.length).toBeGreaterThan(0);
}

const withRegistryEnv: ApplicationSpec = { env: [{ name: 'ECK_AIRGAP_REGISTRY', value: mirror }] };

describe.each(['v3', 'v4'] as const)('Argo CD plugin with Helm %s', (helm) => {
  it('discovers a chart directory and not a directory of plain manifests', async () => {
    const chart = await runCmp({ repo: charts, path: 'plain', helm, app: withRegistryEnv });
    expect(chart.matched).toBe(true);
    const plainManifests = await runCmp({ repo: charts, path: 'not-a-chart', helm, app: withRegistryEnv });
    expect(plainManifests.matched).toBe(false);
    expect(plainManifests.generate).toBeUndefined();
  });

  it('is configured by the Application env alone (ARGOCD_ENV_ECK_AIRGAP_*)', async () => {
    const run = await runCmp({
      repo: charts,
      path: 'plain',
      helm,
      app: {
        name: 'logging',
        namespace: 'observability',
        env: [
          { name: 'ECK_AIRGAP_REGISTRY', value: mirror },
          { name: 'ECK_AIRGAP_REPOSITORY', value: 'elastic' },
          { name: 'ECK_AIRGAP_IMAGE_PULL_SECRETS', value: 'mirror-pull' },
        ],
      },
    });
    expectGenerated(run);
    expect(run.env['ARGOCD_ENV_ECK_AIRGAP_REGISTRY']).toBe(mirror);
    const elasticsearch = byKind(run, 'Elasticsearch');
    expect(field(elasticsearch, 'metadata.name')).toBe('logging');
    expect(field(elasticsearch, 'metadata.namespace')).toBe('observability');
    expect(field(elasticsearch, 'spec.image')).toBe(`${mirror}/elastic/elasticsearch:8.17.0`);
    expect(field(elasticsearch, 'spec.nodeSets.0.podTemplate.spec.imagePullSecrets')).toEqual([
      { name: 'mirror-pull' },
    ]);
    expect(field(byKind(run, 'Kibana'), 'spec.image')).toBe(`${mirror}/elastic/kibana:8.17.0`);
    expect(field(byKind(run, 'Job'), 'spec.template.spec.containers.0.image')).toBe(
      `${mirror}/elastic/elasticsearch:8.17.0`,
    );
    expect(images(run.manifests).every((image) => image.startsWith(`${mirror}/`))).toBe(true);
  });

  it('passes KUBE_VERSION and KUBE_API_VERSIONS to Helm', async () => {
    const withMonitoring = await runCmp({
      repo: charts,
      path: 'plain',
      helm,
      app: { ...withRegistryEnv, kubeVersion: '1.30.4', apiVersions: ['v1', 'apps/v1', 'monitoring.coreos.com/v1'] },
    });
    expectGenerated(withMonitoring);
    const annotations = field(byKind(withMonitoring, 'Elasticsearch'), 'metadata.annotations') as Record<
      string,
      string
    >;
    expect(annotations['eck-airgap.test/kube-version']).toBe('v1.30.4');
    expect(withMonitoring.manifests.some((manifest) => manifest['kind'] === 'PodMonitor')).toBe(true);

    const without = await runCmp({ repo: charts, path: 'plain', helm, app: withRegistryEnv });
    expectGenerated(without);
    expect(without.manifests.some((manifest) => manifest['kind'] === 'PodMonitor')).toBe(false);
  });

  it('fails generate, printing nothing, when a template fails', async () => {
    const run = await runCmp({ repo: charts, path: 'failing', helm, app: withRegistryEnv });
    expect(run.matched).toBe(true);
    expect(run.generate?.exitCode).not.toBe(0);
    expect(run.generate?.stdout).toBe('');
    expect(run.generate?.stderr).toContain('this template always fails');
  });

  it('renders a chart whose dependency is vendored under charts/ without building it (no network)', async () => {
    const run = await runCmp({ repo: charts, path: 'with-dependency', helm, app: withRegistryEnv });
    expectGenerated(run);
    expect(run.init?.stderr).not.toContain('building chart dependencies');
    const beat = byKind(run, 'Beat');
    expect(field(beat, 'metadata.name')).toBe('elastic-stack-filebeat');
    expect(field(beat, 'spec.image')).toBe(`${mirror}/beats/filebeat:8.17.0`);
    expect(field(byKind(run, 'Elasticsearch'), 'spec.image')).toBe(`${mirror}/elasticsearch/elasticsearch:8.17.0`);
  });

  it('builds a file:// dependency that is not vendored, offline, in init', async () => {
    const run = await runCmp({ repo: charts, path: 'local-dependency', helm, app: withRegistryEnv });
    expectGenerated(run);
    expect(run.init?.stderr).toContain('building chart dependencies: library (missing)');
    expect(field(byKind(run, 'Beat'), 'spec.image')).toBe(`${mirror}/beats/metricbeat:8.17.0`);
    expect(field(byKind(run, 'Kibana'), 'spec.image')).toBe(`${mirror}/kibana/kibana:8.17.0`);
  });
});

describe('Argo CD plugin parameters', () => {
  const parameters: ApplicationSpec['parameters'] = [
    { name: 'registry', string: mirror },
    { name: 'repository', string: 'mirror/elastic' },
    { name: 'image-pull-secrets', array: ['mirror-pull', 'backup-pull'] },
    { name: 'values-files', array: ['values-prod.yaml', 'values with spaces.yaml'] },
  ];

  function expectParametersApplied(run: CmpRun): void {
    expectGenerated(run);
    const elasticsearch = byKind(run, 'Elasticsearch');
    expect(field(elasticsearch, 'spec.image')).toBe(`${mirror}/mirror/elastic/elasticsearch:8.17.0`);
    expect(field(elasticsearch, 'spec.nodeSets.0.count')).toBe(2); // values-prod.yaml
    expect(field(elasticsearch, 'spec.nodeSets.0.podTemplate.spec.imagePullSecrets')).toEqual([
      { name: 'mirror-pull' },
      { name: 'backup-pull' },
    ]);
    // "values with spaces.yaml" switches Kibana off.
    expect(run.manifests.some((manifest) => manifest['kind'] === 'Kibana')).toBe(false);
  }

  it('reads them from ARGOCD_APP_PARAMETERS (JSON)', async () => {
    const run = await runCmp({ repo: charts, path: 'plain', app: { parameters, parameterDelivery: 'json' } });
    expect(run.env['PARAM_REGISTRY']).toBeUndefined();
    expectParametersApplied(run);
  });

  it('reads them from PARAM_* variables when ARGOCD_APP_PARAMETERS is absent', async () => {
    const run = await runCmp({ repo: charts, path: 'plain', app: { parameters, parameterDelivery: 'env' } });
    expect(run.env['ARGOCD_APP_PARAMETERS']).toBeUndefined();
    expect(run.env['PARAM_VALUES_FILES_1']).toBe('values with spaces.yaml');
    expectParametersApplied(run);
  });

  it('reads them when Argo CD sends both forms', async () => {
    const run = await runCmp({ repo: charts, path: 'plain', helm: 'v4', app: { parameters } });
    expect(JSON.parse(run.env['ARGOCD_APP_PARAMETERS'] ?? 'null')).toContainEqual({ name: 'registry', string: mirror });
    expectParametersApplied(run);
  });

  it('passes helm-set values with commas and spaces as one value each', async () => {
    const run = await runCmp({
      repo: charts,
      path: 'plain',
      app: {
        ...withRegistryEnv,
        parameters: [{ name: 'helm-set', map: { note: 'red, green and blue', 'elasticsearch.count': '5' } }],
      },
    });
    expectGenerated(run);
    const elasticsearch = byKind(run, 'Elasticsearch');
    expect((field(elasticsearch, 'metadata.annotations') as Record<string, string>)['eck-airgap.test/note']).toBe(
      'red, green and blue',
    );
    expect(field(elasticsearch, 'spec.nodeSets.0.count')).toBe(5);
  });

  it('refuses helm-set from PARAM_* variables, whose names lose the keys', async () => {
    const run = await runCmp({
      repo: charts,
      path: 'plain',
      app: {
        ...withRegistryEnv,
        parameters: [{ name: 'helm-set', map: { 'elasticsearch.count': '5' } }],
        parameterDelivery: 'env',
      },
    });
    expect(run.generate?.exitCode).toBe(2);
    expect(run.generate?.stdout).toBe('');
    expect(run.generate?.stderr).toContain('helm-set parameter needs ARGOCD_APP_PARAMETERS');
  });

  it('lets parameters override the env entries, and turns ubi-only on', async () => {
    const run = await runCmp({
      repo: charts,
      path: 'plain',
      app: {
        env: [{ name: 'ECK_AIRGAP_REGISTRY', value: 'other.registry' }],
        parameters: [
          { name: 'registry', string: mirror },
          { name: 'ubi-only', string: 'true' },
        ],
      },
    });
    expectGenerated(run);
    expect(field(byKind(run, 'Elasticsearch'), 'spec.image')).toBe(`${mirror}/elasticsearch/elasticsearch-ubi:8.17.0`);
  });

  it('uses the release-name parameter instead of the Application name', async () => {
    const run = await runCmp({
      repo: charts,
      path: 'plain',
      app: {
        ...withRegistryEnv,
        name: 'apps-in-any-namespace_logging',
        parameters: [{ name: 'release-name', string: 'logging' }],
      },
    });
    expectGenerated(run);
    expect(field(byKind(run, 'Elasticsearch'), 'metadata.name')).toBe('logging');
  });

  it('rejects an ubi-only value that is not a boolean', async () => {
    const run = await runCmp({
      repo: charts,
      path: 'plain',
      app: { ...withRegistryEnv, parameters: [{ name: 'ubi-only', string: 'maybe' }] },
    });
    expect(run.generate?.exitCode).toBe(2);
    expect(run.generate?.stdout).toBe('');
    expect(run.generate?.stderr).toContain('ubi-only must be a boolean (accepted: true/false, yes/no, on/off, 1/0)');
  });

  it('accepts ARGOCD_APP_PARAMETERS=null (plugin section without parameters) and sidecar-wide settings', async () => {
    const run = await runCmp({
      repo: charts,
      path: 'plain',
      sidecarEnv: { ARGOCD_APP_PARAMETERS: 'null', ECK_AIRGAP_REGISTRY: mirror },
    });
    expectGenerated(run);
    expect(field(byKind(run, 'Elasticsearch'), 'spec.image')).toBe(`${mirror}/elasticsearch/elasticsearch:8.17.0`);
  });

  it('fails, printing nothing, when no registry is configured anywhere', async () => {
    const run = await runCmp({ repo: charts, path: 'plain', app: { name: 'logging' } });
    expect(run.matched).toBe(true);
    expect(run.generate?.exitCode).toBe(2);
    expect(run.generate?.stdout).toBe('');
    expect(run.generate?.stderr).toMatch(/registry/i);
  });
});

describe('Argo CD plugin with only eck-airgap and Helm on PATH', () => {
  it('needs no node, shell tools or anything else on PATH (a stand-in for the single executable)', async () => {
    // The release's single executable is built elsewhere; this stand-in runs the bundle with node by its absolute
    // path, so the sidecar's PATH holds only `eck-airgap` and `helm`, as in the image.
    const dir = await mkdtemp(join(tmpdir(), 'eck-airgap-standin-'));
    try {
      const executable = join(dir, 'eck-airgap');
      await writeFile(
        executable,
        `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(repoRoot, 'dist', 'eck-airgap.mjs'))} "$@"\n`,
      );
      await chmod(executable, 0o755);
      const run = await runCmp({ repo: charts, path: 'local-dependency', executable, app: withRegistryEnv });
      expect(run.env['PATH']).not.toContain(':');
      expectGenerated(run);
      expect(run.init?.stderr).toContain('building chart dependencies: library (missing)');
      expect(field(byKind(run, 'Kibana'), 'spec.image')).toBe(`${mirror}/kibana/kibana:8.17.0`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('argocd/example-application.yaml', () => {
  it('renders the plain test chart with its env and parameters', async () => {
    const application = parse(await readFile(join(repoRoot, 'argocd', 'example-application.yaml'), 'utf8')) as {
      metadata: { name: string };
      spec: {
        source: { plugin: { name: string; env: ApplicationSpec['env']; parameters: ApplicationSpec['parameters'] } };
        destination: { namespace: string };
      };
    };
    expect(application.spec.source.plugin.name).toBe('eck-airgap');
    const run = await runCmp({
      repo: charts,
      path: 'plain',
      app: {
        name: application.metadata.name,
        namespace: application.spec.destination.namespace,
        env: application.spec.source.plugin.env,
        parameters: application.spec.source.plugin.parameters,
      },
    });
    expectGenerated(run);
    const elasticsearch = byKind(run, 'Elasticsearch');
    expect(field(elasticsearch, 'spec.image')).toBe(`${mirror}/elastic/elasticsearch:8.17.0`);
    expect(field(elasticsearch, 'spec.nodeSets.0.count')).toBe(3); // helm-set wins over values-prod.yaml's 2
    expect((field(elasticsearch, 'metadata.annotations') as Record<string, string>)['eck-airgap.test/note']).toBe(
      'from values-prod.yaml',
    );
    expect(field(elasticsearch, 'spec.nodeSets.0.podTemplate.spec.imagePullSecrets')).toEqual([
      { name: 'mirror-pull' },
    ]);
    expect(images(run.manifests).every((image) => image.startsWith(`${mirror}/elastic/`))).toBe(true);
  });
});
