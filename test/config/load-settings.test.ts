import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, settingsFrom, type LoadOptions } from '../../src/config/load-settings.js';
import { fileSource } from '../../src/config/file-source.js';
import { configFilePath } from '../../src/config/sources.js';
import { UsageError } from '../../src/errors.js';
import type { FlagValues } from '../../src/config/sources.js';

function dirWith(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function load(flags: FlagValues = {}, env: NodeJS.ProcessEnv = {}, cwd = dirWith(), requireRegistry = true) {
  const options: LoadOptions = { flags, env, cwd, requireRegistry };
  // loadSettings, synchronously: the config file it would read, then the merge (the last test checks they agree)
  const path = configFilePath(flags.config, env, cwd);
  return settingsFrom(options, path === undefined ? undefined : fileSource(path));
}

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('loadSettings: each source', () => {
  it('reads every flag', () => {
    const s = load({
      registry: 'my.registry:5000',
      repository: 'team/elastic',
      suffix: '-wolfi',
      pullSecret: ['a', 'b', 'a'],
      sourceRegistry: ['docker.elastic.co', 'mirror.internal'],
      operatorRepository: 'ops',
      setDefaultImages: false,
      mirror: ['docker.io=my.registry:5000/dockerhub'],
      vouchSource: ['ConfigMap/op', 'Secret/s', 'ConfigMap/op'],
    });
    expect(s).toEqual({
      registry: 'my.registry:5000',
      repository: 'team/elastic',
      suffix: '-wolfi',
      imagePullSecrets: ['a', 'b'],
      sourceRegistries: ['docker.elastic.co', 'mirror.internal'],
      operatorRepository: 'ops',
      setDefaultImages: false,
      mirrors: { 'docker.io': 'my.registry:5000/dockerhub' },
      strict: false,
      vouchedSources: ['ConfigMap/op', 'Secret/s'],
    });
  });

  it('has defaults for everything but the registry', () => {
    expect(load({ registry: 'r.io' })).toEqual({
      registry: 'r.io',
      repository: undefined,
      suffix: undefined,
      imagePullSecrets: [],
      sourceRegistries: ['docker.elastic.co'],
      operatorRepository: 'eck',
      setDefaultImages: true,
      mirrors: {},
      strict: false,
    });
  });

  it('reads every ECK_AIRGAP_ variable, and the same names with the ARGOCD_ENV_ prefix', () => {
    const vars = {
      REGISTRY: 'env.registry',
      REPOSITORY: 'envrepo',
      UBI_ONLY: 'true',
      IMAGE_PULL_SECRETS: 'a, b,,c',
      SOURCE_REGISTRIES: 'docker.elastic.co,other.io',
      OPERATOR_REPOSITORY: 'ops',
      SET_DEFAULT_IMAGES: 'false',
      MIRRORS: 'docker.io=env.registry/hub',
      VOUCHED_SOURCES: 'ConfigMap/op, env/UBI_ONLY',
    };
    for (const prefix of ['ECK_AIRGAP_', 'ARGOCD_ENV_ECK_AIRGAP_']) {
      const env = Object.fromEntries(Object.entries(vars).map(([k, v]) => [prefix + k, v]));
      expect(load({}, env), prefix).toEqual({
        registry: 'env.registry',
        repository: 'envrepo',
        suffix: '-ubi',
        imagePullSecrets: ['a', 'b', 'c'],
        sourceRegistries: ['docker.elastic.co', 'other.io'],
        operatorRepository: 'ops',
        setDefaultImages: false,
        mirrors: { 'docker.io': 'env.registry/hub' },
        strict: false,
        vouchedSources: ['ConfigMap/op', 'env/UBI_ONLY'],
      });
    }
    expect(load({}, { ECK_AIRGAP_SUFFIX: '-wolfi', ECK_AIRGAP_REGISTRY: 'r.io' }).suffix).toBe('-wolfi');
  });

  it('reads the config file from -c, else $ECK_AIRGAP_CONFIG, else ./eck-airgap.yaml', () => {
    const file =
      'registry: file.registry\nrepository: filerepo\nsuffix: -wolfi\nimagePullSecrets: [x]\noperator:\n  repository: ops\nmirrors:\n  docker.io: file.registry/hub\nsetDefaultImages: false\nsourceRegistries: [docker.elastic.co]\n';
    const dir = dirWith({
      'eck-airgap.yaml': file,
      'other.yaml': 'registry: other.registry\n',
      'env.yaml': 'registry: env.registry\n',
    });
    const fromLocal = load({}, {}, dir);
    expect(fromLocal).toMatchObject({
      registry: 'file.registry',
      repository: 'filerepo',
      suffix: '-wolfi',
      imagePullSecrets: ['x'],
      operatorRepository: 'ops',
      setDefaultImages: false,
    });
    expect(fromLocal.mirrors).toEqual({ 'docker.io': 'file.registry/hub' });
    expect(load({}, { ECK_AIRGAP_CONFIG: 'env.yaml' }, dir).registry).toBe('env.registry');
    expect(load({}, { ARGOCD_ENV_ECK_AIRGAP_CONFIG: 'env.yaml' }, dir).registry).toBe('env.registry');
    expect(load({ config: 'other.yaml' }, { ECK_AIRGAP_CONFIG: 'env.yaml' }, dir).registry).toBe('other.registry');
  });
});

describe('loadSettings: precedence flags > env > file', () => {
  const dir = dirWith({
    'eck-airgap.yaml': 'registry: file.registry\nrepository: filerepo\nsuffix: -file\nimagePullSecrets: [file]\n',
  });

  it('takes each key from the highest source that sets it', () => {
    const env = { ECK_AIRGAP_REGISTRY: 'env.registry', ECK_AIRGAP_SUFFIX: '-env' };
    expect(load({}, env, dir)).toMatchObject({
      registry: 'env.registry',
      repository: 'filerepo',
      suffix: '-env',
      imagePullSecrets: ['file'],
    });
    expect(load({ registry: 'flag.registry', pullSecret: ['flag'] }, env, dir)).toMatchObject({
      registry: 'flag.registry',
      repository: 'filerepo',
      suffix: '-env',
      imagePullSecrets: ['flag'],
    });
  });

  it('prefers ECK_AIRGAP_ over ARGOCD_ENV_ECK_AIRGAP_ and ignores blank variables', () => {
    expect(
      load({}, { ECK_AIRGAP_REGISTRY: 'plain.registry', ARGOCD_ENV_ECK_AIRGAP_REGISTRY: 'argo.registry' }).registry,
    ).toBe('plain.registry');
    expect(load({}, { ECK_AIRGAP_REGISTRY: '  ', ARGOCD_ENV_ECK_AIRGAP_REGISTRY: 'argo.registry' }).registry).toBe(
      'argo.registry',
    );
  });
});

describe('loadSettings: invalid values, each named by its key', () => {
  it('names every bad flag', () => {
    const error = usageError(() =>
      load({
        registry: 'https://my.registry',
        repository: 'Upper/Case',
        suffix: 'has space',
        imagePullSecret: ['Bad_Name'],
      }),
    );
    expect(error.message).toMatch(/--registry \(registry\): not a registry host/);
    expect(error.message).toMatch(/--repository \(repository\): not a repository path/);
    expect(error.message).toMatch(/--suffix \(suffix\): not an image name suffix/);
    expect(error.message).toMatch(/--image-pull-secret \(imagePullSecrets\.0\): not a Secret name/);
  });

  it('names the environment variable, with its prefix as given', () => {
    expect(usageError(() => load({}, { ARGOCD_ENV_ECK_AIRGAP_REGISTRY: 'not a host' })).message).toMatch(
      /environment: ARGOCD_ENV_ECK_AIRGAP_REGISTRY \(registry\)/,
    );
    expect(usageError(() => load({ registry: 'r.io' }, { ECK_AIRGAP_UBI_ONLY: 'maybe' })).message).toMatch(
      /ECK_AIRGAP_UBI_ONLY="maybe" is not a boolean/,
    );
    expect(usageError(() => load({ registry: 'r.io' }, { ECK_AIRGAP_MIRRORS: 'docker.io' })).message).toMatch(
      /ECK_AIRGAP_MIRRORS.*SOURCE=DESTINATION/,
    );
  });

  it('names config file keys, wrong types and unknown keys', () => {
    const dir = dirWith({
      'eck-airgap.yaml':
        'registry: 5000\nubiOnly: "maybe"\nimagePullSecrets: regcred\noperator:\n  repo: x\ncolour: blue\nmirrors:\n  docker.io: "http://x"\n',
    });
    const message = usageError(() => load({}, {}, dir)).message;
    expect(message).toContain(`config file ${join(dir, 'eck-airgap.yaml')}`);
    for (const key of ['registry', 'ubiOnly', 'imagePullSecrets', 'operator', 'mirrors.docker.io']) {
      expect(message, key).toMatch(new RegExp(`: ${key.replace('.', '\\.')}: `));
    }
    expect(message).toMatch(/registry: expected a string, found the number 5000/);
    expect(message).toMatch(
      /ubiOnly: expected a boolean \(true\/false, yes\/no, on\/off, 1\/0\), found the string "maybe"/,
    );
    expect(message).toMatch(/imagePullSecrets: expected a list, found the string "regcred"/);
    expect(message).toMatch(/operator: unknown key repo/);
    expect(message).toMatch(/unknown key colour/);
    expect(message).not.toMatch(/Invalid input/);
  });

  it('names malformed YAML and a config file that is not a mapping', () => {
    const dir = dirWith({ 'bad.yaml': 'registry: [\n', 'list.yaml': '- registry\n' });
    expect(usageError(() => load({ config: 'bad.yaml' }, {}, dir)).message).toMatch(
      /bad\.yaml, line \d+, column \d+: not valid YAML/,
    );
    expect(usageError(() => load({ config: 'list.yaml' }, {}, dir)).message).toMatch(/expected a mapping of settings/);
    expect(usageError(() => load({ config: 'missing.yaml' }, {}, dir)).message).toMatch(
      /Cannot read config file .*missing\.yaml: ENOENT/,
    );
  });

  it('refuses ubiOnly together with a suffix other than -ubi, from any mix of sources', () => {
    expect(usageError(() => load({ registry: 'r.io', ubiOnly: true, suffix: '-wolfi' })).message).toMatch(
      /ubiOnly and suffix "-wolfi" are both set/,
    );
    expect(
      usageError(() => load({ registry: 'r.io', suffix: '-wolfi' }, { ECK_AIRGAP_UBI_ONLY: 'true' })).message,
    ).toMatch(/both set/);
    expect(load({ registry: 'r.io', ubiOnly: true, suffix: '-ubi' }).suffix).toBe('-ubi');
  });

  it('refuses a mirror that is also a source registry', () => {
    expect(usageError(() => load({ registry: 'docker.elastic.co' })).message).toMatch(/also a source registry/);
  });

  it('without a registry anywhere, names the three ways to give it', () => {
    const message = usageError(() => load()).message;
    expect(message).toContain('--registry');
    expect(message).toContain('ECK_AIRGAP_REGISTRY');
    expect(message).toContain('ARGOCD_ENV_ECK_AIRGAP_REGISTRY');
    expect(message).toMatch(/config file/);
    expect(load({}, {}, dirWith(), false).registry).toBe('');
  });

  it('lists several problems at once', () => {
    expect(usageError(() => load({ registry: 'x y', suffix: 'A' })).message).toMatch(
      /^Invalid settings:\n {2}- .*\n {2}- /,
    );
  });
});

describe('loadSettings', () => {
  it('reads the config file (loading the YAML parser for it) and merges as the sources above do', async () => {
    const cwd = dirWith({ 'eck-airgap.yaml': 'registry: file.reg:5000\nsuffix: -wolfi\n' });
    const options: LoadOptions = {
      flags: { repository: 'team' },
      env: { ECK_AIRGAP_SUFFIX: '-ubi' },
      cwd,
      requireRegistry: true,
    };
    const settings = await loadSettings(options);
    expect(settings).toMatchObject({ registry: 'file.reg:5000', repository: 'team', suffix: '-ubi' });
    expect(settings).toEqual(load(options.flags, options.env, cwd));
    await expect(loadSettings({ ...options, cwd: dirWith() })).rejects.toBeInstanceOf(UsageError);
  });
});
