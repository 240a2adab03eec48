// The real CLI over plain workloads: every kind, every container list, List items, mirrors, repository
// flattening, and strings that only look like images left alone.
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { lineChanges, render, renderOk } from '../support/cli.js';

const podSpec = (indent: string): string =>
  [
    'initContainers:',
    '- name: init',
    '  image: docker.elastic.co/tools/init:1',
    'containers:',
    '- name: main',
    '  image: docker.elastic.co/beats/filebeat:8.16.1',
    'ephemeralContainers:',
    '- name: debug',
    '  image: docker.elastic.co/tools/debug:2',
  ]
    .map((l) => indent + l + '\n')
    .join('');

const WORKLOADS: [string, string, string][] = [
  ['Pod', 'v1', `spec:\n${podSpec('  ')}`],
  ['Deployment', 'apps/v1', `spec:\n  template:\n    spec:\n${podSpec('      ')}`],
  ['StatefulSet', 'apps/v1', `spec:\n  template:\n    spec:\n${podSpec('      ')}`],
  ['DaemonSet', 'apps/v1', `spec:\n  template:\n    spec:\n${podSpec('      ')}`],
  ['ReplicaSet', 'apps/v1', `spec:\n  template:\n    spec:\n${podSpec('      ')}`],
  ['ReplicationController', 'v1', `spec:\n  template:\n    spec:\n${podSpec('      ')}`],
  ['Job', 'batch/v1', `spec:\n  template:\n    spec:\n${podSpec('      ')}`],
  [
    'CronJob',
    'batch/v1',
    `spec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${podSpec('          ')}`,
  ],
  ['PodTemplate', 'v1', `template:\n  spec:\n${podSpec('    ')}`],
];

describe('plain workloads', () => {
  for (const [kind, apiVersion, body] of WORKLOADS) {
    it(`${kind}: init, regular and ephemeral containers moved; pull secrets added`, async () => {
      const input = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: w\n${body}`;
      const out = await renderOk(input, ['--image-pull-secret', 'regcred']);
      const { changed, inserted, removed } = lineChanges(input, out);
      expect(removed).toEqual([]);
      expect(changed.map(([, after]) => after.trim())).toEqual([
        'image: my.registry/tools/init:1',
        'image: my.registry/beats/filebeat:8.16.1',
        'image: my.registry/tools/debug:2',
      ]);
      expect(inserted.map((l) => l.trim())).toEqual(['imagePullSecrets:', '- name: regcred']);
      expect(await renderOk(out, ['--image-pull-secret', 'regcred'])).toBe(out);
    });
  }

  it('adds no pull secrets to a pod spec that does not pull from the mirror', async () => {
    const input =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: quay.io/x/y:1\n';
    const result = await render(input, ['--image-pull-secret', 'regcred']);
    expect(result.stdout).toBe(input);
    expect(result.stderr).toContain('left: quay.io/x/y:1');
  });

  it('kind: List: every item', async () => {
    const input = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n  spec:\n    containers:\n    - name: a\n      image: docker.elastic.co/a/b:1\n- apiVersion: kibana.k8s.elastic.co/v1\n  kind: Kibana\n  metadata:\n    name: kb\n  spec:\n    version: 8.16.1\n`;
    const out = await renderOk(input);
    const list = parse(out) as { items: [{ spec: { containers: [{ image: string }] } }, { spec: { image: string } }] };
    expect(list.items[0].spec.containers[0].image).toBe('my.registry/a/b:1');
    expect(list.items[1].spec.image).toBe('my.registry/kibana/kibana:8.16.1');
  });
});

describe('mirrors and repository', () => {
  const pod = (image: string): string =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: ${image}\n`;
  const cases: [string, string][] = [
    ['nginx', 'my.registry/dockerhub/library/nginx'],
    ['nginx:1.27', 'my.registry/dockerhub/library/nginx:1.27'],
    ['curlimages/curl:8.0.0', 'my.registry/dockerhub/curlimages/curl:8.0.0'],
    ['docker.io/library/busybox:1', 'my.registry/dockerhub/library/busybox:1'],
    ['gcr.io/distroless/base', 'gcr.io/distroless/base'],
  ];
  for (const [from, to] of cases) {
    it(`--mirror docker.io=my.registry/dockerhub: ${from} → ${to}`, async () => {
      const out = await renderOk(pod(from), ['--mirror', 'docker.io=my.registry/dockerhub']);
      expect((parse(out) as { spec: { containers: [{ image: string }] } }).spec.containers[0].image).toBe(to);
    });
  }

  it('--repository flattens a source-registry path to <repository>/<last element>', async () => {
    const out = await renderOk(pod('docker.elastic.co/observability/apm/apm-server:8.16.1'), [
      '--repository',
      'elastic',
    ]);
    expect(out).toContain('image: my.registry/elastic/apm-server:8.16.1\n');
  });

  it('--source-registry adds registries whose images move', async () => {
    const out = await renderOk(pod('internal.example:5000/team/tool:1'), [
      '--source-registry',
      'docker.elastic.co',
      '--source-registry',
      'internal.example:5000',
    ]);
    expect(out).toContain('image: my.registry/team/tool:1\n');
  });

  it('an image already on the mirror is counted as such and left', async () => {
    const result = await render(pod('my.registry/x/y:1'));
    expect(result.stdout).toBe(pod('my.registry/x/y:1'));
    expect(result.stderr).toContain('1 already on the mirror');
  });
});

describe('strings that look like images are data', () => {
  it('ConfigMaps, Secrets, annotations, env values and CRDs are left byte for byte', async () => {
    const input = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    image: docker.elastic.co/elasticsearch/elasticsearch:8.16.1\ndata:\n  image: docker.elastic.co/elasticsearch/elasticsearch:8.16.1\n',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  image: docker.elastic.co/kibana/kibana:8.16.1\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  annotations:\n    image: docker.elastic.co/x/y:1\nspec:\n  template:\n    metadata:\n      annotations:\n        image: docker.elastic.co/x/y:1\n    spec:\n      containers:\n      - name: a\n        image: quay.io/a/b:1\n        env:\n        - name: IMAGE\n          value: docker.elastic.co/x/y:1\n',
      'apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: t\nspec:\n  image: docker.elastic.co/x/y:1\n',
    ].join('---\n');
    expect(await renderOk(input)).toBe(input);
  });
});
