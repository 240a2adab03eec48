// Helm 3.17.2, for real: `--post-renderer ./eck-airgap` (a path to the executable), from the repository and
// from elsewhere, with arguments only through --post-renderer-args; the plugin route fails under Helm 3.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHelmHome, repoRoot, runHelm } from '../support/helm.js';
import {
  CHARTS,
  MIRROR,
  assertMirrored,
  chartLabel,
  chartPath,
  expectedStackImages,
  imageTable,
  isHook,
  operatorCaseChart,
  assertOperatorCase,
  operatorCases,
  renderPair,
  templateArgs,
} from '../support/helm-charts.js';
import { imagesOf, imagesOfStream, pullSecretsOf, registryOf, splitDocuments } from '../support/helm-output.js';
import { cliPath } from '../support/cli.js';

const REGISTRY_ARG = `--post-renderer-args=--registry=${MIRROR}`;

let elsewhere: string;
beforeAll(() => {
  elsewhere = mkdtempSync(join(tmpdir(), 'eck-airgap-helm3-cwd-'));
});
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

describe('Helm 3: --post-renderer ./eck-airgap', () => {
  for (const chart of CHARTS) {
    it(`mirrors every image Helm 3 sends: ${chartLabel(chart)} (run in the repository)`, async () => {
      const pair = await renderPair({
        major: 3,
        chart,
        postRenderer: ['--post-renderer', './eck-airgap', REGISTRY_ARG],
      });
      expect(pair.rendered.length).toBeGreaterThan(0);
      assertMirrored(3, pair);
    });

    it(`works from another working directory: ${chartLabel(chart)}`, async () => {
      // A relative path from elsewhere, as a user in their own project folder would type it.
      const launcher = relative(elsewhere, cliPath);
      expect(launcher.startsWith('..')).toBe(true);
      const pair = await renderPair({
        major: 3,
        chart,
        cwd: elsewhere,
        postRenderer: ['--post-renderer', launcher, REGISTRY_ARG],
      });
      assertMirrored(3, pair);
    });
  }

  it('leaves the pre-install hook Job on docker.elastic.co: Helm 3.17 does not post-render hooks', async () => {
    const chart = CHARTS.find((c) => c.name === 'elastic-stack')!;
    const pair = await renderPair({ major: 3, chart, postRenderer: ['--post-renderer', './eck-airgap', REGISTRY_ARG] });
    const hooks = pair.rendered.filter(isHook);
    expect(hooks.map((d) => `${d.kind}/${d.name}`)).toEqual(['Job/st-preflight']);
    expect(imagesOf(hooks[0]!).map((s) => s.image)).toEqual(['docker.elastic.co/elasticsearch/elasticsearch:8.17.0']);
    // ... and it is the only image left there: everything else moved.
    const left = imagesOfStream(pair.rendered).filter((s) => registryOf(s.image) === 'docker.elastic.co');
    expect(left.map((s) => s.resource)).toEqual(['Job/st-preflight']);
  });

  it('writes exactly the images the operator would pull, on the mirror (elastic-stack)', async () => {
    const chart = CHARTS.find((c) => c.name === 'elastic-stack')!;
    const pair = await renderPair({ major: 3, chart, postRenderer: ['--post-renderer', './eck-airgap', REGISTRY_ARG] });
    const table = imageTable(pair.rendered);
    const plain = imageTable(pair.plain);
    const expected = expectedStackImages();
    for (const entry of expected) {
      const key = `${entry.resource} ${entry.field}`;
      const want = entry.helm3 === 'unchanged' ? plain.get(key) : entry.image;
      expect(table.get(key), key).toBe(want);
    }
    expect([...table.keys()].sort()).toEqual(expected.map((e) => `${e.resource} ${e.field}`).sort());
  });

  for (const operatorCase of operatorCases()) {
    it(`points the operator and its eck.yaml at the mirror: ${operatorCase.name}`, async () => {
      const pair = await renderPair({
        major: 3,
        chart: operatorCaseChart(operatorCase),
        postRenderer: ['--post-renderer', './eck-airgap', REGISTRY_ARG],
      });
      assertOperatorCase(3, pair, operatorCase);
    });
  }

  it('finds ./eck-airgap.yaml in the working directory: pull secrets and a Docker Hub mirror', async () => {
    const cwd = join(elsewhere, 'with-config');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(
      join(cwd, 'eck-airgap.yaml'),
      [`registry: ${MIRROR}`, 'imagePullSecrets: [regcred]', 'mirrors:', `  docker.io: ${MIRROR}/dockerhub`, ''].join(
        '\n',
      ),
    );
    for (const chart of CHARTS) {
      const pair = await renderPair({ major: 3, chart, cwd, postRenderer: ['--post-renderer', cliPath] });
      assertMirrored(3, pair);
      for (const document of pair.rendered) {
        const sites = imagesOf(document);
        if (isHook(document)) continue;
        for (const site of sites) expect(site.image, `${site.resource} ${site.field}`).toMatch(/^my\.registry\//);
        if (sites.length === 0) continue;
        const lists = [...pullSecretsOf(document).values()];
        expect(
          lists.some((names) => names.includes('regcred')),
          `${document.kind}/${document.name}`,
        ).toBe(true);
      }
      // Docker Hub short names are docker.io/library/…: the mirror keeps that path.
      const nginx = imageTable(pair.rendered).get('Deployment/st-tools spec.template.spec.containers[0].image');
      if (chart.name === 'elastic-stack') expect(nginx).toBe('my.registry/dockerhub/library/nginx:1.27.3');
    }
  });

  it('takes a config file through --post-renderer-args (--config FILE)', async () => {
    const config = join(elsewhere, 'airgap.yaml');
    writeFileSync(
      config,
      'registry: mirror.example.internal:5000\nrepository: elastic\nimagePullSecrets: [pull-a, pull-b]\n',
    );
    const chart = CHARTS.find((c) => c.name === 'elastic-stack')!;
    const pair = await renderPair({
      major: 3,
      chart,
      cwd: elsewhere,
      postRenderer: ['--post-renderer', cliPath, `--post-renderer-args=--config=${config}`],
    });
    assertMirrored(3, pair, 'mirror.example.internal:5000');
    const table = imageTable(pair.rendered);
    expect(table.get('Elasticsearch/st-es spec.image')).toBe(
      'mirror.example.internal:5000/elastic/elasticsearch:8.17.0',
    );
    const kibana = pair.rendered.find((d) => d.kind === 'Kibana')!;
    expect([...pullSecretsOf(kibana).values()]).toContainEqual(['pull-a', 'pull-b']);
  });

  it('runs eck-airgap found on PATH (an npm bin symlink) as --post-renderer eck-airgap', async () => {
    const bin = join(elsewhere, 'bin');
    mkdirSync(bin, { recursive: true });
    rmSync(join(bin, 'eck-airgap'), { force: true });
    symlinkSync(cliPath, join(bin, 'eck-airgap'));
    const chart = CHARTS.find((c) => c.name === 'elastic-stack')!;
    const pair = await renderPair({
      major: 3,
      chart,
      cwd: elsewhere,
      env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
      postRenderer: ['--post-renderer', 'eck-airgap', REGISTRY_ARG],
    });
    assertMirrored(3, pair);
  });

  it("shows eck-airgap's own message when it fails (no registry anywhere)", async () => {
    const chart = CHARTS.find((c) => c.name === 'elastic-stack')!;
    const result = await runHelm(3, templateArgs(chart, ['--post-renderer', cliPath]), { cwd: elsewhere });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/error while running post render/);
    expect(result.stderr).toMatch(/registry/i);
    expect(result.stderr).toMatch(/exit status 2/);
  });
});

describe('Helm 3: the Helm 4 plugin route does not work', () => {
  it('helm plugin install <repo> fails: Helm 3 does not know plugin.yaml apiVersion v1', async () => {
    const home = makeHelmHome();
    try {
      const install = await runHelm(3, ['plugin', 'install', repoRoot], { home });
      expect(install.exitCode).toBe(1);
      expect(install.stderr).toContain('plugin is installed but unusable');
      expect(install.stderr).toContain('json: unknown field "apiVersion"');
      // It leaves a broken link behind; every later Helm 3 command complains until it is removed by hand.
      const list = await runHelm(3, ['plugin', 'list'], { home });
      expect(list.stderr).toContain('failed to load plugins');
      const uninstall = await runHelm(3, ['plugin', 'uninstall', 'eck-airgap'], { home });
      expect(uninstall.exitCode).not.toBe(0);
      // And a plugin name is not a post-renderer in Helm 3: it wants an executable.
      const chart = CHARTS.find((c) => c.name === 'eck-operator-lite')!;
      const byName = await runHelm(3, templateArgs(chart, ['--post-renderer', 'eck-airgap', REGISTRY_ARG]), {
        home,
        cwd: elsewhere,
      });
      expect(byName.exitCode).not.toBe(0);
      expect(byName.stderr).toContain('unable to find binary at eck-airgap');
    } finally {
      home.cleanup();
    }
  });

  it('keeps the chart in charts-test valid for plain Helm 3 (sanity: documents without the post-renderer)', async () => {
    for (const chart of CHARTS) {
      const result = await runHelm(3, templateArgs(chart, [], chartPath(chart)));
      expect(result.exitCode).toBe(0);
      expect(splitDocuments(result.stdout).length).toBeGreaterThan(2);
    }
  });
});
