// Helm 3.17 and Helm 4.1 on one machine, one HOME (issue 25). Both read plugins from $HELM_DATA_HOME/plugins
// (default ~/.local/share/helm/plugins), and Helm 3 reads every plugin.yaml there strictly: once the Helm 4 plugin
// is installed the default way, every Helm 3 command prints `failed to load plugins: … unknown field "apiVersion"`.
// No single plugin.yaml is read cleanly by both (Helm 3 refuses apiVersion; Helm 4 takes a manifest without it as
// a legacy cli/v1 plugin, never a postrenderer/v1). The layout that keeps them apart: Helm 4 gets its own data home
// (HELM_DATA_HOME, which holds only plugins and starters; repositories, registry logins and the cache stay shared).
// docs/helm.md, "Helm 3 and Helm 4 on one machine".
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helmBin, repoRoot, runHelm, type HelmHome } from '../support/helm.js';
import { cliPath, runCli } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'eck-airgap-side-by-side-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One HOME, no HELM_* variables: Helm's defaults under it, as on a person's machine. */
function sharedHome(name: string): HelmHome {
  const home = join(root, name);
  mkdirSync(home);
  return {
    root: home,
    env: { HOME: home, XDG_DATA_HOME: '', XDG_CONFIG_HOME: '', XDG_CACHE_HOME: '' },
    cleanup: () => undefined,
  };
}

const chart = join(root, 'chart');
mkdirSync(join(chart, 'templates'), { recursive: true });
writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: chart\nversion: 0.1.0\n');
writeFileSync(
  join(chart, 'templates', 'es.yaml'),
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: tool\nspec:\n  template:\n    spec:\n      containers:\n        - name: t\n          image: docker.elastic.co/beats/filebeat:8.17.0\n',
);
const MIRRORED = 'image: my.registry/beats/filebeat:8.17.0';

describe('Helm 3 and Helm 4 sharing one HOME', () => {
  it('the default install of the Helm 4 plugin breaks every Helm 3 command (the problem, as Helm 3.17.2 shows it)', async () => {
    const home = sharedHome('default-way');
    const install = await runHelm(4, ['plugin', 'install', repoRoot], { home });
    expect(install.exitCode, install.stderr).toBe(0);
    const helm3 = await runHelm(3, ['plugin', 'list'], { home });
    expect(helm3.stderr).toMatch(/failed to load plugins: .*json: unknown field "apiVersion"/);
    // eck-airgap template, run with that Helm 3, says what the line means and how to fix it.
    const template = await runCli(['template', '--registry', 'my.registry', '--helm', helmBin(3), chart], {
      env: { ...home.env },
    });
    expect(template.exitCode, template.stderr).toBe(0);
    expect(template.stderr).toContain('failed to load plugins');
    expect(template.stderr).toContain('Helm 4 plugin manifest');
    expect(template.stderr).toContain('HELM_DATA_HOME');
  });

  it("template's note names the plugin folder Helm 3 trips on, and its first fix (helm4 plugin uninstall) leaves Helm 3 clean", async () => {
    const home = sharedHome('note-fix');
    // Installed from a folder not named eck-airgap (the release archive installs as eck-airgap-helm-plugin): a
    // fixed "<plugins>/eck-airgap" in the advice would point at nothing.
    const copy = join(home.root, 'eck-airgap-helm-plugin');
    mkdirSync(copy);
    writeFileSync(join(copy, 'plugin.yaml'), readFileSync(join(repoRoot, 'plugin.yaml')));
    const install = await runHelm(4, ['plugin', 'install', copy], { home });
    expect(install.exitCode, install.stderr).toBe(0);
    const template = await runCli(['template', '--registry', 'my.registry', '--helm', helmBin(3), chart], {
      env: { ...home.env },
    });
    expect(template.exitCode, template.stderr).toBe(0);
    const folder = join(home.root, '.local', 'share', 'helm', 'plugins', 'eck-airgap-helm-plugin');
    const note = template.stderr.split('\n').find((line) => line.startsWith('eck-airgap: note:'));
    expect(note).toContain(`(${folder})`);
    expect(note).toContain(`rm -r "${folder}"`);
    expect(note).toContain('helm4 plugin uninstall eck-airgap');

    const uninstall = await runHelm(4, ['plugin', 'uninstall', 'eck-airgap'], { home });
    expect(uninstall.exitCode, uninstall.stderr).toBe(0);
    const list3 = await runHelm(3, ['plugin', 'list'], { home });
    expect(list3.exitCode).toBe(0);
    expect(list3.stderr).toBe('');
  });

  it('Helm 4 with its own data home: Helm 3 stays clean, and both post-render with eck-airgap', async () => {
    const home = sharedHome('apart');
    const helm4 = { ...home, env: { ...home.env, HELM_DATA_HOME: join(home.root, '.local', 'share', 'helm4') } };
    const install = await runHelm(4, ['plugin', 'install', repoRoot], { home: helm4 });
    expect(install.exitCode, install.stderr).toBe(0);
    const list4 = await runHelm(4, ['plugin', 'list'], { home: helm4 });
    expect(list4.stdout).toMatch(/^eck-airgap\s+0\.1\.0\s+postrenderer\/v1/m);

    const list3 = await runHelm(3, ['plugin', 'list'], { home });
    expect(list3.exitCode).toBe(0);
    expect(list3.stderr).toBe('');

    const by3 = await runHelm(
      3,
      ['template', 'rel', chart, '--post-renderer', cliPath, '--post-renderer-args=--registry=my.registry'],
      { home },
    );
    expect(by3.exitCode, by3.stderr).toBe(0);
    expect(by3.stderr).not.toContain('failed to load plugins');
    expect(by3.stdout).toContain(MIRRORED);
    const by4 = await runHelm(
      4,
      ['template', 'rel', chart, '--post-renderer', 'eck-airgap', '--post-renderer-args=--registry=my.registry'],
      { home: helm4 },
    );
    expect(by4.exitCode, by4.stderr).toBe(0);
    expect(by4.stdout).toContain(MIRRORED);

    // Only the plugins are apart: repositories and registry logins are the same files for both.
    const env3 = await runHelm(3, ['env'], { home });
    const env4 = await runHelm(4, ['env'], { home: helm4 });
    const value = (text: string, name: string): string | undefined =>
      new RegExp(`^${name}="([^"]*)"`, 'm').exec(text)?.[1];
    for (const name of ['HELM_REPOSITORY_CONFIG', 'HELM_REGISTRY_CONFIG', 'HELM_CACHE_HOME'])
      expect(value(env4.stdout, name), name).toBe(value(env3.stdout, name));
    expect(value(env4.stdout, 'HELM_PLUGINS')).not.toBe(value(env3.stdout, 'HELM_PLUGINS'));
  });
});
