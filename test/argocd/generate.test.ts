// What `eck-airgap argocd generate` plans from the environment cmp-server gives it, and the checks on each value.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkApiVersions,
  checkKubeVersion,
  checkNamespace,
  checkReleaseName,
  checkSetKey,
  checkUbiOnly,
  checkBoolean,
  escapeSetValue,
  planGenerate,
} from '../../src/argocd/generate.js';
import { containedPath, linkLeadingOutside, repositoryRoot } from '../../src/argocd/paths.js';
import { helmTemplateArgs } from '../../src/helm/template-args.js';

let temp: string;
let app: string;

beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'eck-airgap-argocd-unit-'));
  app = join(temp, 'repo', 'apps', 'stack');
  mkdirSync(join(app, 'sub'), { recursive: true });
  writeFileSync(join(app, 'Chart.yaml'), 'apiVersion: v2\nname: stack\nversion: 0.1.0\n');
  writeFileSync(join(app, 'values-prod.yaml'), 'a: 1\n');
  writeFileSync(join(app, 'sub', 'more.yaml'), 'a: 2\n');
  writeFileSync(join(temp, 'repo', 'apps', 'shared.yaml'), 'a: 3\n');
  writeFileSync(join(temp, 'secret.yaml'), 'a: 4\n');
  symlinkSync('values-prod.yaml', join(app, 'inside-link.yaml'));
});

afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('planGenerate', () => {
  it('turns the build environment and parameters into typed values, then into one argument each', () => {
    const plan = planGenerate(
      {
        ARGOCD_APP_NAME: 'logging',
        ARGOCD_APP_NAMESPACE: 'observability',
        ARGOCD_APP_SOURCE_PATH: 'apps/stack',
        KUBE_VERSION: '1.31.0',
        KUBE_API_VERSIONS: 'v1, apps/v1,,monitoring.coreos.com/v1',
        ARGOCD_APP_PARAMETERS: JSON.stringify([
          { name: 'registry', string: 'my.registry:5000' },
          { name: 'repository', string: 'elastic' },
          { name: 'suffix', string: '' },
          { name: 'ubi-only', string: 'Yes' },
          { name: 'image-pull-secrets', array: ['a, b', ' c '] },
          { name: 'values-files', array: ['values-prod.yaml', '', 'sub/more.yaml'] },
          { name: 'helm-set', map: { 'image.tag': 'x,y', list: '{a,b}' } },
          { name: 'release-name', string: 'rel' },
          { name: 'strict', string: 'on' },
          { name: 'mirrors', map: { 'docker.io': 'my.registry:5000/dockerhub' } },
          { name: 'unknown-one', string: 'x' },
        ]),
      },
      app,
    );
    expect(plan.flags).toEqual({
      registry: 'my.registry:5000',
      repository: 'elastic',
      ubiOnly: true,
      strict: true,
      mirror: ['docker.io=my.registry:5000/dockerhub'],
      imagePullSecret: ['a', 'b', 'c'],
    });
    expect(plan.warnings).toEqual([expect.stringContaining('"unknown-one" is not one of')]);
    expect(helmTemplateArgs(plan.request)).toEqual([
      'template',
      '--namespace=observability',
      '--kube-version=1.31.0',
      '--api-versions=v1',
      '--api-versions=apps/v1',
      '--api-versions=monitoring.coreos.com/v1',
      `--values=${join(app, 'values-prod.yaml')}`,
      `--values=${join(app, 'sub', 'more.yaml')}`,
      '--set=image.tag=x\\,y',
      '--set=list={a,b}',
      '--',
      'rel',
      '.',
    ]);
  });

  it("the lock parameter: a file inside the source directory, held to the values files' rule (render --lock)", () => {
    const params = (lock: string): NodeJS.ProcessEnv => ({
      ARGOCD_APP_NAME: 'logging',
      ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'lock', string: lock }]),
    });
    expect(planGenerate(params('values-prod.yaml'), app).flags.lock).toBe(join(app, 'values-prod.yaml'));
    expect(planGenerate(params('values-prod.yaml'), app).warnings).toEqual([]);
    expect(() => planGenerate(params('../shared.yaml'), app)).toThrow(
      /parameter lock: file "\.\.\/shared\.yaml" .*inside the Application's source directory/,
    );
    expect(() => planGenerate(params('/etc/passwd'), app)).toThrow(/parameter lock: file "\/etc\/passwd"/);
  });

  it('reads pull-secrets, the former name of image-pull-secrets, with a deprecation note', () => {
    const plan = planGenerate(
      { ARGOCD_APP_NAME: 'logging', ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'pull-secrets', array: ['old'] }]) },
      app,
    );
    expect(plan.flags.imagePullSecret).toEqual(['old']);
    expect(plan.warnings).toEqual([
      expect.stringContaining('parameter "pull-secrets" is deprecated; use "image-pull-secrets"'),
    ]);
  });

  it('defaults the release name to the Application name, and leaves out what is not set', () => {
    const plan = planGenerate({ ARGOCD_APP_NAME: 'logging' }, app);
    expect(plan.flags).toEqual({});
    expect(helmTemplateArgs(plan.request)).toEqual(['template', '--', 'logging', '.']);
    expect(helmTemplateArgs(planGenerate({}, app).request)).toEqual(['template', '--', '.']);
  });

  it('uses an eck-airgap.yaml in the Application directory only when it stays inside', () => {
    const dir = join(temp, 'with-config');
    mkdirSync(dir);
    symlinkSync(join(temp, 'secret.yaml'), join(dir, 'eck-airgap.yaml'));
    expect(() => planGenerate({}, dir)).toThrow(/The config file "eck-airgap.yaml" is a symbolic link .* outside/);
    // The sidecar's own ECK_AIRGAP_CONFIG wins and is the administrator's: not checked here.
    expect(planGenerate({ ECK_AIRGAP_CONFIG: '/etc/eck-airgap.yaml' }, app).flags.config).toBeUndefined();
    expect(planGenerate({ ARGOCD_ENV_ECK_AIRGAP_CONFIG: 'values-prod.yaml' }, app).flags.config).toBe(
      join(app, 'values-prod.yaml'),
    );
  });
});

describe('the checks', () => {
  it('release names: Helm rule, from the parameter or the Application name', () => {
    expect(checkReleaseName('a.b-c', 'ignored')).toBe('a.b-c');
    expect(checkReleaseName('', 'app')).toBe('app');
    expect(checkReleaseName(undefined, undefined)).toBeUndefined();
    expect(checkReleaseName('a'.repeat(53), undefined)).toHaveLength(53);
    for (const bad of ['-n', '--post-renderer=/bin/sh', 'A', 'a_b', 'a..b', 'a-', 'a b', 'a\n', 'a'.repeat(54)]) {
      expect(() => checkReleaseName(bad, undefined), bad).toThrow(
        /parameter release-name .* is not a Helm release name/,
      );
    }
    expect(() => checkReleaseName(undefined, 'argocd_logging')).toThrow(
      /ARGOCD_APP_NAME.*Set the release-name parameter/,
    );
  });

  it('namespaces, Kubernetes versions and API versions', () => {
    expect(checkNamespace('elastic-system')).toBe('elastic-system');
    for (const bad of ['-n', 'Elastic', 'a.b', 'a'.repeat(64), ''])
      expect(() => checkNamespace(bad), bad).toThrow(/not a Kubernetes namespace/);
    for (const good of ['1.31.0', 'v1.30.4', '1.29.3k3s1', '1.28.5-eks-5e0fdde'])
      expect(checkKubeVersion(good)).toBe(good);
    for (const bad of ['--post-renderer=/bin/sh', 'latest', '1', '1.2 '])
      expect(() => checkKubeVersion(bad), bad).toThrow(/not a Kubernetes version/);
    expect(checkApiVersions(' v1 ,apps/v1/Deployment,, ')).toEqual(['v1', 'apps/v1/Deployment']);
    expect(() => checkApiVersions('v1,-x')).toThrow(/KUBE_API_VERSIONS entry "-x"/);
    expect(() => checkApiVersions('v1,a b')).toThrow(/KUBE_API_VERSIONS entry "a b"/);
  });

  it("helm-set keys and values, with Argo CD's comma escaping", () => {
    expect(checkSetKey('image.tag')).toBe('image.tag');
    expect(checkSetKey('a\\.b[0]')).toBe('a\\.b[0]');
    for (const bad of ['', 'a=b', 'a,b', 'a b', 'a\nb']) expect(() => checkSetKey(bad), bad).toThrow(/helm-set: key/);
    expect(escapeSetValue('a,b\\,c')).toBe('a\\,b\\,c');
    expect(escapeSetValue('{a,b}')).toBe('{a,b}');
    expect(escapeSetValue('--post-renderer=/bin/sh')).toBe('--post-renderer=/bin/sh');
  });

  it('ubi-only', () => {
    expect(checkUbiOnly(undefined)).toBe(false);
    expect(checkUbiOnly(' TRUE ')).toBe(true);
    expect(checkUbiOnly('no')).toBe(false);
    // The one boolean rule of every source (config/rules.ts parseBoolean): on/off and 1/0 too, for strict as well.
    expect(checkUbiOnly('on')).toBe(true);
    expect(checkBoolean('strict', '1')).toBe(true);
    expect(checkBoolean('strict', 'off')).toBe(false);
    expect(() => checkBoolean('strict', 'sure')).toThrow(/parameter strict must be a boolean/);
    expect(() => checkUbiOnly('maybe')).toThrow(
      /ubi-only must be a boolean \(accepted: true\/false, yes\/no, on\/off, 1\/0\), not "maybe"/,
    );
  });
});

describe('paths', () => {
  it('keeps values files inside the Application directory, by real path', () => {
    expect(containedPath(app, 'values-prod.yaml', 'f')).toBe(join(app, 'values-prod.yaml'));
    expect(containedPath(app, './sub/../values-prod.yaml', 'f')).toBe(join(app, 'values-prod.yaml'));
    expect(containedPath(app, 'inside-link.yaml', 'f')).toBe(join(app, 'values-prod.yaml'));
    const cases: Array<[string, RegExp]> = [
      ['/etc/passwd', /is an absolute path/],
      ['~/x', /is an absolute path/],
      ['../shared.yaml', /leads out of the directory with ".."/],
      ['sub/../../shared.yaml', /leads out/],
      ['http://example.invalid/v.yaml', /is a URL/],
      ['missing.yaml', /does not exist/],
      ['', /is empty/],
      ['a\u0000b', /control character/],
    ];
    for (const [given, message] of cases)
      expect(() => containedPath(app, given, 'values file'), given).toThrow(message);
  });

  it('finds the repository root from ARGOCD_APP_SOURCE_PATH, and links leading out of it', () => {
    const root = join(temp, 'repo');
    expect(repositoryRoot(app, 'apps/stack')).toBe(root);
    expect(repositoryRoot(app, 'apps/stack/')).toBe(root);
    expect(repositoryRoot(app, '.')).toBe(app);
    expect(repositoryRoot(app, 'other/path')).toBe(app);
    expect(repositoryRoot(app, '../x')).toBe(app);
    expect(linkLeadingOutside(app, root)).toBeUndefined();
    const dir = join(temp, 'repo', 'apps', 'leaky');
    mkdirSync(join(dir, 'templates'), { recursive: true });
    symlinkSync('../shared.yaml', join(dir, 'shared.yaml'));
    expect(linkLeadingOutside(dir, root)).toBeUndefined();
    symlinkSync(join(temp, 'secret.yaml'), join(dir, 'templates', 'secret.yaml'));
    expect(linkLeadingOutside(dir, root)).toEqual({
      link: join('templates', 'secret.yaml'),
      target: join(temp, 'secret.yaml'),
    });
    expect(() => planGenerate({ ARGOCD_APP_SOURCE_PATH: 'apps/leaky' }, dir)).toThrow(
      /symbolic link that leads outside the repository: "templates\/secret.yaml"/,
    );
  });
});

describe('the registry parameter with a path (a Harbor project)', () => {
  it('reaches render as the registry flag, and the settings accept host[:port]/path', async () => {
    const { loadSettings } = await import('../../src/config/load-settings.js');
    const plan = planGenerate(
      {
        ARGOCD_APP_NAME: 'logging',
        ARGOCD_APP_NAMESPACE: 'observability',
        ARGOCD_APP_SOURCE_PATH: 'apps/stack',
        ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'registry', string: 'harbor.corp:8443/elastic/eck' }]),
      },
      app,
    );
    expect(plan.flags.registry).toBe('harbor.corp:8443/elastic/eck');
    const settings = await loadSettings({ flags: plan.flags, env: {}, cwd: temp, requireRegistry: true });
    expect(settings.registry).toBe('harbor.corp:8443/elastic/eck');
  });
});
