// The real CLI over the ECK operator's own settings and release, source by source: manager flags
// (`--flag=value`, `--flag value`, bare and `=false` booleans), environment variables with literal values (and
// `valueFrom`, an error), the eck.yaml of the ConfigMap mounted for `--config`, the operator's precedence
// (flags > env > file > default), and the release (operator image tag > eckVersion > newest known). For every
// case render, `images` and `check` must agree with the operator.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../support/cli.js';

const REG = 'my.reg:5000';

interface Manager {
  image?: string;
  args?: string[];
  env?: Record<string, string | { secret: string }>;
  /** The --config flag and the mount of the ConfigMap `elastic-operator` at /conf. */
  mountConfig?: boolean;
}

function manager(m: Manager = {}): string {
  const image = m.image ?? 'docker.elastic.co/eck/eck-operator:3.5.0';
  const args = ['manager', ...(m.mountConfig ? ['--config=/conf/eck.yaml'] : []), ...(m.args ?? [])];
  let text =
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: elastic-operator\n  namespace: elastic-system\nspec:\n  template:\n    spec:\n' +
    `      containers:\n      - image: "${image}"\n        name: manager\n        args:\n${args.map((a) => `        - "${a}"\n`).join('')}`;
  if (m.env) {
    text += '        env:\n';
    for (const [name, value] of Object.entries(m.env)) {
      text +=
        typeof value === 'string'
          ? `        - name: ${name}\n          value: "${value}"\n`
          : `        - name: ${name}\n          valueFrom:\n            secretKeyRef:\n              name: ${value.secret}\n              key: k\n`;
    }
  }
  if (m.mountConfig) {
    text += '        volumeMounts:\n        - mountPath: "/conf"\n          name: conf\n          readOnly: true\n';
    text += '      volumes:\n      - name: conf\n        configMap:\n          name: elastic-operator\n';
  }
  return text;
}

function configMap(eck: string, name = 'elastic-operator'): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: elastic-system\ndata:\n  eck.yaml: |-\n${eck.replace(/^/gm, '    ')}\n`;
}

function resource(kind: string, group: string, version: string, name = 'x'): string {
  return `apiVersion: ${group}/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: stack\nspec:\n  version: ${version}\n`;
}
const kibana = (v = '8.16.1') => resource('Kibana', 'kibana.k8s.elastic.co', v, 'kb');
const elasticsearch = (v = '8.16.1') => resource('Elasticsearch', 'elasticsearch.k8s.elastic.co', v, 'es');
const agent = (v: string) => resource('Agent', 'agent.k8s.elastic.co', v, 'agent');
const autoops = (v = '9.2.1') => resource('AutoOpsAgentPolicy', 'autoops.k8s.elastic.co', v, 'autoops');

const stream = (...docs: string[]): string => docs.join('---\n');

async function run(args: string[], input: string, env: Record<string, string> = {}) {
  return runCli(args, { input, env });
}

/** spec.image of every Elastic resource render wrote, by name. */
function specImages(out: string): Record<string, string> {
  const images: Record<string, string> = {};
  for (const doc of parseAllDocuments(out)) {
    const r = doc.toJS() as { metadata?: { name?: string }; spec?: { image?: string } } | null;
    if (r?.spec?.image && r.metadata?.name) images[r.metadata.name] = r.spec.image;
  }
  return images;
}

function managerArgs(out: string): string[] {
  for (const doc of parseAllDocuments(out)) {
    const r = doc.toJS() as {
      kind?: string;
      spec?: { template?: { spec?: { containers?: { args?: string[] }[] } } };
    } | null;
    if (r?.kind === 'StatefulSet') return r.spec!.template!.spec!.containers![0]!.args ?? [];
  }
  return [];
}

/**
 * Renders, lists the images of the input and of the output, and checks the output: all four must say the same
 * image for each resource. Returns the rendered images by resource name and the rendered text.
 */
async function agree(
  input: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ images: Record<string, string>; out: string; stderr: string }> {
  const rendered = await run(['render', '--registry', REG, ...args], input, env);
  expect(rendered.exitCode, rendered.stderr).toBe(0);
  const images = specImages(rendered.stdout);
  const before = await run(['images', '--registry', REG, '-o', 'json', ...args], input, env);
  expect(before.exitCode, before.stderr).toBe(0);
  const after = await run(['images', '--registry', REG, '-o', 'json', ...args], rendered.stdout, env);
  expect(after.exitCode, after.stderr).toBe(0);
  const targets = (text: string): string[] =>
    (JSON.parse(text) as { target: string; usedBy: { reason: string }[] }[])
      .filter((e) => e.usedBy.some((u) => u.reason !== 'operator'))
      .map((e) => e.target)
      .sort();
  const wanted = Object.values(images).sort();
  expect(targets(before.stdout)).toEqual(wanted);
  expect(targets(after.stdout)).toEqual(wanted);
  // check reads the operator of the rendered stream: it must pull everything from the mirror.
  const check = await run(['check', '--registry', REG], rendered.stdout, env);
  expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  return { images, out: rendered.stdout, stderr: rendered.stderr };
}

describe('manager flags', () => {
  it('the issue example: --container-repository=elastic --ubi-only, no ConfigMap', async () => {
    const { images, out } = await agree(
      stream(manager({ args: ['--container-repository=elastic', '--ubi-only'] }), kibana()),
    );
    expect(images.kb).toBe(`${REG}/elastic/kibana-ubi:8.16.1`);
    // No source pointed the operator at a registry: the flag is added, so it pulls from the mirror.
    expect(managerArgs(out)).toEqual([
      'manager',
      '--container-repository=elastic',
      '--ubi-only',
      `--container-registry=${REG}`,
    ]);
  });

  it('--ubi-only=false with a suffix: set all the same (viper IsSet), so the operator refuses to start, exit 1', async () => {
    const r = await run(
      ['render', '--registry', REG],
      stream(manager({ args: ['--container-suffix', '-wolfi', '--ubi-only=false'] }), kibana()),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
  });

  it('--flag value form rewrites the value argument', async () => {
    const { images, out } = await agree(
      stream(
        manager({ args: ['--container-registry', 'docker.elastic.co', '--container-suffix', '-wolfi'] }),
        kibana(),
      ),
    );
    expect(images.kb).toBe(`${REG}/kibana/kibana-wolfi:8.16.1`);
    expect(managerArgs(out)).toEqual(['manager', '--container-registry', REG, '--container-suffix', '-wolfi']);
  });

  it('--ubi-only=false reads as not UBI', async () => {
    const { images } = await agree(stream(manager({ args: ['--ubi-only=false'] }), kibana()));
    expect(images.kb).toBe(`${REG}/kibana/kibana:8.16.1`);
  });
});

describe('where --container-registry is added when no source sets it', () => {
  it('a manager without args gets `manager` and the flag; flags in a flow `command` get it appended', async () => {
    const bare =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: op\nspec:\n  template:\n    spec:\n      containers:\n      - name: manager\n        image: docker.elastic.co/eck/eck-operator:3.1.0\n';
    const { out } = await agree(stream(bare, kibana()));
    expect(out).toContain(`        args:\n        - manager\n        - --container-registry=${REG}\n`);
    const command = bare + '        command: [/elastic-operator, manager]\n';
    const withCommand = await agree(stream(command, kibana()));
    expect(withCommand.out).toContain(`command: [/elastic-operator, manager, --container-registry=${REG}]`);
  });

  it('not when the mounted eck.yaml is in the stream: it is edited instead', async () => {
    const { out } = await agree(stream(configMap('log-verbosity: 0'), manager({ mountConfig: true }), kibana()));
    expect(managerArgs(out)).toEqual(['manager', '--config=/conf/eck.yaml']);
    expect(out).toContain(`container-registry: ${REG}`);
  });
});

describe('environment variables of the manager', () => {
  it('literal values are read, and pointed at the mirror', async () => {
    const { images, out } = await agree(
      stream(
        manager({
          env: { CONTAINER_REGISTRY: 'docker.elastic.co', CONTAINER_REPOSITORY: 'elastic', UBI_ONLY: 'true' },
        }),
        kibana(),
      ),
    );
    expect(images.kb).toBe(`${REG}/elastic/kibana-ubi:8.16.1`);
    expect(out).toContain(`- name: CONTAINER_REGISTRY\n          value: "${REG}"\n`);
    // The environment sets the registry: no flag is added.
    expect(managerArgs(out)).toEqual(['manager']);
  });

  it('a valueFrom of a Secret not in the stream: named as unseen; render adds no suffix flag it cannot know; check fails until vouched', async () => {
    // ECK v3.5.0 cmd/manager/main.go: viper.AutomaticEnv reads CONTAINER_SUFFIX; its value comes from a Secret applied separately.
    const input = stream(manager({ env: { CONTAINER_SUFFIX: { secret: 's' } } }), kibana());
    const r = await run(['render', '--registry', REG], input);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /CONTAINER_SUFFIX \(valueFrom key k of Secret s, not in the stream\); it may set container-suffix/,
    );
    const images = await run(['images', '--registry', REG], input);
    expect(images.exitCode).toBe(0);
    expect(images.stderr).toMatch(/Secret\/s/);
    const check = await run(['check', '--registry', REG], r.stdout);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(/^Secret\/s: .*may set container-suffix$/m);
    expect(check.stderr).toMatch(/does not hold \(Secret\/s; .*--vouch-source SOURCE/);
    const vouched = await run(['check', '--registry', REG, '--vouch-source', 'Secret/s'], r.stdout);
    expect(vouched.exitCode, vouched.stdout + vouched.stderr).toBe(0);
    const byEnv = await run(['check', '--registry', REG], r.stdout, { ECK_AIRGAP_VOUCHED_SOURCES: 'Secret/s' });
    expect(byEnv.exitCode, byEnv.stderr).toBe(0);
  });

  it('an empty value is unset for the operator', async () => {
    const { images } = await agree(stream(manager({ env: { CONTAINER_SUFFIX: '' } }), kibana()));
    expect(images.kb).toBe(`${REG}/kibana/kibana:8.16.1`);
  });
});

describe("the operator's precedence: flags > env > eck.yaml > default", () => {
  it('a flag wins over the environment, which wins over the mounted eck.yaml', async () => {
    const input = stream(
      configMap('container-registry: docker.elastic.co\ncontainer-repository: fromfile\ncontainer-suffix: -file'),
      manager({
        mountConfig: true,
        args: ['--container-repository=fromflag'],
        env: { CONTAINER_REPOSITORY: 'fromenv', CONTAINER_SUFFIX: '-env' },
      }),
      kibana(),
    );
    const { images, out } = await agree(input);
    expect(images.kb).toBe(`${REG}/fromflag/kibana-env:8.16.1`);
    // Every source that sets them ends up saying the same.
    expect(out).toContain('--container-repository=fromflag');
    expect(out).toContain('container-repository: fromflag');
    expect(out).toContain('- name: CONTAINER_REPOSITORY\n          value: "fromflag"');
    expect(out).toMatch(/container-suffix: "?-env"?\n/);
  });

  it('eck.yaml of the ConfigMap mounted for --config, not another ConfigMap', async () => {
    const input = stream(
      configMap('container-suffix: -other', 'unrelated-operator-config'),
      configMap('container-registry: docker.elastic.co\ncontainer-suffix: -mounted'),
      manager({ mountConfig: true }),
      kibana(),
    );
    const { images } = await agree(input);
    expect(images.kb).toBe(`${REG}/kibana/kibana-mounted:8.16.1`);
  });

  it("eck-airgap's own settings win over the operator's, and every source is rewritten to them", async () => {
    const input = stream(
      manager({ args: ['--container-repository=elastic'], env: { CONTAINER_SUFFIX: '-wolfi' } }),
      kibana(),
    );
    const { images, out } = await agree(input, ['--repository', 'team', '--ubi-only']);
    expect(images.kb).toBe(`${REG}/team/kibana-ubi:8.16.1`);
    expect(out).toContain('--container-repository=team');
    expect(out).toContain('- name: CONTAINER_SUFFIX\n          value: ""');
    expect(managerArgs(out)).toContain('--ubi-only');
  });

  it('ubi-only and a container-suffix from different sources: the operator refuses to start, exit 1', async () => {
    const r = await run(
      ['render', '--registry', REG],
      stream(manager({ args: ['--ubi-only=false'], env: { CONTAINER_SUFFIX: '-wolfi' } }), kibana()),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--ubi-only.*CONTAINER_SUFFIX.*refuses to start/);
  });
});

describe('which operator release', () => {
  it('the 2.16.1 operator in the stream: Agent 9.0.0 is beats/elastic-agent, with a warning', async () => {
    const { images, stderr } = await agree(
      stream(manager({ image: 'docker.elastic.co/eck/eck-operator:2.16.1' }), agent('9.0.0')),
    );
    expect(images.agent).toBe(`${REG}/beats/elastic-agent:9.0.0`);
    expect(stderr).toMatch(/warning: .*stack 9\.0\.0 under ECK operator 2\.16\.1/);
  });

  it('2.16.1 in UBI mode keeps the suffix on 9.x; 3.5.0 drops it', async () => {
    const old = await agree(
      stream(
        manager({ image: 'docker.elastic.co/eck/eck-operator-ubi:2.16.1', args: ['--ubi-only'] }),
        elasticsearch('9.0.0'),
      ),
    );
    expect(old.images.es).toBe(`${REG}/elasticsearch/elasticsearch-ubi:9.0.0`);
    const now = await agree(stream(manager({ args: ['--ubi-only'] }), elasticsearch('9.0.0')));
    expect(now.images.es).toBe(`${REG}/elasticsearch/elasticsearch:9.0.0`);
  });

  it('with --no-set-default-images, images lists what the 2.16.1 operator pulls', async () => {
    const r = await run(
      ['images', '--registry', REG, '--no-set-default-images'],
      stream(manager({ image: 'docker.elastic.co/eck/eck-operator:2.16.1' }), agent('9.0.0')),
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('docker.elastic.co/beats/elastic-agent:9.0.0');
    expect(r.stdout).not.toContain('elastic-agent/elastic-agent');
  });

  it('an operator image with a digest and a tag gives its release', async () => {
    const digest = 'sha256:' + '0123456789abcdef'.repeat(4);
    const { images } = await agree(
      stream(manager({ image: `docker.elastic.co/eck/eck-operator-fips:2.16.1@${digest}` }), agent('9.1.0')),
    );
    expect(images.agent).toBe(`${REG}/beats/elastic-agent:9.1.0`);
  });

  it('eckVersion from the flag, the environment or the file, when the stream has no operator', async () => {
    const input = agent('9.0.0');
    expect((await agree(input, ['--eck-version', '2.16.1'])).images.agent).toBe(`${REG}/beats/elastic-agent:9.0.0`);
    expect((await agree(input, [], { ECK_AIRGAP_ECK_VERSION: '2.16.1' })).images.agent).toBe(
      `${REG}/beats/elastic-agent:9.0.0`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'eck-airgap-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'eckVersion: 2.16.1\n');
    expect((await agree(input, ['-c', file])).images.agent).toBe(`${REG}/beats/elastic-agent:9.0.0`);
    // Without any: the newest release eck-airgap knows.
    expect((await agree(input)).images.agent).toBe(`${REG}/elastic-agent/elastic-agent:9.0.0`);
  });

  it('eckVersion that disagrees with the operator in the stream: exit 2 naming both', async () => {
    const r = await run(
      ['render', '--registry', REG, '--eck-version', '3.5.0'],
      stream(manager({ image: 'docker.elastic.co/eck/eck-operator:2.16.1' }), kibana()),
    );
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/eckVersion 3\.5\.0 .*eck-operator:2\.16\.1/);
  });

  it('a release newer than any known: the newest rules (ECK main, unreleased) and a warning', async () => {
    const r = await run(
      ['render', '--registry', REG],
      stream(manager({ image: 'docker.elastic.co/eck/eck-operator:3.9.0' }), autoops()),
    );
    expect(r.exitCode, r.stderr).toBe(0);
    // ECK main (VERSION 3.6.0-SNAPSHOT) pkg/controller/common/container/container.go: AutoOpsAgentImage
    expect(specImages(r.stdout).autoops).toBe(`${REG}/elastic-agent/elastic-otel-collector:9.2.1`);
    expect(r.stderr).toMatch(
      /warning: ECK operator 3\.9\.0 is newer than every release eck-airgap knows.*main branch \(VERSION 3\.6\.0-SNAPSHOT, not released/,
    );
  });

  it("main's VERSION 3.6.0-SNAPSHOT: main's rules in render, images and check, with the unreleased warning", async () => {
    // ECK main: VERSION 3.6.0-SNAPSHOT; pkg/controller/common/container/container.go (AutoOps path, isWolfiNative)
    const input = stream(manager({ image: 'docker.elastic.co/eck/eck-operator:3.6.0-SNAPSHOT' }), autoops());
    const r = await run(['render', '--registry', REG], input);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(specImages(r.stdout).autoops).toBe(`${REG}/elastic-agent/elastic-otel-collector:9.2.1`);
    expect(r.stderr).toMatch(
      /ECK operator 3\.6\.0-SNAPSHOT is past the newest release eck-airgap knows \(3\.5\.0\).*main branch.*not released/,
    );
    const images = await run(['images', '--registry', REG], input);
    expect(images.exitCode, images.stderr).toBe(0);
    expect(images.stdout).toContain('docker.elastic.co/elastic-agent/elastic-otel-collector:9.2.1');
    expect(images.stdout).not.toContain('elastic-otel-collector-wolfi');
    expect(images.stderr).toMatch(/not released/);
  });

  it('an operator image pinned by digest only or tagged latest is named as such, with the hint to set eckVersion', async () => {
    for (const [image, why] of [
      ['docker.elastic.co/eck/eck-operator@sha256:' + 'a'.repeat(64), /pinned by digest only/],
      ['docker.elastic.co/eck/eck-operator:latest', /tagged latest, which is not a release number/],
    ] as const) {
      for (const command of ['render', 'images', 'check']) {
        const r = await run([command, '--registry', REG], stream(manager({ image }), kibana()));
        expect(r.stderr, `${command} ${image}`).toMatch(why);
        expect(r.stderr).toMatch(/Set eckVersion \(--eck-version\)/);
        expect(r.stderr).not.toMatch(/no operator image in the stream/);
      }
    }
  });

  it('AutoOpsAgentPolicy under operator 2.16.1: exit 1 naming the resource and the release', async () => {
    for (const command of ['render', 'images', 'check']) {
      const r = await run(
        [command, '--registry', REG],
        stream(manager({ image: 'docker.elastic.co/eck/eck-operator:2.16.1' }), autoops()),
      );
      expect(r.exitCode, command).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/AutoOpsAgentPolicy stack\/autoops.*3\.3\.0.*2\.16\.1/);
    }
  });

  it('3.5.0 names AutoOps with -wolfi and appends a -wolfi suffix as given', async () => {
    const { images } = await agree(stream(manager(), autoops()), ['--suffix=-wolfi']);
    expect(images.autoops).toBe(`${REG}/elastic-agent/elastic-otel-collector-wolfi-wolfi:9.2.1`);
  });

  it('images names the release it used', async () => {
    const r = await run(['images', '--registry', REG], kibana());
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/ECK operator 3\.5\.0 \(from the newest release eck-airgap knows/);
  });
});

describe('container-suffix written as -ubi (not ubi-only)', () => {
  const maps =
    'apiVersion: maps.k8s.elastic.co/v1alpha1\nkind: ElasticMapsServer\nmetadata:\n  name: ems\n  namespace: stack\nspec:\n  version: 8.11.0\n';
  const op210 = 'docker.elastic.co/eck/eck-operator:2.10.0';

  it('operator 2.10 appends it as written (UBI mode there is -ubi8 everywhere); render leaves the setting as it is', async () => {
    const input = stream(
      configMap('container-suffix: -ubi'),
      manager({ image: op210, mountConfig: true }),
      elasticsearch('8.11.0'),
      maps,
    );
    const { images, out } = await agree(input);
    expect(images).toEqual({
      es: `${REG}/elasticsearch/elasticsearch-ubi:8.11.0`,
      ems: `${REG}/elastic-maps-service/elastic-maps-server-ubi8-ubi:8.11.0`,
    });
    expect(out).toContain('    container-suffix: -ubi\n');
    expect(out).not.toContain('ubi-only');
    const listed = await run(['images', '--registry', REG], input);
    expect(listed.stdout).toContain(
      `docker.elastic.co/elasticsearch/elasticsearch-ubi:8.11.0 -> ${REG}/elasticsearch/elasticsearch-ubi:8.11.0`,
    );
  });

  it('the same as a flag under 2.10; ubi-only under 2.10 is -ubi8', async () => {
    const flag = await agree(
      stream(manager({ image: op210, args: ['--container-suffix=-ubi'] }), elasticsearch('8.11.0')),
    );
    expect(flag.images.es).toBe(`${REG}/elasticsearch/elasticsearch-ubi:8.11.0`);
    expect(managerArgs(flag.out)).toEqual(['manager', '--container-suffix=-ubi', `--container-registry=${REG}`]);
    const ubi = await agree(stream(manager({ image: op210, args: ['--ubi-only'] }), elasticsearch('8.11.0')));
    expect(ubi.images.es).toBe(`${REG}/elasticsearch/elasticsearch-ubi8:8.11.0`);
  });

  it('from 2.11 on the operator treats it as UBI mode; render leaves it written as it was', async () => {
    const { images, out } = await agree(
      stream(
        configMap('container-suffix: -ubi'),
        manager({ mountConfig: true }),
        kibana('8.11.0'),
        kibana('9.1.0').replace('name: kb', 'name: kb9'),
      ),
    );
    expect(images).toEqual({ kb: `${REG}/kibana/kibana-ubi8:8.11.0`, kb9: `${REG}/kibana/kibana:9.1.0` });
    expect(out).toContain('    container-suffix: -ubi\n');
  });

  it("eck-airgap's own --suffix -ubi is UBI mode, written as ubi-only, on 2.10 too", async () => {
    const { images, out } = await agree(
      stream(
        configMap('container-suffix: -ubi'),
        manager({ image: op210, mountConfig: true }),
        elasticsearch('8.11.0'),
      ),
      ['--suffix', '-ubi'],
    );
    expect(images.es).toBe(`${REG}/elasticsearch/elasticsearch-ubi8:8.11.0`);
    expect(out).toContain('ubi-only: true');
    expect(out).not.toContain('container-suffix');
  });
});

// ECK v3.5.0 cmd/manager/main.go: viper.GetBool(UBIOnlyFlag), keys case-insensitive; spf13/cast v1.10.0 ToBoolE.
describe('config file values and keys as viper reads them', () => {
  it('ubi-only: 1 is UBI mode (cast: a non-zero int is true); UBI-ONLY: true too', async () => {
    for (const eck of ['ubi-only: 1', 'UBI-ONLY: true', 'Ubi-Only: "T"']) {
      const { images } = await agree(
        stream(configMap(`container-registry: docker.elastic.co\n${eck}`), manager({ mountConfig: true }), kibana()),
      );
      expect(images.kb, eck).toBe(`${REG}/kibana/kibana-ubi:8.16.1`);
    }
  });

  it('ubi-only: "yes" is false (strconv.ParseBool refuses it), but set: with a suffix flag the operator refuses to start', async () => {
    const { images } = await agree(stream(configMap('ubi-only: "yes"'), manager({ mountConfig: true }), kibana()));
    expect(images.kb).toBe(`${REG}/kibana/kibana:8.16.1`);
    for (const command of ['render', 'images', 'check']) {
      const r = await run(
        [command, '--registry', REG],
        stream(
          configMap('UBI-ONLY: "yes"'),
          manager({ mountConfig: true, args: ['--container-suffix=-wolfi'] }),
          kibana(),
        ),
      );
      expect(r.exitCode, command).toBe(1);
      expect(r.stderr).toMatch(/refuses to start/);
    }
  });

  it('two spellings of one key: exit 1 naming both, in render, images and check', async () => {
    for (const command of ['render', 'images', 'check']) {
      const r = await run(
        [command, '--registry', REG],
        stream(configMap('ubi-only: false\nUBI-ONLY: true'), manager({ mountConfig: true }), kibana()),
      );
      expect(r.exitCode, command).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /ConfigMap elastic-system\/elastic-operator.*"ubi-only" and "UBI-ONLY" differ only in case/,
      );
    }
  });
});

// ECK v3.5.0 cmd/manager/main.go: `viper.SetConfigFile(configFile)` reads whatever file --config names; the pod
// mounts it from a ConfigMap key or a Secret (Kubernetes: configMap / secret volumes, items, subPath).
describe('the --config file from any ConfigMap key or a Secret', () => {
  const podWith = (volume: string, path = '/conf/operator.yaml', extra = '') =>
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: elastic-operator\n  namespace: elastic-system\nspec:\n  template:\n    spec:\n' +
    `      containers:\n      - image: "docker.elastic.co/eck/eck-operator:3.5.0"\n        name: manager\n        args: ["manager", "--config=${path}"]\n` +
    `${extra}        volumeMounts:\n        - mountPath: /conf\n          name: conf\n      volumes:\n      - name: conf\n${volume}`;
  const cmKey = (key: string, text: string, name = 'op') =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: elastic-system\ndata:\n  ${key}: |\n${text.replace(/^/gm, '    ')}\n`;
  const secret = (field: 'data' | 'stringData', key: string, text: string, name = 'op') =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: elastic-system\n${field}:\n  ${key}: ${field === 'data' ? Buffer.from(text).toString('base64') : JSON.stringify(text)}\n`;
  const readBack = (out: string, kind: string): string => {
    for (const doc of parseAllDocuments(out)) {
      const r = doc.toJS() as {
        kind?: string;
        data?: Record<string, string>;
        stringData?: Record<string, string>;
      } | null;
      if (r?.kind !== kind) continue;
      if (r.stringData?.['operator.yaml'] !== undefined) return r.stringData['operator.yaml'];
      const v = r.data!['operator.yaml']!;
      return kind === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v;
    }
    throw new Error(`no ${kind}`);
  };

  it('a ConfigMap key operator.yaml: read (ubi-only: true) and edited to the mirror', async () => {
    const input = stream(
      cmKey('operator.yaml', 'container-registry: docker.elastic.co\nubi-only: true\n'),
      podWith('        configMap:\n          name: op\n'),
      kibana(),
    );
    const { images, out } = await agree(input);
    expect(images.kb).toBe(`${REG}/kibana/kibana-ubi:8.16.1`);
    expect(readBack(out, 'ConfigMap')).toBe(`container-registry: ${REG}\nubi-only: true\n`);
    expect(managerArgs(out)).toEqual(['manager', '--config=/conf/operator.yaml']);
  });

  it('a Secret volume, data base64: decoded, edited, re-encoded; stringData as text', async () => {
    for (const field of ['data', 'stringData'] as const) {
      const input = stream(
        secret(field, 'operator.yaml', 'container-registry: docker.elastic.co\nubi-only: true\n'),
        podWith('        secret:\n          secretName: op\n'),
        kibana(),
      );
      const { images, out } = await agree(input);
      expect(images.kb, field).toBe(`${REG}/kibana/kibana-ubi:8.16.1`);
      expect(readBack(out, 'Secret'), field).toBe(`container-registry: ${REG}\nubi-only: true\n`);
    }
  });

  it('items map the file to another key', async () => {
    const vol =
      '        configMap:\n          name: op\n          items:\n          - key: real.yaml\n            path: operator.yaml\n';
    const { images } = await agree(stream(cmKey('real.yaml', 'container-suffix: -wolfi\n'), podWith(vol), kibana()));
    expect(images.kb).toBe(`${REG}/kibana/kibana-wolfi:8.16.1`);
  });

  it('a base64 value that is not UTF-8 text is refused with a clear message', async () => {
    const bad = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: op\n  namespace: elastic-system\ndata:\n  operator.yaml: ${Buffer.from([0xff, 0xfe, 0x63, 0x6f, 0x6e, 0x74, 0x61, 0x69, 0x6e, 0x65, 0x72, 0x2d, 0x73, 0x75, 0x66, 0x66, 0x69, 0x78]).toString('base64')}\n`;
    const r = await run(
      ['render', '--registry', REG],
      stream(bad, podWith('        secret:\n          secretName: op\n'), kibana()),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /Secret elastic-system\/op, data\["operator.yaml"\]: cannot point the operator at the mirror: its base64 value is not UTF-8/,
    );
  });

  it('a --config ConfigMap applied separately: render adds --container-registry, not --container-suffix (it may hold ubi-only); check fails naming it', async () => {
    // The chart writes ubi-only: false whenever config.containerSuffix is unset: a suffix flag would make the operator
    // refuse to start ("must not combine", ECK v3.5.0 cmd/manager/main.go).
    const input = stream(podWith('        configMap:\n          name: applied-elsewhere\n'), kibana());
    const r = await run(['render', '--registry', REG, '--suffix=-wolfi'], input);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(managerArgs(r.stdout)).toEqual(['manager', '--config=/conf/operator.yaml', `--container-registry=${REG}`]);
    expect(r.stderr).toMatch(/--container-suffix=-wolfi is not added: ConfigMap\/applied-elsewhere may set ubi-only/);
    expect(r.stderr).toMatch(
      /the --config file \/conf\/operator.yaml \(key operator.yaml of ConfigMap applied-elsewhere, not in the stream\)/,
    );
    const check = await run(['check', '--registry', REG], r.stdout);
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toMatch(/ConfigMap\/applied-elsewhere/);
    const vouched = await run(['check', '--registry', REG, '--vouch-source', 'ConfigMap/applied-elsewhere'], r.stdout);
    expect(vouched.exitCode, vouched.stdout + vouched.stderr).toBe(0);
  });

  it('UBI mode with an unseen --config file: --ubi-only and an empty --container-suffix= (a set flag wins over the file)', async () => {
    const unset = await run(
      ['render', '--registry', REG, '--ubi-only'],
      stream(podWith('        configMap:\n          name: applied-elsewhere\n'), kibana()),
    );
    // The file may still set container-repository: check does not pass on that guess.
    expect((await run(['check', '--registry', REG], unset.stdout)).exitCode).toBe(1);
    const r = await run(
      ['render', '--registry', REG, '--ubi-only', '--repository', 'elastic'],
      stream(podWith('        configMap:\n          name: applied-elsewhere\n'), kibana()),
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(managerArgs(r.stdout)).toEqual([
      'manager',
      '--config=/conf/operator.yaml',
      `--container-registry=${REG}`,
      '--container-repository=elastic',
      '--ubi-only',
      '--container-suffix=',
    ]);
    expect(specImages(r.stdout).kb).toBe(`${REG}/elastic/kibana-ubi:8.16.1`);
    // Every setting is now a flag: nothing unseen can change what the operator pulls.
    const check = await run(['check', '--registry', REG], r.stdout);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  });
});

// Kubernetes envFrom: every key a variable (prefix in front); env entries over envFrom; ECK viper.AutomaticEnv reads them
// above the config file (ECK v3.5.0 cmd/manager/main.go).
describe('envFrom ConfigMaps and Secrets', () => {
  const withEnvFrom = (envFrom: string) =>
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: elastic-operator\n  namespace: elastic-system\nspec:\n  template:\n    spec:\n' +
    `      containers:\n      - image: "docker.elastic.co/eck/eck-operator:3.5.0"\n        name: manager\n        args: ["manager"]\n        envFrom:\n${envFrom}`;
  const cmData = (name: string, data: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: elastic-system\ndata:\n${data}`;

  it('an envFrom ConfigMap in the stream sets the suffix; render makes the mirror win with a flag', async () => {
    const input = stream(
      cmData('env', '  CONTAINER_SUFFIX: -wolfi\n  CONTAINER_REGISTRY: docker.elastic.co\n'),
      withEnvFrom('        - configMapRef:\n            name: env\n'),
      kibana(),
    );
    const { images, out } = await agree(input);
    expect(images.kb).toBe(`${REG}/kibana/kibana-wolfi:8.16.1`);
    // render does not edit envFrom sources: flags (the operator's highest source) say the mirror and the suffix.
    expect(managerArgs(out)).toEqual(['manager', `--container-registry=${REG}`, '--container-suffix=-wolfi']);
  });

  it('an envFrom Secret with a prefix', async () => {
    const sec = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: env\n  namespace: elastic-system\nstringData:\n  ONLY: "true"\n`;
    const { images } = await agree(
      stream(sec, withEnvFrom('        - secretRef:\n            name: env\n          prefix: UBI_\n'), kibana()),
    );
    expect(images.kb).toBe(`${REG}/kibana/kibana-ubi:8.16.1`);
  });

  it('UBI_ONLY from an envFrom in the stream and a suffix wanted: refused (render does not edit it; a flag would make the operator refuse)', async () => {
    const input = stream(
      cmData('env', '  UBI_ONLY: "false"\n'),
      withEnvFrom('        - configMapRef:\n            name: env\n'),
      kibana(),
    );
    const r = await run(['render', '--registry', REG, '--suffix=-wolfi'], input);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/ubi-only is set by UBI_ONLY \(envFrom ConfigMap env\)/);
  });

  it('an envFrom not in the stream: named by render, images and check; vouched, check passes', async () => {
    const input = stream(withEnvFrom('        - configMapRef:\n            name: gone\n'), kibana());
    const r = await run(['render', '--registry', REG], input);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /envFrom ConfigMap gone, not in the stream; it may set container-registry, container-repository, container-suffix, ubi-only/,
    );
    expect(managerArgs(r.stdout)).toEqual(['manager', `--container-registry=${REG}`]);
    const images = await run(['images', '--registry', REG], input);
    expect(images.stderr).toMatch(/ConfigMap\/gone/);
    const check = await run(['check', '--registry', REG], r.stdout);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(/^ConfigMap\/gone: /m);
    const vouched = await run(['check', '--registry', REG, '--vouch-source', 'ConfigMap/gone'], r.stdout);
    expect(vouched.exitCode, vouched.stderr).toBe(0);
  });
});
