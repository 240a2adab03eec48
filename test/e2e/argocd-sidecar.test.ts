// The sidecar definition (argocd/Dockerfile, the Kustomize component, the argo-cd chart values) cannot be built
// or deployed here (no container engine, no cluster). What can be checked is checked: every file the image copies
// exists and is in its build context, the entrypoint, user and paths are the ones argocd-cmp-server and
// plugin.yaml expect, and the Kustomize component (rendered with the real kubectl) and the Helm values add the
// same sidecar with Argo CD's standard volumes.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { KNOWN_PARAMETERS } from '../../src/argocd/generate.js';
import { loadPluginConfig, repoRoot } from '../support/cmp-harness.js';

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

describe('argocd/Dockerfile', () => {
  it('copies only files that exist and that its .dockerignore lets into the build context', async () => {
    const copies = (await dockerfile()).filter((instruction) => instruction.keyword === 'COPY' && !instruction.rest.startsWith('--from'));
    expect(copies.length).toBeGreaterThan(0);
    const allowed = (await readFile(join(argocd, 'Dockerfile.dockerignore'), 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).trim());
    for (const copy of copies) {
      const sources = copy.rest.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        expect(existsSync(join(repoRoot, source)), `${source} (COPY ${copy.rest})`).toBe(true);
        expect(allowed, `${source} is excluded by Dockerfile.dockerignore`).toContain(source);
      }
    }
  });

  it('runs argocd-cmp-server as user 999 with the plugin config where cmp-server reads it', async () => {
    const instructions = await dockerfile();
    const last = <K extends string>(keyword: K) => instructions.filter((instruction) => instruction.keyword === keyword).at(-1)?.rest;
    expect(JSON.parse(last('ENTRYPOINT') ?? '[]')).toEqual([cmpServer]);
    expect(last('USER')).toMatch(/^999(:999)?$/);
    const copies = instructions.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.rest);
    expect(copies).toContain(`argocd/plugin.yaml ${pluginConfigInImage}`);
  });

  it('puts every command plugin.yaml runs on PATH', async () => {
    const plugin = await loadPluginConfig();
    const text = await readFile(join(argocd, 'Dockerfile'), 'utf8');
    expect(text).toContain('COPY --from=helm /usr/local/bin/helm /usr/local/bin/helm');
    expect(text).toContain('ln -s /opt/eck-airgap/eck-airgap /usr/local/bin/eck-airgap');
    // plugin.yaml runs eck-airgap itself, with no shell, no node and no script: nothing a variable could touch.
    const steps = [plugin.spec.init, plugin.spec.generate].map((step) => [...(step?.command ?? []), ...(step?.args ?? [])]);
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
    const announced = new Map((plugin.spec.parameters?.static ?? []).map((parameter) => [parameter['name'], parameter]));
    // Exactly the parameters `eck-airgap argocd generate` reads.
    expect([...announced.keys()].sort()).toEqual([...KNOWN_PARAMETERS].sort());
    expect(announced.get('pull-secrets')?.['collectionType']).toBe('array');
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
      const [deployment] = parseAllDocuments(stdout).map((document) => document.toJS() as {
        spec: { template: { spec: { containers: Container[]; volumes: Array<{ name: string; emptyDir?: object }> } } };
      });
      const pod = deployment?.spec.template.spec;
      expect(pod?.containers.map((container) => container.name).sort()).toEqual(['argocd-repo-server', 'eck-airgap']);
      expectStandardSidecar(pod?.containers.find((container) => container.name === 'eck-airgap'));
      expect(pod?.volumes.map((volume) => volume.name).sort()).toEqual(['eck-airgap-tmp', 'plugins', 'tmp', 'var-files']);
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
