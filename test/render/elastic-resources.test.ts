// The real CLI over Elastic resources: spec.image set or moved for every kind, containers in every pod-template
// location moved, pull secrets merged into every pod template (created where missing, never duplicated).
import { describe, it, expect } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { lineChanges, render, renderOk } from '../support/cli.js';

interface Kind {
  kind: string;
  apiVersion: string;
  spec: string; // extra spec lines (2-space indented)
  image: string; // the default image on my.registry
  slots: string[][]; // where pull secrets go: paths below spec to the podTemplate parent
}

const KINDS: Kind[] = [
  {
    kind: 'Elasticsearch',
    apiVersion: 'elasticsearch.k8s.elastic.co/v1',
    spec: '  version: 8.16.1\n  nodeSets:\n  - name: hot\n    count: 1\n  - name: warm\n    count: 1\n',
    image: 'my.registry/elasticsearch/elasticsearch:8.16.1',
    slots: [
      ['nodeSets', '0'],
      ['nodeSets', '1'],
    ],
  },
  {
    kind: 'Kibana',
    apiVersion: 'kibana.k8s.elastic.co/v1',
    spec: '  version: 8.16.1\n  count: 1\n',
    image: 'my.registry/kibana/kibana:8.16.1',
    slots: [[]],
  },
  {
    kind: 'ApmServer',
    apiVersion: 'apm.k8s.elastic.co/v1',
    spec: '  version: 8.16.1\n',
    image: 'my.registry/apm/apm-server:8.16.1',
    slots: [[]],
  },
  {
    kind: 'EnterpriseSearch',
    apiVersion: 'enterprisesearch.k8s.elastic.co/v1',
    spec: '  version: 8.16.1\n',
    image: 'my.registry/enterprise-search/enterprise-search:8.16.1',
    slots: [[]],
  },
  {
    kind: 'Beat',
    apiVersion: 'beat.k8s.elastic.co/v1beta1',
    spec: '  type: metricbeat\n  version: 8.16.1\n  daemonSet: {}\n',
    image: 'my.registry/beats/metricbeat:8.16.1',
    slots: [['daemonSet']],
  },
  {
    kind: 'Agent',
    apiVersion: 'agent.k8s.elastic.co/v1alpha1',
    spec: '  version: 8.16.1\n  deployment:\n    replicas: 1\n',
    image: 'my.registry/beats/elastic-agent:8.16.1',
    slots: [['deployment']],
  },
  {
    kind: 'Agent',
    apiVersion: 'agent.k8s.elastic.co/v1alpha1',
    spec: '  version: 9.1.0\n  statefulSet:\n    replicas: 1\n',
    image: 'my.registry/elastic-agent/elastic-agent:9.1.0',
    slots: [['statefulSet']],
  },
  {
    kind: 'ElasticMapsServer',
    apiVersion: 'maps.k8s.elastic.co/v1alpha1',
    spec: '  version: 8.16.1\n',
    image: 'my.registry/elastic-maps-service/elastic-maps-server:8.16.1',
    slots: [[]],
  },
  {
    kind: 'Logstash',
    apiVersion: 'logstash.k8s.elastic.co/v1alpha1',
    spec: '  version: 8.16.1\n',
    image: 'my.registry/logstash/logstash:8.16.1',
    slots: [[]],
  },
  {
    kind: 'AutoOpsAgentPolicy',
    apiVersion: 'autoops.k8s.elastic.co/v1alpha1',
    spec: '  version: 9.2.4\n',
    image: 'my.registry/elastic-agent/elastic-otel-collector-wolfi:9.2.4',
    slots: [[]],
  },
  {
    kind: 'PackageRegistry',
    apiVersion: 'packageregistry.k8s.elastic.co/v1alpha1',
    spec: '  version: 9.2.0\n',
    image: 'my.registry/package-registry/distribution:lite-9.2.0',
    slots: [[]],
  },
];

function resource(k: Kind, extra = ''): string {
  return `# Source: stack/templates/${k.kind.toLowerCase()}.yaml\napiVersion: ${k.apiVersion}\nkind: ${k.kind}\nmetadata:\n  name: ${k.kind.toLowerCase()}\n  namespace: ns\nspec:\n${k.spec}${extra}`;
}

function at(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

describe('Elastic resources without spec.image', () => {
  for (const k of KINDS) {
    it(`${k.kind} ${k.spec.match(/version: (\S+)/)![1]}: spec.image set to the operator's image on the mirror, one inserted line`, async () => {
      const input = resource(k);
      const result = await render(input);
      expect(result.exitCode, result.stderr).toBe(0);
      expect((parse(result.stdout) as { spec: { image: string } }).spec.image).toBe(k.image);
      const { changed, inserted, removed } = lineChanges(input, result.stdout);
      expect(changed).toEqual([]);
      expect(removed).toEqual([]);
      expect(inserted).toEqual([`  image: ${k.image}\n`]);
      expect(result.stdout).toMatch(/\n {2}version: \S+\n {2}image: /); // right after spec.version
      expect(result.stderr).toContain('1 spec.image set');
    });
  }

  it('leaves spec.image unset with --no-set-default-images', async () => {
    const input = resource(KINDS[1]!);
    expect(await renderOk(input, ['--no-set-default-images'])).toBe(input);
  });

  it('fills an empty spec.image in place (image:, ~, "")', async () => {
    for (const empty of ['  image:\n', '  image: ~\n', '  image: ""\n']) {
      const out = await renderOk(resource(KINDS[1]!, empty));
      expect((parse(out) as { spec: { image: string } }).spec.image, empty).toBe('my.registry/kibana/kibana:8.16.1');
      expect(out.match(/image:/g), empty).toHaveLength(1);
    }
  });
});

describe('Elastic resources with spec.image', () => {
  for (const k of KINDS) {
    it(`${k.kind}: a docker.elastic.co spec.image is moved, keeping tag and digest and quoting`, async () => {
      const digest = 'sha256:' + 'ab'.repeat(32);
      const input = resource(k, `  image: "docker.elastic.co/custom/${k.kind.toLowerCase()}:1.2.3@${digest}"\n`);
      const out = await renderOk(input);
      const { changed, inserted } = lineChanges(input, out);
      expect(inserted).toEqual([]);
      expect(changed).toEqual([
        [
          `  image: "docker.elastic.co/custom/${k.kind.toLowerCase()}:1.2.3@${digest}"\n`,
          `  image: "my.registry/custom/${k.kind.toLowerCase()}:1.2.3@${digest}"\n`,
        ],
      ]);
    });
  }

  it('leaves a spec.image on another registry as it is and reports it', async () => {
    const input = resource(KINDS[0]!, '  image: quay.io/me/elasticsearch:8.16.1\n');
    const result = await render(input);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(input);
    expect(result.stderr).toMatch(
      /left: quay\.io\/me\/elasticsearch:8\.16\.1: Elasticsearch ns\/elasticsearch, spec\.image \[document 1 \(stack\/templates\/elasticsearch\.yaml\)\]: not on a source registry/,
    );
  });

  it('applies --repository as the operator does: <repository>/<last path element>', async () => {
    const out = await renderOk(resource(KINDS[1]!, '  image: docker.elastic.co/kibana/kibana:8.16.1\n'), [
      '--repository',
      'team/elastic',
    ]);
    expect(out).toContain('  image: my.registry/team/elastic/kibana:8.16.1\n');
  });
});

describe('containers in every pod-template location', () => {
  const container = (image: string): string =>
    `      spec:\n        containers:\n        - name: c\n          image: ${image}\n`;
  const cases: [string, string, string][] = [
    [
      'Elasticsearch nodeSets[*].podTemplate',
      'elasticsearch.k8s.elastic.co/v1\nkind: Elasticsearch',
      '  version: 8.16.1\n  nodeSets:\n  - name: a\n    podTemplate:\n' +
        container('docker.elastic.co/elasticsearch/elasticsearch:8.16.1')
          .replace(/^/gm, '  ')
          .replace(/^ {2}$/gm, '') +
        '  - name: b\n    podTemplate:\n' +
        container('docker.elastic.co/x/y:1')
          .replace(/^/gm, '  ')
          .replace(/^ {2}$/gm, ''),
    ],
    [
      'Kibana podTemplate',
      'kibana.k8s.elastic.co/v1\nkind: Kibana',
      '  version: 8.16.1\n  podTemplate:\n' +
        container('docker.elastic.co/kibana/kibana:8.16.1').replace(/^ {2}/gm, ''),
    ],
    [
      'Beat daemonSet.podTemplate',
      'beat.k8s.elastic.co/v1beta1\nkind: Beat',
      '  type: filebeat\n  version: 8.16.1\n  daemonSet:\n    podTemplate:\n' +
        container('docker.elastic.co/beats/filebeat:8.16.1'),
    ],
    [
      'Agent deployment.podTemplate',
      'agent.k8s.elastic.co/v1alpha1\nkind: Agent',
      '  version: 8.16.1\n  deployment:\n    podTemplate:\n' +
        container('docker.elastic.co/beats/elastic-agent:8.16.1'),
    ],
    [
      'Beat statefulSet.podTemplate',
      'beat.k8s.elastic.co/v1beta1\nkind: Beat',
      '  type: heartbeat\n  version: 8.16.1\n  statefulSet:\n    podTemplate:\n' +
        container('docker.elastic.co/beats/heartbeat:8.16.1'),
    ],
  ];
  for (const [name, head, spec] of cases) {
    it(`${name}: images moved, nothing else changed but the inserted spec.image`, async () => {
      const input = `apiVersion: ${head}\nmetadata:\n  name: x\nspec:\n${spec}`;
      expect(parse(input)).toBeTruthy();
      const out = await renderOk(input);
      expect(out).not.toMatch(/image: docker\.elastic\.co/);
      const { changed, inserted } = lineChanges(input, out);
      expect(inserted).toHaveLength(1);
      expect(changed.length).toBeGreaterThan(0);
      for (const [before, after] of changed) expect(after).toBe(before.replace('docker.elastic.co', 'my.registry'));
    });
  }
});

describe('pull secrets', () => {
  const secretsAt = (out: string, path: string[]): unknown =>
    at(parse(out), ['spec', ...path, 'podTemplate', 'spec', 'imagePullSecrets']);

  for (const k of KINDS) {
    it(`${k.kind}: added to every pod template, created where missing`, async () => {
      const out = await renderOk(resource(k), ['--image-pull-secret', 'regcred', '--image-pull-secret', 'other']);
      for (const slot of k.slots)
        expect(secretsAt(out, slot), slot.join('.')).toEqual([{ name: 'regcred' }, { name: 'other' }]);
      expect(await renderOk(out, ['--image-pull-secret', 'regcred', '--image-pull-secret', 'other'])).toBe(out);
    });
  }

  const kibana = (podTemplate: string): string =>
    `apiVersion: kibana.k8s.elastic.co/v1\nkind: Kibana\nmetadata:\n  name: kb\nspec:\n  version: 8.16.1\n  image: my.registry/kibana/kibana:8.16.1\n${podTemplate}`;
  const variants: [string, string][] = [
    ['podTemplate without spec', '  podTemplate:\n    metadata:\n      labels:\n        a: b\n'],
    ['podTemplate: {}', '  podTemplate: {}\n'],
    ['spec: {}', '  podTemplate:\n    spec: {}\n'],
    ['podTemplate: null', '  podTemplate:\n'],
    [
      'existing imagePullSecrets (block)',
      '  podTemplate:\n    spec:\n      imagePullSecrets:\n      - name: regcred\n      - name: mine\n',
    ],
    ['existing imagePullSecrets (flow)', '  podTemplate:\n    spec:\n      imagePullSecrets: [{name: mine}]\n'],
    ['imagePullSecrets: []', '  podTemplate:\n    spec:\n      imagePullSecrets: []\n'],
    ['imagePullSecrets: null', '  podTemplate:\n    spec:\n      imagePullSecrets:\n      containers: []\n'],
  ];
  for (const [name, podTemplate] of variants) {
    it(`merged without duplicates: ${name}`, async () => {
      const input = kibana(podTemplate);
      const before = (at(parse(input), ['spec', 'podTemplate', 'spec', 'imagePullSecrets']) ?? []) as {
        name: string;
      }[];
      const out = await renderOk(input, ['--image-pull-secret', 'regcred']);
      const after = secretsAt(out, []) as { name: string }[];
      const expected = before.some((s) => s.name === 'regcred') ? before : [...before, { name: 'regcred' }];
      expect(after).toEqual(expected);
      const { changed, removed } = lineChanges(input, out);
      expect(removed).toEqual([]);
      for (const [from] of changed) expect(from).toMatch(/podTemplate|spec|imagePullSecrets/); // only the lines holding the changed value
      expect(await renderOk(out, ['--image-pull-secret', 'regcred'])).toBe(out);
    });
  }

  it('JSON documents stay JSON', async () => {
    const input = JSON.stringify({
      apiVersion: 'kibana.k8s.elastic.co/v1',
      kind: 'Kibana',
      metadata: { name: 'kb' },
      spec: { version: '8.16.1', podTemplate: {} },
    });
    const out = await renderOk(input, ['--image-pull-secret', 'regcred']);
    expect(JSON.parse(out)).toEqual({
      apiVersion: 'kibana.k8s.elastic.co/v1',
      kind: 'Kibana',
      metadata: { name: 'kb' },
      spec: {
        version: '8.16.1',
        podTemplate: { spec: { imagePullSecrets: [{ name: 'regcred' }] } },
        image: 'my.registry/kibana/kibana:8.16.1',
      },
    });
  });

  it('a Beat or Agent gets them only in the deployment kinds it has', async () => {
    const out = await renderOk(resource(KINDS[4]!), ['--image-pull-secret', 'regcred']);
    const spec = (parse(out) as { spec: Record<string, unknown> }).spec;
    expect(spec).not.toHaveProperty('deployment');
    expect(spec).not.toHaveProperty('statefulSet');
  });

  it('an Elasticsearch with no nodeSets gets none, and the documents still parse', async () => {
    const out = await renderOk(
      'apiVersion: elasticsearch.k8s.elastic.co/v1\nkind: Elasticsearch\nmetadata:\n  name: es\nspec:\n  version: 8.16.1\n',
      ['--image-pull-secret', 'regcred'],
    );
    expect(out).not.toContain('imagePullSecrets');
    expect(parseAllDocuments(out).every((d) => d.errors.length === 0)).toBe(true);
  });
});
