// The sidecar definition (argocd/Dockerfile, the Kustomize component, the argo-cd chart values), read as files (the
// image itself is built with buildah in test/e2e/argocd-image.test.ts). It cannot be built
// or deployed here (no container engine, no cluster). What can be checked is checked: every file the image copies
// exists and is in its build context, the entrypoint, user and paths are the ones argocd-cmp-server and
// plugin.yaml expect, and the Kustomize component (rendered with the real kubectl) and the Helm values add the
// same sidecar with Argo CD's standard volumes.
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { KNOWN_PARAMETERS } from '../../src/argocd/generate.js';
import { loadPluginConfig, repoRoot } from '../support/cmp-harness.js';
import { release, version, type Release } from '../support/release.js';

const argocd = join(repoRoot, 'argocd');
const cmpServer = '/var/run/argocd/argocd-cmp-server';
const pluginConfigInImage = '/home/argocd/cmp-server/config/plugin.yaml';

interface Instruction {
  keyword: string;
  rest: string;
}

async function dockerfile(): Promise<Instruction[]> {
  const text = (await readFile(join(argocd, 'Dockerfile'), 'utf8')).replace(/\\\n/g, ' ');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), rest: rest.join(' ') };
    });
}

interface Container {
  name: string;
  image: string;
  command: string[];
  securityContext: { runAsUser: number; runAsNonRoot: boolean };
  volumeMounts: Array<{ name: string; mountPath: string }>;
}

function expectStandardSidecar(container: Container | undefined): void {
  expect(container).toBeDefined();
  expect(container?.command).toEqual([cmpServer]);
  expect(container?.securityContext.runAsUser).toBe(999);
  expect(container?.securityContext.runAsNonRoot).toBe(true);
  const mounts = Object.fromEntries((container?.volumeMounts ?? []).map((mount) => [mount.mountPath, mount.name]));
  expect(mounts['/var/run/argocd']).toBe('var-files');
  expect(mounts['/home/argocd/cmp-server/plugins']).toBe('plugins');
  // Its own /tmp, never the repo-server's `tmp` volume (Argo CD's advice since 2.4).
  expect(mounts['/tmp']).toBe('eck-airgap-tmp');
}

/** The Dockerfile's stages: name (FROM … AS name, or the index) → instructions; and the global ARG defaults. */
async function stages(): Promise<{ args: Record<string, string>; stages: Map<string, Instruction[]> }> {
  const args: Record<string, string> = {};
  const result = new Map<string, Instruction[]>();
  let current: Instruction[] | undefined;
  for (const instruction of await dockerfile()) {
    if (instruction.keyword === 'FROM') {
      current = [];
      result.set(/\sAS\s+(\S+)$/i.exec(instruction.rest)?.[1] ?? String(result.size), current);
    } else if (current) {
      current.push(instruction);
    } else if (instruction.keyword === 'ARG') {
      const [name = '', value = ''] = instruction.rest.split('=');
      args[name] = value;
    }
  }
  return { args, stages: result };
}

/** ${NAME} and ${NAME:-default} with the build arguments' defaults (an empty value takes the default). */
const expand = (text: string, args: Record<string, string>): string =>
  text.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => args[name] || (fallback ?? ''));

/** A .dockerignore pattern (*, ?, [...] within one path element) as a regular expression. */
function ignorePattern(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${source}$`);
}

describe('argocd/Dockerfile', () => {
  let files: Release;
  beforeAll(async () => {
    files = await release();
  }, 900_000);

  it('copies only files the release builds, for the version in package.json, and its .dockerignore lets in only those', async () => {
    const { args, stages: all } = await stages();
    expect(args['ECK_AIRGAP_VERSION']).toBe(version);
    const copies = [...all.values()]
      .flat()
      .filter((instruction) => instruction.keyword === 'COPY' && !instruction.rest.startsWith('--from'));
    expect(copies.length).toBeGreaterThan(0);
    const ignore = (await readFile(join(argocd, 'Dockerfile.dockerignore'), 'utf8'))
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(ignore[0]).toBe('*');
    const allowed = ignore.filter((line) => line.startsWith('!')).map((line) => ignorePattern(line.slice(1)));
    const built = readdirSync(files.dir);
    // (the helm stage copies HELM_ARCHIVE, by default SHA256SUMS again as a stand-in: test/e2e/argocd-image.test.ts
    // builds it with a local Helm archive)
    const sources = [...new Set(copies.flatMap((copy) => expand(copy.rest, args).split(/\s+/).slice(0, -1)))];
    expect(allowed.some((pattern) => pattern.test('helm-v3.17.2-linux-amd64.tar.gz'))).toBe(true);
    expect(sources.sort()).toEqual(
      [basename(files.executable), basename(files.npmPackage), basename(files.sums)].sort(),
    );
    for (const source of sources) {
      expect(built, `${source} is not a file the release builds`).toContain(source);
      expect(
        allowed.some((pattern) => pattern.test(source)),
        `${source} is excluded by Dockerfile.dockerignore`,
      ).toBe(true);
    }
    // The Helm plugin (the single executable once more) stays out of the build context.
    expect(allowed.some((pattern) => pattern.test(basename(files.helmPlugin)))).toBe(false);
  });

  it('its release stage, run on the release files, checks SHA256SUMS and lays out the executable and plugin.yaml', async () => {
    const { args, stages: all } = await stages();
    const stage = all.get('release') ?? [];
    const run = stage.filter((instruction) => instruction.keyword === 'RUN');
    expect(run).toHaveLength(1);
    const dir = await mkdtemp(join(tmpdir(), 'eck-airgap-docker-release-'));
    try {
      for (const name of [basename(files.executable), basename(files.npmPackage), basename(files.sums)])
        await copyFile(join(files.dir, name), join(dir, name));
      const env = { PATH: '/usr/bin:/bin', ECK_AIRGAP_VERSION: args['ECK_AIRGAP_VERSION'] ?? '', TARGETARCH: 'amd64' };
      // What `docker build` runs in the release stage (WORKDIR /release holds the copied files), here with sh.
      const result = await execa('/bin/sh', ['-c', run[0]!.rest], { cwd: dir, env, extendEnv: false, reject: false });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain(`eck-airgap-${version}-linux-x64: OK`);
      // (Buffer.equals: a deep equality over 100 MB would take minutes.)
      expect(
        (await readFile(join(dir, 'rootfs', 'usr', 'local', 'bin', 'eck-airgap'))).equals(
          await readFile(files.executable),
        ),
      ).toBe(true);
      expect(await readFile(join(dir, 'rootfs', 'home', 'argocd', 'cmp-server', 'config', 'plugin.yaml'), 'utf8')).toBe(
        await readFile(join(argocd, 'plugin.yaml'), 'utf8'),
      );
      // A changed executable fails the build.
      await writeFile(join(dir, basename(files.executable)), 'not the release\n');
      await rm(join(dir, 'rootfs'), { recursive: true });
      const tampered = await execa('/bin/sh', ['-c', run[0]!.rest], { cwd: dir, env, extendEnv: false, reject: false });
      expect(tampered.exitCode).not.toBe(0);
      expect(tampered.stdout + tampered.stderr).toContain('FAILED');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('downloads Helm and checks its SHA-256 before installing it; no node, no npm', async () => {
    const { args, stages: all } = await stages();
    expect(args['HELM_VERSION']).toMatch(/^v\d+\.\d+\.\d+$/);
    const script = (all.get('helm') ?? [])
      .filter((instruction) => instruction.keyword === 'RUN')
      .map((instruction) => instruction.rest)
      .join('\n');
    expect(script).toContain('https://get.helm.sh/${archive}');
    expect(script.indexOf('sha256sum -c')).toBeGreaterThan(0);
    expect(script.indexOf('sha256sum -c')).toBeLessThan(script.indexOf('tar -xzf'));
    const text = await readFile(join(argocd, 'Dockerfile'), 'utf8');
    const instructions = text
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
    expect(instructions).not.toMatch(/\b(node|npm)\b/);
  });

  it('runs argocd-cmp-server as user 999 with the plugin config where cmp-server reads it', async () => {
    const instructions = await dockerfile();
    const last = <K extends string>(keyword: K) =>
      instructions.filter((instruction) => instruction.keyword === keyword).at(-1)?.rest;
    expect(JSON.parse(last('ENTRYPOINT') ?? '[]')).toEqual([cmpServer]);
    expect(last('USER')).toMatch(/^999(:999)?$/);
    const copies = instructions
      .filter((instruction) => instruction.keyword === 'COPY')
      .map((instruction) => instruction.rest);
    expect(copies).toContain('--from=release --chown=999:999 /release/rootfs/home/argocd /home/argocd');
    expect(pluginConfigInImage.startsWith('/home/argocd/')).toBe(true);
  });

  it('puts every command plugin.yaml runs on PATH: eck-airgap and helm in /usr/local/bin', async () => {
    const plugin = await loadPluginConfig();
    const copies = (await dockerfile())
      .filter((instruction) => instruction.keyword === 'COPY')
      .map((instruction) => instruction.rest);
    expect(copies).toContain('--from=helm /usr/local/bin/helm /usr/local/bin/helm');
    expect(copies).toContain('--from=release /release/rootfs/usr/local/bin/eck-airgap /usr/local/bin/eck-airgap');
    const commands = [
      plugin.spec.init,
      plugin.spec.generate,
      plugin.spec.discover?.find,
      plugin.spec.parameters?.dynamic,
    ]
      .map((command) => command?.command?.[0])
      .filter((command): command is string => command !== undefined);
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(['eck-airgap', 'helm'], `plugin.yaml runs ${command}`).toContain(command);
    // plugin.yaml runs eck-airgap itself, with no shell, no node and no script: nothing a variable could touch.
    const steps = [plugin.spec.init, plugin.spec.generate].map((step) => [
      ...(step?.command ?? []),
      ...(step?.args ?? []),
    ]);
    expect(steps).toEqual([
      ['eck-airgap', 'argocd', 'init'],
      ['eck-airgap', 'argocd', 'generate'],
    ]);
  });
});

describe('argocd/plugin.yaml', () => {
  it('is the eck-airgap plugin, without a version, announcing the settings it reads', async () => {
    const plugin = await loadPluginConfig();
    expect(plugin.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(plugin.metadata.name).toBe('eck-airgap');
    expect(plugin.spec.version).toBeUndefined();
    const announced = new Map(
      (plugin.spec.parameters?.static ?? []).map((parameter) => [parameter['name'], parameter]),
    );
    // Exactly the parameters `eck-airgap argocd generate` reads.
    expect([...announced.keys()].sort()).toEqual([...KNOWN_PARAMETERS].sort());
    expect(announced.get('image-pull-secrets')?.['collectionType']).toBe('array');
    expect(announced.get('values-files')?.['collectionType']).toBe('array');
    expect(announced.get('helm-set')?.['collectionType']).toBe('map');
  });
});

describe('argocd/kustomize and argocd/helm-values.yaml', () => {
  it('the Kustomize component adds the sidecar to a stock argocd-repo-server (kubectl kustomize)', async () => {
    const kubectl = join(repoRoot, '.cache', 'kubectl', 'kubectl');
    expect(existsSync(kubectl), 'kubectl is extracted by the test set-up').toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'eck-airgap-kustomize-'));
    try {
      // The parts of Argo CD's install.yaml the patch relies on: the Deployment, its var-files and plugins volumes.
      await writeFile(
        join(dir, 'repo-server.yaml'),
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: argocd-repo-server}',
          'spec:',
          '  selector: {matchLabels: {app.kubernetes.io/name: argocd-repo-server}}',
          '  template:',
          '    metadata: {labels: {app.kubernetes.io/name: argocd-repo-server}}',
          '    spec:',
          '      containers:',
          '        - name: argocd-repo-server',
          '          image: quay.io/argoproj/argocd:v3.1.0',
          '          volumeMounts: [{name: plugins, mountPath: /home/argocd/cmp-server/plugins}, {name: tmp, mountPath: /tmp}]',
          '      volumes: [{name: var-files, emptyDir: {}}, {name: plugins, emptyDir: {}}, {name: tmp, emptyDir: {}}]',
          '',
        ].join('\n'),
      );
      await writeFile(
        join(dir, 'kustomization.yaml'),
        `resources: [repo-server.yaml]\ncomponents: [${relative(dir, join(argocd, 'kustomize'))}]\n`,
      );
      const { stdout } = await execa(kubectl, ['kustomize', dir]);
      const [deployment] = parseAllDocuments(stdout).map(
        (document) =>
          document.toJS() as {
            spec: {
              template: { spec: { containers: Container[]; volumes: Array<{ name: string; emptyDir?: object }> } };
            };
          },
      );
      const pod = deployment?.spec.template.spec;
      expect(pod?.containers.map((container) => container.name).sort()).toEqual(['argocd-repo-server', 'eck-airgap']);
      expectStandardSidecar(pod?.containers.find((container) => container.name === 'eck-airgap'));
      expect(pod?.volumes.map((volume) => volume.name).sort()).toEqual([
        'eck-airgap-tmp',
        'plugins',
        'tmp',
        'var-files',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the argo-cd chart values add the same sidecar and volume as the Kustomize patch', async () => {
    const values = parse(await readFile(join(argocd, 'helm-values.yaml'), 'utf8')) as {
      repoServer: { extraContainers: Container[]; volumes: unknown[] };
    };
    const patch = parse(await readFile(join(argocd, 'kustomize', 'repo-server-sidecar.yaml'), 'utf8')) as {
      spec: { template: { spec: { containers: Container[]; volumes: unknown[] } } };
    };
    expect(values.repoServer.extraContainers).toHaveLength(1);
    expectStandardSidecar(values.repoServer.extraContainers[0]);
    expect(values.repoServer.extraContainers).toEqual(patch.spec.template.spec.containers);
    expect(values.repoServer.volumes).toEqual(patch.spec.template.spec.volumes);
    // The chart passes extraContainers through tpl: nothing in them may look like a template.
    expect(JSON.stringify(values.repoServer)).not.toContain('{{');
  });
});
