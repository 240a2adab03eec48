// Hostile Application input through the Argo CD plugin, run as cmp-server runs plugin.yaml's commands
// (test/support/cmp-harness.ts). Whoever may edit an Application sets its plugin parameters and env; none of
// them may become a Helm flag, run a program, write a file or read a file outside the Application's directory.
// The test chart is armed: its ConfigMap holds a `touch <marker>` line, which a Helm 3 started with
// `--post-renderer=/bin/sh` runs (the first test proves it), and it prints every value it is given.
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCmp, type ApplicationSpec, type CmpRun, type PluginParameter } from '../support/cmp-harness.js';

const mirror = 'my.registry:5000';
const secret = 'TOP-SECRET-6f1c';
let temp: string;
let repo: string;
let marker: string;
let outputDir: string;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'eck-airgap-argocd-security-'));
  repo = join(temp, 'repo');
  marker = join(temp, 'marker-file');
  outputDir = join(temp, 'output-dir');
  await mkdir(join(temp, 'outside'));
  // Files outside the Application's directory, holding a secret.
  await writeFile(join(temp, 'outside', 'secret.yaml'), `note: ${secret}\n`);
  await mkdir(join(repo, 'apps'), { recursive: true });
  await writeFile(join(repo, 'apps', 'outside.yaml'), `note: ${secret}\n`);
  // apps/hostile: the armed chart, with links that stay inside the repository only; apps/linked: the same chart
  // with links that lead out of the repository (which Argo CD itself refuses in a repository).
  for (const name of ['hostile', 'linked']) {
    const chart = join(repo, 'apps', name);
    await mkdir(join(chart, 'templates'), { recursive: true });
    await mkdir(join(chart, 'sub'), { recursive: true });
    await writeFile(join(chart, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`);
    await writeFile(join(chart, 'values.yaml'), `marker: ${JSON.stringify(marker)}\nnote: default\n`);
    await writeFile(join(chart, 'values-prod.yaml'), 'note: from values-prod.yaml\n');
    await writeFile(join(chart, 'sub', 'values-sub.yaml'), 'note: from sub/values-sub.yaml\n');
    await symlink('values-prod.yaml', join(chart, 'linked-inside.yaml'));
    await symlink('../outside.yaml', join(chart, 'relative-leak.yaml'));
    await writeFile(
      join(chart, 'templates', 'configmap.yaml'),
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: {{ .Release.Name }}-script',
        'data:',
        '  note: {{ .Values.note | quote }}',
        '  values: {{ toJson .Values | quote }}',
        '  script: |',
        '    touch {{ .Values.marker }}',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(chart, 'templates', 'kibana.yaml'),
      'apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  version: 8.17.0\n',
    );
  }
  await symlink(join(temp, 'outside', 'secret.yaml'), join(repo, 'apps', 'linked', 'leak.yaml'));
  await symlink(join(temp, 'outside'), join(repo, 'apps', 'linked', 'outside-dir'));
});

afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

function app(parameters: PluginParameter[], extra: ApplicationSpec = {}): ApplicationSpec {
  return {
    name: 'hostile',
    namespace: 'elastic',
    env: [{ name: 'ECK_AIRGAP_REGISTRY', value: mirror }],
    parameters,
    ...extra,
  };
}

function run(spec: ApplicationSpec, helm: 'v3' | 'v4' = 'v3', path = 'apps/hostile'): Promise<CmpRun> {
  return runCmp({ repo, path, helm, app: spec });
}

/** Nothing happened: no marker, no output directory. */
function expectNoSideEffects(): void {
  expect(existsSync(marker), `${marker} was created: a program ran`).toBe(false);
  expect(existsSync(outputDir), `${outputDir} was created`).toBe(false);
}

// Cleared before each test, so that one failure does not fail every later test.
beforeEach(() => {
  rmSync(marker, { force: true });
  rmSync(outputDir, { recursive: true, force: true });
});

/** A clean refusal: exit 2, nothing on stdout, one message naming `what`, no stack trace, no secret. */
function expectRefused(result: CmpRun, what: RegExp): void {
  expectNoSideEffects();
  expect(result.matched).toBe(true);
  expect(result.generate?.exitCode, result.generate?.stderr).toBe(2);
  expect(result.generate?.stdout).toBe('');
  expect(result.generate?.stderr).toMatch(what);
  expect(result.generate?.stderr).not.toMatch(/\n\s+at /);
  expect(result.generate?.stderr).not.toContain(secret);
}

/** A complete, safe output: exit 0, the chart's resources, Kibana on the mirror. */
function expectRendered(result: CmpRun): Record<string, string> {
  expectNoSideEffects();
  expect(result.generate?.exitCode, result.generate?.stderr).toBe(0);
  const kibana = result.manifests.find((manifest) => manifest['kind'] === 'Kibana') as
    { spec: { image: string } } | undefined;
  expect(kibana?.spec.image).toBe(`${mirror}/kibana/kibana:8.17.0`);
  const configMap = result.manifests.find((manifest) => manifest['kind'] === 'ConfigMap') as
    { data: Record<string, string> } | undefined;
  expect(configMap).toBeDefined();
  return configMap?.data ?? {};
}

describe('the armed test chart', () => {
  it('runs its touch line when Helm 3 gets --post-renderer=/bin/sh (so the absence of the marker below means something)', async () => {
    const probe = join(temp, 'probe-marker');
    const result = await execa(
      join(repoRoot, '.cache', 'helm', 'v3', 'helm'),
      ['template', '--post-renderer=/bin/sh', `--set=marker=${probe}`, 'probe', join(repo, 'apps', 'hostile')],
      {
        reject: false,
        env: {
          HOME: temp,
          HELM_CACHE_HOME: join(temp, 'hc'),
          HELM_CONFIG_HOME: join(temp, 'hf'),
          HELM_DATA_HOME: join(temp, 'hd'),
        },
      },
    );
    expect(existsSync(probe), result.stderr).toBe(true);
  });

  it('renders with plain parameters (the baseline)', async () => {
    const data = expectRendered(await run(app([{ name: 'values-files', array: ['values-prod.yaml'] }])));
    expect(data['note']).toBe('from values-prod.yaml');
  });
});

describe('release-name that is not a Helm release name is refused', () => {
  const hostile = [
    '--post-renderer=/bin/sh',
    '--output-dir=<output-dir>',
    '-n',
    '--dry-run=server',
    'my release',
    'my\nrelease',
    'release;touch /tmp/x',
    'UPPER',
    'a'.repeat(54),
  ];
  it.each(hostile.map((value) => [JSON.stringify(value), value]))('release-name %s', async (_label, value) => {
    const release = value.replace('<output-dir>', outputDir);
    expectRefused(
      await run(app([{ name: 'release-name', string: release }])),
      /release-name .*is not a Helm release name/,
    );
  });

  it('refuses it from PARAM_* variables too, with Helm 4 as well', async () => {
    expectRefused(
      await run(app([{ name: 'release-name', string: '--post-renderer=/bin/sh' }], { parameterDelivery: 'env' }), 'v4'),
      /release-name "--post-renderer=\/bin\/sh" is not a Helm release name/,
    );
  });

  it('refuses an Application name that is not a release name, and says to set release-name', async () => {
    expectRefused(
      await run(app([], { name: '--post-renderer=/bin/sh' })),
      /ARGOCD_APP_NAME.*Set the release-name parameter/s,
    );
  });

  it('accepts the longest name Helm accepts (53 characters)', async () => {
    const result = await run(app([{ name: 'release-name', string: 'a'.repeat(53) }]));
    expectRendered(result);
  });
});

describe('values-files outside the Application directory are refused', () => {
  // [what, the values file, the message, the Application's path]
  const cases: Array<[string, string, RegExp, string?]> = [
    ['an absolute path', '/etc/passwd', /is an absolute path/],
    ['an absolute path to the secret', '', /is an absolute path/],
    ['..', '../outside.yaml', /leads out of the directory/],
    ['.. after a directory', 'sub/../../outside.yaml', /leads out of the directory/],
    ['a symbolic link to a file outside', 'leak.yaml', /symbolic link .*outside/, 'apps/linked'],
    ['a relative symbolic link to a file outside', 'relative-leak.yaml', /symbolic link .*outside/],
    ['a file under a linked directory', 'outside-dir/secret.yaml', /symbolic link .*outside/, 'apps/linked'],
    ['a URL', 'https://example.invalid/values.yaml', /is a URL/],
    ['a flag', '--post-renderer=/bin/sh', /does not exist/],
    ['a home path', '~/.kube/config', /is an absolute path/],
  ];
  it.each(cases)('%s', async (_label, given, message, path) => {
    const file = given === '' ? join(temp, 'outside', 'secret.yaml') : given;
    const result = await run(app([{ name: 'values-files', array: ['values-prod.yaml', file] }]), 'v3', path);
    expectRefused(result, new RegExp(`values-files.*${message.source}`, 's'));
  });

  it('refuses them from PARAM_* variables too, with Helm 4 as well', async () => {
    const result = await run(
      app([{ name: 'values-files', array: ['../outside.yaml'] }], { parameterDelivery: 'env' }),
      'v4',
    );
    expectRefused(result, /values-files: file "..\/outside.yaml" leads out of the directory/);
  });

  it('accepts files in subdirectories and symbolic links that stay inside', async () => {
    const data = expectRendered(
      await run(app([{ name: 'values-files', array: ['sub/values-sub.yaml', './linked-inside.yaml'] }])),
    );
    expect(data['note']).toBe('from values-prod.yaml');
  });

  it("holds ARGOCD_ENV_ECK_AIRGAP_CONFIG (the Application's config file) to the same rule", async () => {
    const env = [
      { name: 'ECK_AIRGAP_REGISTRY', value: mirror },
      { name: 'ECK_AIRGAP_CONFIG', value: 'leak.yaml' },
    ];
    expectRefused(
      await run({ ...app([]), env }, 'v3', 'apps/linked'),
      /config file ECK_AIRGAP_CONFIG "leak.yaml" is a symbolic link/,
    );
    env[1] = { name: 'ECK_AIRGAP_CONFIG', value: '../outside.yaml' };
    expectRefused(await run({ ...app([]), env }), /config file ECK_AIRGAP_CONFIG "..\/outside.yaml" leads out/);
  });

  it('refuses a chart directory holding a link that leads out of the repository (Helm would load it)', async () => {
    expectRefused(
      await run(app([]), 'v4', 'apps/linked'),
      /symbolic link that leads outside the repository: "(leak.yaml|outside-dir)"/,
    );
  });
});

describe('helm-set keys and values never become flags', () => {
  it('passes hostile values as data, complete', async () => {
    const values = {
      note: '--post-renderer=/bin/sh',
      marker: '--output-dir=/tmp',
      'extra.newline': 'line one\nline two, three',
    };
    const data = expectRendered(await run(app([{ name: 'helm-set', map: values }])));
    expect(data['note']).toBe('--post-renderer=/bin/sh');
    const all = JSON.parse(data['values'] ?? '{}') as { extra?: { newline?: string }; marker?: string };
    expect(all.marker).toBe('--output-dir=/tmp');
    expect(all.extra?.newline).toBe('line one\nline two, three');
  });

  it('keeps a key that looks like a flag inside its --set (a value, not a flag)', async () => {
    const data = expectRendered(await run(app([{ name: 'helm-set', map: { '--post-renderer': '/bin/sh' } }])));
    expect(JSON.parse(data['values'] ?? '{}')).toMatchObject({ '--post-renderer': '/bin/sh' });
  });

  it.each([['a=b'], ['note,marker'], ['with space'], ['']])('refuses the key %j', async (key) => {
    expectRefused(await run(app([{ name: 'helm-set', map: { [key]: 'x' } }])), /helm-set: key .* is not a values path/);
  });
});

describe('the mirror parameters are eck-airgap settings, checked by its schema, never Helm arguments', () => {
  it.each([
    ['registry', { name: 'registry', string: '--post-renderer=/bin/sh' }, /--registry/],
    ['repository', { name: 'repository', string: '../x y' }, /--repository/],
    ['suffix', { name: 'suffix', string: '--x\ny' }, /--suffix/],
    ['image-pull-secrets', { name: 'image-pull-secrets', array: ['--post-renderer=/bin/sh'] }, /--image-pull-secret/],
    ['pull-secrets (former name)', { name: 'pull-secrets', array: ['--post-renderer=/bin/sh'] }, /--image-pull-secret/],
  ] as Array<[string, PluginParameter, RegExp]>)('%s', async (_name, parameter, message) => {
    const result = await run(app([parameter]));
    expectRefused(result, /the Application's plugin parameters/);
    // The problem itself, before the note that maps flags to parameters.
    expect(result.generate?.stderr.split('\n(Here')[0]).toMatch(message);
  });
});

describe('the build environment is checked too', () => {
  it('refuses a namespace that is not one', async () => {
    expectRefused(
      await run(app([], { namespace: '--post-renderer=/bin/sh' })),
      /ARGOCD_APP_NAMESPACE "--post-renderer=\/bin\/sh" is not a Kubernetes namespace/,
    );
  });

  it('refuses a KUBE_VERSION that is not a version', async () => {
    expectRefused(
      await run(app([], { kubeVersion: '--post-renderer=/bin/sh' })),
      /KUBE_VERSION .* is not a Kubernetes version/,
    );
  });

  it('refuses a KUBE_API_VERSIONS entry that is not an API version', async () => {
    expectRefused(
      await run(app([], { apiVersions: ['v1', '--post-renderer=/bin/sh'] })),
      /KUBE_API_VERSIONS entry .* is not an API version/,
    );
  });

  it('refuses malformed ARGOCD_APP_PARAMETERS', async () => {
    const result = await runCmp({
      repo,
      path: 'apps/hostile',
      app: { env: [{ name: 'ECK_AIRGAP_REGISTRY', value: mirror }] },
      sidecarEnv: { ARGOCD_APP_PARAMETERS: '[{"name":"release-name","string":["--post-renderer=/bin/sh"]}]' },
    });
    expectRefused(result, /parameter release-name: "string" must be a string/);
  });
});
