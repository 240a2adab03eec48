// The real CLI over the operator: its image, its ConfigMap (eck.yaml), its --container-* flags, and the
// defaults the ConfigMap gives to the spec.image values render writes.
import { describe, it, expect } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { lineChanges, render, renderOk } from '../support/cli.js';

const digest = 'sha256:' + '0123456789abcdef'.repeat(4);

function statefulSet(image: string, args = ''): string {
  return `# Source: eck-operator/templates/statefulset.yaml\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: elastic-operator\n  namespace: elastic-system\nspec:\n  template:\n    spec:\n      containers:\n      - image: "${image}"\n        name: manager\n        args:\n        - "manager"\n${args}`;
}

function configMap(eck: string): string {
  return `# Source: eck-operator/templates/configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: elastic-operator\n  namespace: elastic-system\ndata:\n  eck.yaml: |-\n${eck.replace(/^/gm, '    ')}\n`;
}

const kibana = 'apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata:\n  name: kb\nspec:\n  version: 8.16.1\n';

function docs(out: string): unknown[] {
  return parseAllDocuments(out).map((d) => d.toJS() as unknown);
}

describe('operator image', () => {
  const variants: [string, string][] = [
    ['docker.elastic.co/eck/eck-operator:3.5.0', 'my.registry/eck/eck-operator:3.5.0'],
    ['docker.elastic.co/eck/eck-operator-ubi:3.5.0', 'my.registry/eck/eck-operator-ubi:3.5.0'],
    ['docker.elastic.co/eck/eck-operator-fips:2.16.1', 'my.registry/eck/eck-operator-fips:2.16.1'],
    ['docker.elastic.co/eck/eck-operator-ubi-fips:2.16.1', 'my.registry/eck/eck-operator-ubi-fips:2.16.1'],
    [`docker.elastic.co/eck/eck-operator:3.5.0@${digest}`, `my.registry/eck/eck-operator:3.5.0@${digest}`],
    [`docker.elastic.co/eck/eck-operator@${digest}`, `my.registry/eck/eck-operator@${digest}`],
  ];
  for (const [from, to] of variants) {
    it(`${from} → ${to}`, async () => {
      const input = statefulSet(from);
      const out = await renderOk(input);
      // No source of the operator sets container-registry (no ConfigMap, no flag, no env): the flag is added.
      expect(lineChanges(input, out)).toEqual({
        changed: [[`      - image: "${from}"\n`, `      - image: "${to}"\n`]],
        inserted: ['        - --container-registry=my.registry\n'],
        removed: [],
      });
    });
  }

  it('goes to <registry>/<operator.repository>/, and --repository does not apply to it', async () => {
    const out = await renderOk(statefulSet('docker.elastic.co/eck/eck-operator:3.5.0'), [
      '--operator-repository',
      'ops/eck',
      '--repository',
      'team',
    ]);
    expect(out).toContain('- image: "my.registry/ops/eck/eck-operator:3.5.0"');
  });

  it('gets the pull secrets, since it pulls from the mirror', async () => {
    const out = await renderOk(statefulSet('docker.elastic.co/eck/eck-operator:3.5.0'), [
      '--image-pull-secret',
      'regcred',
    ]);
    expect(
      (parse(out) as { spec: { template: { spec: { imagePullSecrets: unknown } } } }).spec.template.spec
        .imagePullSecrets,
    ).toEqual([{ name: 'regcred' }]);
  });
});

describe('operator ConfigMap', () => {
  const eck = 'log-verbosity: 0\ncontainer-registry: docker.elastic.co\nmax-concurrent-reconciles: 3\nubi-only: false';

  it('points container-registry at the mirror, changing that line only', async () => {
    const input = configMap(eck);
    const out = await renderOk(input);
    expect(lineChanges(input, out)).toEqual({
      changed: [['    container-registry: docker.elastic.co\n', '    container-registry: my.registry\n']],
      inserted: [],
      removed: [],
    });
  });

  it('inserts container-repository, and in UBI mode sets ubi-only and removes container-suffix', async () => {
    const withSuffix =
      'log-verbosity: 0\ncontainer-registry: docker.elastic.co\nmax-concurrent-reconciles: 3\ncontainer-suffix: -wolfi';
    const out = await renderOk(configMap(withSuffix), ['--repository', 'team', '--suffix=-ubi']);
    const written = parse((docs(out)[0] as { data: Record<string, string> }).data['eck.yaml']!) as Record<
      string,
      unknown
    >;
    expect(written).toEqual({
      'log-verbosity': 0,
      'container-registry': 'my.registry',
      'container-repository': 'team',
      'max-concurrent-reconciles': 3,
      'ubi-only': true,
    });
    const ubiOnly = await renderOk(configMap(withSuffix), ['--ubi-only']);
    expect(ubiOnly).toContain('    ubi-only: true');
    expect(ubiOnly).not.toContain('container-suffix');
  });

  it('writes another suffix as container-suffix, and removes ubi-only (the operator refuses a suffix while it is set at all)', async () => {
    const out = await renderOk(configMap(eck), ['--suffix', '-wolfi']);
    const written = parse((docs(out)[0] as { data: Record<string, string> }).data['eck.yaml']!) as Record<
      string,
      unknown
    >;
    expect(written).toMatchObject({ 'container-suffix': '-wolfi' });
    expect(written).not.toHaveProperty('ubi-only');
  });

  it('an operator that sets ubi-only and a container-suffix at once cannot start: exit 1', async () => {
    const result = await render(configMap(`${eck}\ncontainer-suffix: -wolfi`));
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/ubi-only.*container-suffix "-wolfi".*refuses to start/);
  });

  it('rewrites a quoted eck.yaml through the YAML library', async () => {
    const input =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: elastic-operator\ndata:\n  eck.yaml: "container-registry: docker.elastic.co\\nubi-only: false\\n"\n';
    const out = await renderOk(input, ['--ubi-only']);
    expect(parse((parse(out) as { data: Record<string, string> }).data['eck.yaml']!)).toEqual({
      'container-registry': 'my.registry',
      'ubi-only': true,
    });
    expect(await renderOk(out, ['--ubi-only'])).toBe(out);
  });

  it('leaves other ConfigMaps alone, even with eck.yaml text in them', async () => {
    const input =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  readme: "see eck.yaml; image: docker.elastic.co/eck/eck-operator:3.5.0"\n';
    expect(await renderOk(input)).toBe(input);
  });
});

describe('--container-* flags in the manager args', () => {
  it('follow the same settings as the ConfigMap, in --flag=value and --flag value forms', async () => {
    const args =
      '        - --container-registry=docker.elastic.co\n        - --container-repository\n        - elastic\n';
    const input = statefulSet('docker.elastic.co/eck/eck-operator:3.5.0', args);
    const out = await renderOk(input, ['--repository', 'team']);
    expect(out).toContain(
      '        - --container-registry=my.registry\n        - --container-repository\n        - team\n',
    );
  });

  it('in UBI mode empty a --container-suffix flag (the ConfigMap says ubi-only instead; the operator refuses both)', async () => {
    const args = '        - --container-suffix=-wolfi\n        - --container-suffix\n        - -wolfi\n';
    const input = statefulSet('docker.elastic.co/eck/eck-operator:3.5.0', args);
    const out = await renderOk(input, ['--ubi-only']);
    expect(out).toContain('        - --container-suffix=\n        - --container-suffix\n        - ""\n');
    expect(await renderOk(out, ['--ubi-only'])).toBe(out);
    const wolfi = await renderOk(input, ['--suffix=-fips']);
    expect(wolfi).toContain('        - --container-suffix=-fips\n        - --container-suffix\n        - -fips\n');
  });
});

describe('effective defaults from the operator ConfigMap', () => {
  it('takes repository and suffix from eck.yaml when the configuration leaves them unset', async () => {
    const stream = `${kibana}---\n${configMap('container-registry: docker.elastic.co\ncontainer-repository: elastic\ncontainer-suffix: -wolfi')}`;
    const out = await renderOk(stream);
    expect(out).toContain('  image: my.registry/elastic/kibana-wolfi:8.16.1\n');
    const eck = parse((docs(out)[1] as { data: Record<string, string> }).data['eck.yaml']!) as Record<string, unknown>;
    expect(eck).toEqual({
      'container-registry': 'my.registry',
      'container-repository': 'elastic',
      'container-suffix': '-wolfi',
    });
  });

  it('takes UBI mode from ubi-only: true', async () => {
    const out = await renderOk(`${configMap('container-registry: docker.elastic.co\nubi-only: true')}---\n${kibana}`);
    expect(out).toContain('  image: my.registry/kibana/kibana-ubi:8.16.1\n');
  });

  it('the configuration wins over eck.yaml, and both end up saying the same', async () => {
    const out = await renderOk(
      `${kibana}---\n${configMap('container-registry: docker.elastic.co\ncontainer-suffix: -wolfi')}`,
      ['--suffix=-ubi', '--repository', 'team'],
    );
    expect(out).toContain('  image: my.registry/team/kibana-ubi:8.16.1\n');
    const eck = parse((docs(out)[1] as { data: Record<string, string> }).data['eck.yaml']!) as Record<string, unknown>;
    expect(eck).toEqual({ 'container-registry': 'my.registry', 'container-repository': 'team', 'ubi-only': true });
  });
});

describe('reading ahead for the operator', () => {
  it('a manager whose mounted ConfigMap never comes: every later document is still read and edited (40 of them, the first 16 kept from the read-ahead, the rest parsed again)', async () => {
    const mounted =
      '        - "--config=/conf/eck.yaml"\n        volumeMounts:\n        - name: conf\n          mountPath: /conf\n          readOnly: true\n      volumes:\n      - name: conf\n        configMap:\n          name: not-in-this-stream\n';
    const parts = [statefulSet('docker.elastic.co/eck/eck-operator:2.16.1', mounted)];
    for (let i = 0; i < 40; i++) {
      // each names eck-operator (as Helm's chart label does), so each is parsed while reading ahead
      parts.push(
        `# Source: eck-operator/templates/kb-${i}.yaml\napiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata:\n  name: kb-${i}\n  labels:\n    helm.sh/chart: eck-operator-2.16.1\nspec:\n  version: 8.16.1\n  image: docker.elastic.co/kibana/kibana:8.16.${i}\n`,
      );
    }
    const input = parts.join('---\n');
    const out = await renderOk(input);
    const images = docs(out)
      .slice(1)
      .map((d) => (d as { spec: { image: string } }).spec.image);
    expect(images).toEqual(Array.from({ length: 40 }, (_, i) => `my.registry/kibana/kibana:8.16.${i}`));
    // the operator's release is 2.16.1 (its image), read before any document was planned
    expect(out).toContain('- image: "my.registry/eck/eck-operator:2.16.1"');
  });
});
