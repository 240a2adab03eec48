// Held-out operator manifests (issue 22's review): each bullet of "What to build" checked on manifests written the
// way users have them — not the chart's own output — through the real CLI. The render inputs are
// charts-test/cases/render/heldout-*.in.yaml (byte-compared by test/render/cases.test.ts); here images and check
// are run on them too, and on the inputs in charts-test/cases/images/heldout-*.yaml. Every expectation cites the ECK
// source (tag, file) it comes from (git -C /work/.mirror/elastic+cloud-on-k8s/repo show TAG:FILE).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runCli } from '../support/cli.js';
import { makeKey } from '../support/cosign.js';

const REG = 'my.registry';
const renderCase = (name: string): string =>
  readFileSync(join(repoRoot, 'charts-test', 'cases', 'render', `${name}.in.yaml`), 'utf8');
const imagesCase = (name: string): string =>
  readFileSync(join(repoRoot, 'charts-test', 'cases', 'images', `${name}.yaml`), 'utf8');

/** `images` as source -> target lines, sorted. */
async function listed(input: string, args: string[] = []): Promise<string[]> {
  const r = await runCli(['images', '--registry', REG, '-q', ...args], { input });
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** render, then check on the output (with checkArgs): both exit 0; returns the rendered text. */
async function renderAndCheck(input: string, checkArgs: string[] = []): Promise<string> {
  const rendered = await runCli(['--registry', REG, '-q'], { input });
  expect(rendered.exitCode, rendered.stderr).toBe(0);
  const checked = await runCli(['check', '--registry', REG, ...checkArgs], { input: rendered.stdout });
  expect(checked.exitCode, checked.stderr + checked.stdout).toBe(0);
  return rendered.stdout;
}

const D = 'docker.elastic.co';

describe('settings sources, as viper reads them (cmd/manager/main.go v2.10.0..v3.5.0)', () => {
  it('all-in-one 2.10.0, ubi-only: "true" (a string; cast.ToBool): -ubi8 everywhere, Maps not doubled (container.go v2.10.0)', async () => {
    const input = renderCase('heldout-allinone-2.10-ubi-string');
    expect(await listed(input)).toEqual([
      `${D}/eck/eck-operator:2.10.0 -> ${REG}/eck/eck-operator:2.10.0`,
      `${D}/elastic-maps-service/elastic-maps-server-ubi8:8.11.3 -> ${REG}/elastic-maps-service/elastic-maps-server-ubi8:8.11.3`,
      `${D}/elasticsearch/elasticsearch-ubi8:8.11.3 -> ${REG}/elasticsearch/elasticsearch-ubi8:8.11.3`,
      `${D}/kibana/kibana-ubi8:7.17.15 -> ${REG}/kibana/kibana-ubi8:7.17.15`,
    ]);
    const out = await renderAndCheck(input);
    expect(out).toContain('    container-registry: my.registry\n');
    expect(out).toContain('    ubi-only: "true"\n');
  });

  it('a Secret key in data and stringData: stringData is read (UBI-Only: 1) and edited; 2.16.1 naming (container.go v2.16.0)', async () => {
    const input = renderCase('heldout-secret-data-and-stringdata-2.16');
    expect(await listed(input)).toEqual([
      `${D}/eck/eck-operator:2.16.1 -> ${REG}/eck/eck-operator:2.16.1`,
      `${D}/elasticsearch/elasticsearch-ubi:8.12.0 -> ${REG}/elasticsearch/elasticsearch-ubi:8.12.0`,
      `${D}/kibana/kibana-ubi8:7.17.15 -> ${REG}/kibana/kibana-ubi8:7.17.15`,
    ]);
    const out = await renderAndCheck(input, ['--allow', 'docker.io']);
    expect(out).toMatch(/stringData:\n {2}operator\.yaml: \|\n {4}container-registry: my\.registry\n {4}UBI-Only: 1\n/);
  });

  it('envFrom over the --config file: the mirror wins by flags; UBI_ONLY "1" is UBI (AutomaticEnv, v3.5.0)', async () => {
    const input = renderCase('heldout-envfrom-over-config-3.5');
    expect(await listed(input)).toEqual([
      `${D}/eck/eck-operator:3.5.0 -> ${REG}/eck/eck-operator:3.5.0`,
      `${D}/elasticsearch/elasticsearch-ubi8:8.11.1 -> ${REG}/elasticsearch/elasticsearch-ubi8:8.11.1`,
      `${D}/elasticsearch/elasticsearch:9.1.0 -> ${REG}/elasticsearch/elasticsearch:9.1.0`,
    ]);
    const out = await renderAndCheck(input);
    expect(out).toContain('"--container-registry=my.registry"');
  });

  it('CRLF, an anchor, mixed-case keys; ECK_CONTAINER_REGISTRY and ubi_only are not read, UBI_ONLY="" is unset (v2.16.0)', async () => {
    const input = renderCase('heldout-crlf-anchors-env-names-2.16');
    expect(await listed(input)).toEqual([
      `${D}/beats/filebeat-ubi8:7.17.16-0 -> ${REG}/beats/filebeat-ubi8:7.17.16-0`,
      `${D}/eck/eck-operator:2.16.1 -> ${REG}/eck/eck-operator:2.16.1`,
    ]);
    const out = await renderAndCheck(input);
    expect(out).toContain('  eck.yaml: "Container-Registry: my.registry\\nUBI-ONLY: true\\n"\r\n');
    expect(out).not.toContain('wrong.example/');
  });

  it('a projected volume and envFrom prefixes: CONTAINER_ + REGISTRY is read, CONTAINER_UBI_ONLY / ECK_UBI_ONLY are not (v3.5.0)', async () => {
    const input = renderCase('heldout-projected-secret-envfrom-prefix-3.5');
    expect(await listed(input)).toEqual([
      `${D}/eck/eck-operator:3.5.0 -> ${REG}/eck/eck-operator:3.5.0`,
      `${D}/elasticsearch/elasticsearch:8.15.0 -> ${REG}/team-a/elasticsearch:8.15.0`,
    ]);
    await renderAndCheck(input);
  });

  it('valueFrom secretKeyRef in the stream; "--ubi-only" "false" is ubi-only=true (pflag bool, v3.4.1)', async () => {
    const input = renderCase('heldout-valuefrom-bool-flag-3.4');
    expect(await listed(input)).toEqual([
      `${D}/eck/eck-operator:3.4.1 -> ${REG}/eck/eck-operator:3.4.1`,
      `${D}/kibana/kibana-ubi:8.18.2 -> ${REG}/elastic-mirror/kibana-ubi:8.18.2`,
    ]);
    await renderAndCheck(input);
  });

  it('a subPath Secret mounted over the /conf ConfigMap directory is the file the operator reads, in either order (containerd sortMounts)', async () => {
    const input = renderCase('heldout-subpath-secret-over-configmap-dir-3.5');
    const want = [
      `${D}/eck/eck-operator:3.5.0 -> ${REG}/eck/eck-operator:3.5.0`,
      `${D}/kibana/kibana-ubi:8.15.0 -> ${REG}/kibana/kibana-ubi:8.15.0`,
    ];
    expect(await listed(input)).toEqual(want);
    const out = await renderAndCheck(input);
    expect(out).toMatch(/stringData:\n {2}eck\.yaml: \|-\n {4}container-registry: my\.registry\n {4}ubi-only: true\n/);
    // The same mounts listed the other way round.
    const swapped = input.replace(
      /( {8}- \{name: conf, mountPath: \/conf, readOnly: true\}\n)( {8}- \{name: override[^\n]*\n)/,
      '$2$1',
    );
    expect(swapped).not.toBe(input);
    expect(await listed(swapped)).toEqual(want);
    // check on the input: the Secret still names docker.elastic.co, which the operator reads.
    const checked = await runCli(['check', '--registry', REG], { input });
    expect(checked.exitCode).toBe(1);
    expect(checked.stdout).toContain(`${D}/kibana/kibana-ubi:8.15.0 (docker.elastic.co)`);
  });

  it('envFrom Secret and --config ConfigMap applied separately: named; render adds the flag; check exits 1 unless vouched', async () => {
    const input = imagesCase('heldout-unseen-sources-2.16');
    const rendered = await runCli(['--registry', REG], { input });
    expect(rendered.exitCode).toBe(0);
    expect(rendered.stdout).toContain('        - --container-registry=my.registry\n');
    expect(rendered.stderr).toContain('envFrom Secret operator-overrides, not in the stream');
    expect(rendered.stderr).toContain('key eck.yaml of ConfigMap elastic-operator, not in the stream');
    const checked = await runCli(['check', '--registry', REG], { input: rendered.stdout });
    expect(checked.exitCode).toBe(1);
    expect(checked.stdout).toMatch(/^Secret\/operator-overrides: /m);
    expect(checked.stdout).toMatch(/^ConfigMap\/elastic-operator: /m);
    const vouched = await runCli(
      [
        'check',
        '--registry',
        REG,
        '--vouch-source',
        'Secret/operator-overrides',
        '--vouch-source',
        'ConfigMap/elastic-operator',
      ],
      { input: rendered.stdout },
    );
    expect(vouched.exitCode, vouched.stderr).toBe(0);
    // --container-suffix is not added while an unseen source may set ubi-only ("must not combine", main.go v2.16.0).
    const suffixed = await runCli(['--registry', REG, '--suffix=-custom'], { input });
    expect(suffixed.exitCode).toBe(0);
    expect(suffixed.stdout).not.toContain('--container-suffix');
    expect(suffixed.stderr).toContain('--container-suffix=-custom is not added');
  });
});

describe('versions as the operator orders them (MinFor = pre-release 1, version.go v2.16.0..v3.5.0)', () => {
  const maps = (v: string): string =>
    `apiVersion: maps.k8s.elastic.co/v1alpha1\nkind: ElasticMapsServer\nmetadata: {name: m, namespace: p}\nspec: {version: ${v}}\n`;
  it.each([
    ['8.16.0-0', 'elastic-maps-server-ubi'], // below MinMapsVersionOnARM 8.16.0-1, above 8.12.0-1
    ['8.16.0-SNAPSHOT', 'elastic-maps-server'], // alphanumeric > numeric
    ['8.12.0-0', 'elastic-maps-server-ubi8'],
    ['8.12.0-alpha1', 'elastic-maps-server-ubi'],
  ])('Maps %s under 3.5.0 is %s (container.go isOlderMapsServerImg, getUBISuffix)', async (version, image) => {
    expect(await listed(maps(version), ['--eck-version', '3.5.0'])).toEqual([
      `${D}/elastic-maps-service/${image}:${version} -> ${REG}/elastic-maps-service/${image}:${version}`,
    ]);
  });
});

describe('operator releases past the newest tag, and operators without a release tag', () => {
  const op = (image: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: eck, namespace: elastic-system}\nspec:\n  template:\n    spec:\n      containers:\n      - name: manager\n        image: "${image}"\n        args: [manager]\n---\napiVersion: autoops.k8s.elastic.co/v1alpha1\nkind: AutoOpsAgentPolicy\nmetadata: {name: ao, namespace: p}\nspec: {version: 9.2.4}\n`;
  it("3.6.0 gets ECK main's rules (VERSION 3.6.0-SNAPSHOT: elastic-otel-collector, no -wolfi), with the warning", async () => {
    const r = await runCli(['images', '--registry', REG], { input: op(`${D}/eck/eck-operator:3.6.0`) });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/3\.6\.0 is past the newest release .*not released/);
    expect(r.stdout).toContain(`${D}/elastic-agent/elastic-otel-collector:9.2.4 -> `);
  });
  it.each([
    [`${D}/eck/eck-operator@sha256:${'a'.repeat(64)}`, /pinned by digest only/],
    [`${D}/eck/eck-operator:latest`, /tagged latest/],
  ])('%s is named as such, with the hint to set eckVersion', async (image, why) => {
    const r = await runCli(['images', '--registry', REG], { input: op(image) });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(why);
    expect(r.stderr).toContain('--eck-version');
    expect(r.stderr).not.toContain('no operator image');
  });
});

describe("the operator's refusals", () => {
  const res = (apiVersion: string, kind: string, version: string): string =>
    `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x, namespace: p}\nspec: {version: ${version}, count: 1, nodeSets: [{name: a, count: 1}]}\n`;
  const allThree = async (input: string, args: string[]): Promise<{ code: number[]; stderr: string }> => {
    const r = await Promise.all([
      runCli(['--registry', REG, ...args], { input }),
      runCli(['images', '--registry', REG, ...args], { input }),
      runCli(['check', '--registry', REG, ...args], { input }),
    ]);
    for (const x of r) expect(x.stdout, 'nothing on stdout').not.toContain('image:');
    return { code: r.map((x) => x.exitCode), stderr: r.map((x) => x.stderr).join('\n') };
  };

  it('with ubi-only a stack version below 7.10.0 is refused (GlobalMinStackVersion, cmd/manager/main.go v2.10.0..v3.5.0)', async () => {
    const kb = res('kibana.k8s.elastic.co/v1', 'Kibana', '7.9.3');
    const refused = await allThree(kb, ['--ubi-only', '--eck-version', '2.16.0']);
    expect(refused.code).toEqual([1, 1, 1]);
    expect(refused.stderr).toMatch(/Kibana p\/x: ECK operator 2\.16\.0 refuses spec\.version 7\.9\.3: with ubi-only/);
    // Without ubi-only, 7.9.3 is a supported Kibana (SupportedKibanaVersions 6.8.0, v2.16.0).
    expect(await listed(kb, ['--eck-version', '2.16.0'])).toEqual([
      `${D}/kibana/kibana:7.9.3 -> ${REG}/kibana/kibana:7.9.3`,
    ]);
    // ubi-only read from the operator's own config file (all-in-one 2.10.0): the Elasticsearch 7.9.3 is refused.
    const allInOne = renderCase('heldout-allinone-2.10-ubi-string').replace(/version: 8\.11\.3/g, 'version: 7.9.3');
    const check = await runCli(['check', '--registry', REG], { input: allInOne });
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toMatch(
      /Elasticsearch default\/quickstart: ECK operator 2\.10\.0 refuses spec\.version 7\.9\.3/,
    );
  });

  it.each([
    ['kibana.k8s.elastic.co/v1', 'Kibana', '7.0.1', '3.0.0', 'SupportedKibanaVersions'], // 7.1.0 from v3.0.0
    ['kibana.k8s.elastic.co/v1', 'Kibana', '9.0.0', '2.14.0', 'SupportedKibanaVersions'], // 8.99.99 before v2.15.0
    ['apm.k8s.elastic.co/v1', 'ApmServer', '6.8.0', '3.5.0', 'SupportedAPMServerVersions'], // 7.0.0 from v3.0.0
    ['maps.k8s.elastic.co/v1alpha1', 'ElasticMapsServer', '7.10.2', '2.10.0', 'SupportedMapsVersions'], // 7.11.0
    ['elasticsearch.k8s.elastic.co/v1', 'Elasticsearch', '6.8.23', '3.0.0', 'supported_versions.go'], // no 6.x from v3.0.0
    ['elasticsearch.k8s.elastic.co/v1', 'Elasticsearch', '9.0.0', '2.14.0', 'supported_versions.go'], // 9.x from v2.15.0
  ])('%s %s %s under %s is refused (%s)', async (apiVersion, kind, version, release, rule) => {
    const r = await allThree(res(apiVersion, kind, version), ['--eck-version', release]);
    expect(r.code).toEqual([1, 1, 1]);
    expect(r.stderr).toContain(`ECK operator ${release} refuses spec.version ${version}`);
    expect(r.stderr).toContain(rule);
  });

  it('Enterprise Search 9.0.0 is accepted by 2.15.0 alone (SupportedEnterpriseSearchVersions max 9.99.99 at v2.15.0, 8.99.99 at v2.14.0 and v2.16.0)', async () => {
    const ent = res('enterprisesearch.k8s.elastic.co/v1', 'EnterpriseSearch', '9.0.0');
    expect(await listed(ent, ['--eck-version', '2.15.0'])).toEqual([
      `${D}/enterprise-search/enterprise-search:9.0.0 -> ${REG}/enterprise-search/enterprise-search:9.0.0`,
    ]);
    for (const release of ['2.14.0', '2.16.0', '3.5.0']) {
      const r = await runCli(['images', '--registry', REG, '--eck-version', release], { input: ent });
      expect(r.exitCode, release).toBe(1);
      expect(r.stderr).toContain('there is no Enterprise Search 9.x');
    }
  });
});

describe('sidecars exactly when the operator creates them (v3.5.0 stackmon/monitoring/monitoring.go, beat/common/pod.go)', () => {
  it('a secretName ref makes a sidecar, a list with an empty ref none; same-named containers keep their image', async () => {
    const r = await runCli(['images', '--registry', REG, '--eck-version', '3.5.0', '-o', 'json'], {
      input: imagesCase('heldout-sidecars-3.5'),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as {
      source: string;
      usedBy: { name: string; reason: string; field: string }[];
    }[];
    const uses = (source: string): string[] =>
      (list.find((e) => e.source === source)?.usedBy ?? []).map((u) => `${u.name} ${u.reason}`).sort();
    // metricbeat default for es-ext (secretName ref), kb (container without image), hb (metrics-monitoring-sidecar),
    // and mb (a metricbeat Beat: its own default image and its sidecar).
    expect(uses(`${D}/beats/metricbeat:8.17.0`)).toEqual([
      'es-ext monitoring-sidecar',
      'hb monitoring-sidecar',
      'kb monitoring-sidecar',
      'mb monitoring-sidecar',
      'mb operator-default',
    ]);
    // No default filebeat: es-ext's logs refs hold an empty one (AreEsRefsDefined false); kb's and hb's are the user's.
    expect(uses(`${D}/beats/filebeat:8.17.0`)).toEqual([]);
    expect(uses(`${D}/beats/filebeat:8.17.1`)).toEqual(['kb container']);
    expect(uses(`${D}/beats/filebeat:8.17.2`)).toEqual(['hb container']);
    // A Beat's container named metricbeat is no sidecar there: an ordinary container, kept.
    expect(uses(`${D}/beats/metricbeat:7.0.0`)).toEqual(['hb container']);
  });
});

describe('an empty image in a pod template is no image of its own (defaulter.go WithImage, v3.5.0)', () => {
  it('a filebeat container with image "" and a metricbeat one with image null get the default sidecars', async () => {
    const input = imagesCase('heldout-empty-sidecar-image-3.5');
    expect(await listed(input, ['--eck-version', '3.5.0'])).toEqual([
      `${D}/beats/filebeat:8.15.0 -> ${REG}/beats/filebeat:8.15.0`,
      `${D}/beats/metricbeat:8.15.0 -> ${REG}/beats/metricbeat:8.15.0`,
      `${D}/kibana/kibana:8.15.0 -> ${REG}/kibana/kibana:8.15.0`,
      `${D}/logstash/logstash:8.15.0 -> ${REG}/logstash/logstash:8.15.0`,
    ]);
    const rendered = await runCli(['--registry', REG, '--eck-version', '3.5.0', '-q'], { input });
    expect(rendered.exitCode, rendered.stderr).toBe(0);
    expect(rendered.stdout).toContain('        image: ""\n');
  });
});

describe('--registry HOST:PORT/PATH and --with-diagnostics', () => {
  it('render, images and check name every image under harbor.corp:8443/elastic/prod (container.go: registry as a prefix)', async () => {
    const input = renderCase('heldout-allinone-2.10-ubi-string');
    const reg = 'harbor.corp:8443/elastic/prod';
    const r = await runCli(['images', '--registry', reg, '-q'], { input });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`${D}/eck/eck-operator:2.10.0 -> ${reg}/eck/eck-operator:2.10.0\n`);
    expect(r.stdout).toContain(`${D}/kibana/kibana-ubi8:7.17.15 -> ${reg}/kibana/kibana-ubi8:7.17.15\n`);
    const rendered = await runCli(['--registry', reg, '-q'], { input });
    expect(rendered.stdout).toContain(`    container-registry: ${reg}\n`);
    const checked = await runCli(['check', '--registry', reg], { input: rendered.stdout });
    expect(checked.exitCode, checked.stderr).toBe(0);
  });

  it('policy too: --with-diagnostics followed by a file is the default image and the file (the optional value swallowed it)', async () => {
    const file = join('charts-test', 'cases', 'images', 'heldout-sidecars-3.5.yaml');
    const key = makeKey('ecdsa');
    const base = ['policy', '-o', 'kyverno', '--registry', REG, '--key', key.publicFile];
    const bare = await runCli([...base, '--with-diagnostics', file]);
    expect(bare.exitCode, bare.stderr).toBe(0);
    expect(bare.stdout).toContain(`${REG}/kibana/kibana`);
    expect(bare.stdout).toContain('support-diagnostics');
    const named = await runCli([
      ...base,
      '--with-diagnostics=docker.elastic.co/eck-dev/support-diagnostics:9.3.1',
      file,
    ]);
    expect(named.exitCode, named.stderr).toBe(0);
    expect(named.stdout).toContain('support-diagnostics');
  });

  it('--with-diagnostics= with no image is a usage error (exit 2), not silently no diagnostics', async () => {
    const r = await runCli(['images', '--registry', REG, '--with-diagnostics='], {
      input: imagesCase('heldout-sidecars-3.5'),
    });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--with-diagnostics= names no image');
  });

  it('--with-diagnostics followed by a file reads the file, not stdin', async () => {
    const file = join('charts-test', 'cases', 'images', 'heldout-sidecars-3.5.yaml');
    const r = await runCli(['images', '--registry', REG, '--eck-version', '3.5.0', '--with-diagnostics', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('/support-diagnostics:');
    expect(r.stdout).toContain(`${D}/kibana/kibana:8.17.0 -> ${REG}/kibana/kibana:8.17.0`);
  });
});
