// Installing what an air-gapped site installs, as the README says, in a clean HOME with nothing from this
// environment and no network:
// - the Helm 4 plugin: `helm plugin install <tgz> --keyring <pubring>` (the signature checked), then
//   `helm template --post-renderer eck-airgap` with only Helm on PATH (no node);
// - the single executable as Helm 3's post-renderer (a path), with only Helm 3 on PATH;
// - the npm package: `npm install -g --offline` with an empty npm cache, then the installed `eck-airgap`, and
//   `helm plugin install` of the installed package folder (the Helm 4 plugin that runs the launcher with node).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helmBin, installPlugin, makeHelmHome, repoRoot, runHelm } from '../support/helm.js';
import { pathWithout, release, version, type Release } from '../support/release.js';
import { runCli } from '../support/cli.js';

let files: Release;
let root: string;
beforeAll(async () => {
  files = await release();
  root = await mkdtemp(join(tmpdir(), 'eck-airgap-site-'));
}, 900_000);
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const chart = join(repoRoot, 'charts-test', 'elastic-stack');
const postRender = [
  '--post-renderer',
  'eck-airgap',
  '--post-renderer-args=--registry=my.registry:5000',
  '--post-renderer-args=--image-pull-secret=regcred',
];

/** A site's environment: its own HOME and Helm homes, the given PATH, nothing else. */
function siteEnv(name: string, path: string): Record<string, string> {
  const home = join(root, name);
  mkdirSync(home, { recursive: true });
  return {
    HOME: home,
    PATH: path,
    HELM_DATA_HOME: join(home, '.local', 'share', 'helm'),
    HELM_CONFIG_HOME: join(home, '.config', 'helm'),
    HELM_CACHE_HOME: join(home, '.cache', 'helm'),
  };
}

async function run(file: string, args: string[], env: Record<string, string>, cwd = root) {
  return execa(file, args, { env, extendEnv: false, reject: false, cwd, stdin: 'ignore', stripFinalNewline: false });
}

/** What the checkout's own Helm 4 plugin (./eck-airgap, with node) writes for the same chart and flags. */
async function reference(): Promise<string> {
  const home = makeHelmHome();
  try {
    expect((await installPlugin(home)).exitCode).toBe(0);
    const result = await runHelm(4, ['template', 'st', chart, '-n', 'elastic-stack', ...postRender], { home });
    expect(result.exitCode, result.stderr).toBe(0);
    return result.stdout;
  } finally {
    home.cleanup();
  }
}

describe('the Helm 4 plugin, installed from the release on a machine without Node.js', () => {
  it('installs with its signature checked, and post-renders with only helm on PATH', async () => {
    const path = pathWithout({ helm: helmBin(4) });
    try {
      const env = siteEnv('helm4', path.path);
      const install = await run('helm', ['plugin', 'install', files.helmPlugin, '--keyring', files.pubring], env);
      expect(install.exitCode, install.stderr).toBe(0);
      expect(install.stdout).toContain('Signed by: eck-airgap test release');
      expect(install.stdout).toContain('Installed plugin: eck-airgap');
      const list = await run('helm', ['plugin', 'list'], env);
      expect(list.stdout).toMatch(
        new RegExp(`^eck-airgap\\s+${version.replace(/\./g, '\\.')}\\s+postrenderer/v1`, 'm'),
      );

      const node = await run('node', ['--version'], env);
      expect(node.failed).toBe(true);
      const rendered = await run('helm', ['template', 'st', chart, '-n', 'elastic-stack', ...postRender], env);
      expect(rendered.exitCode, rendered.stderr).toBe(0);
      expect(rendered.stdout).toContain('image: my.registry:5000/elasticsearch/elasticsearch:');
      expect(rendered.stdout).toBe(await reference());
    } finally {
      path.cleanup();
    }
  });

  it('refuses to install when the signature cannot be checked with the keyring given', async () => {
    const path = pathWithout({ helm: helmBin(4) });
    try {
      const env = siteEnv('helm4-refused', path.path);
      // A keyring without the signing key.
      const emptyKeyring = join(root, 'empty-pubring.gpg');
      writeFileSync(emptyKeyring, '');
      const refused = await run('helm', ['plugin', 'install', files.helmPlugin, '--keyring', emptyKeyring], env);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr).toMatch(/verification failed/);
      const list = await run('helm', ['plugin', 'list'], env);
      expect(list.stdout).not.toMatch(/^eck-airgap\s/m);
    } finally {
      path.cleanup();
    }
  });
});

describe("the single executable as Helm 3's post-renderer, on a machine without Node.js", () => {
  it('helm install --post-renderer /usr/local/bin/eck-airgap: here helm template, with only helm on PATH', async () => {
    const path = pathWithout({ helm: helmBin(3) });
    try {
      const env = siteEnv('helm3', path.path);
      const args = [
        'template',
        'st',
        chart,
        '-n',
        'elastic-stack',
        '--post-renderer',
        files.executable,
        '--post-renderer-args=--registry=my.registry:5000',
      ];
      const rendered = await run('helm', args, env);
      expect(rendered.exitCode, rendered.stderr).toBe(0);
      expect(rendered.stdout).toContain('image: my.registry:5000/elasticsearch/elasticsearch:');
      const reference = await runHelm(3, [...args.slice(0, -2), join(repoRoot, 'eck-airgap'), args.at(-1)!]);
      expect(reference.exitCode, reference.stderr).toBe(0);
      expect(rendered.stdout).toBe(reference.stdout);
    } finally {
      path.cleanup();
    }
  });
});

describe('the npm package, installed offline with an empty npm cache', () => {
  it('npm install -g --offline, then the installed eck-airgap renders the render cases and is a Helm 4 plugin', async () => {
    // A PATH with node (the npm package's one requirement), npm and Helm, nothing else.
    const nodeDir = dirname(process.execPath);
    const npmCli = join(nodeDir, 'npm');
    {
      const env = siteEnv('npm', nodeDir);
      const prefix = join(root, 'npm-prefix');
      const cache = join(root, 'npm-empty-cache');
      mkdirSync(cache);
      const install = await run(
        npmCli,
        [
          'install',
          '-g',
          '--offline',
          '--no-audit',
          '--no-fund',
          '--prefix',
          prefix,
          '--cache',
          cache,
          files.npmPackage,
        ],
        env,
      );
      expect(install.exitCode, install.stderr).toBe(0);
      expect(install.stdout).toMatch(/added 1 package/);
      const bin = join(prefix, 'bin', 'eck-airgap');

      const render = join(repoRoot, 'charts-test', 'cases', 'render');
      // The cases with an expected output (a refused case has NAME.err.txt instead).
      const cases = readdirSync(render).filter(
        (name) => name.endsWith('.in.yaml') && existsSync(join(render, name.replace(/\.in\.yaml$/, '.out.yaml'))),
      );
      expect(cases.length).toBeGreaterThan(0);
      for (const name of cases) {
        const base = name.slice(0, -'.in.yaml'.length);
        const args = readFileSync(join(render, `${base}.args`), 'utf8')
          .split('\n')
          .filter(Boolean);
        const result = await runCli(args, {
          command: bin,
          bareEnv: true,
          env,
          input: readFileSync(join(render, name)),
        });
        expect(result.exitCode, result.stderr).toBe(0);
        expect(result.stdout).toBe(readFileSync(join(render, `${base}.out.yaml`), 'utf8'));
      }

      // The package folder is also the Helm 4 plugin for sites that have node (plugin.yaml runs the launcher).
      const helmPath = pathWithout({ helm: helmBin(4) });
      try {
        const helmEnv = { ...env, PATH: `${helmPath.path}:${nodeDir}` };
        const plugin = await run(
          'helm',
          ['plugin', 'install', join(prefix, 'lib', 'node_modules', 'eck-airgap')],
          helmEnv,
        );
        expect(plugin.exitCode, plugin.stderr).toBe(0);
        const rendered = await run('helm', ['template', 'st', chart, '-n', 'elastic-stack', ...postRender], helmEnv);
        expect(rendered.exitCode, rendered.stderr).toBe(0);
        expect(rendered.stdout).toBe(await reference());
      } finally {
        helmPath.cleanup();
      }
    }
  });
});
