// Stack-monitoring sidecars exactly when the operator creates them, with the image it uses:
// - pkg/controller/common/stackmon/monitoring/monitoring.go AreEsRefsDefined (v2.10.0–v3.5.0): at least one ref and
//   every ref set (pkg/apis/common/v1/common.go ObjectSelector.IsSet / IsDefined: name or secretName not empty);
// - pkg/controller/common/stackmon/sidecar.go: the containers are named `metricbeat` and `filebeat`; a Beat's are
//   renamed `metrics-monitoring-sidecar` / `logs-monitoring-sidecar` (pkg/controller/beat/common/pod.go, v2.10.0–v3.5.0);
// - pkg/controller/common/defaults/pod_template.go WithContainers: a pod-template container of the same name is
//   defaulted from the sidecar (pkg/controller/common/container defaulter: only empty fields), so its image stays.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

interface Entry {
  source: string;
  target: string;
  usedBy: { kind: string; field: string; reason: string }[];
}

async function images(input: string, args: string[] = []): Promise<Entry[]> {
  const r = await runCli(['images', '--registry', 'my.registry', '-o', 'json', ...args], { input });
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Entry[];
}

const es = (
  monitoring: string,
  nodeSets = '  - name: default\n    count: 1\n',
): string => `apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata:
  name: es
  namespace: obs
spec:
  version: 8.16.1
  image: my.registry/elasticsearch/elasticsearch:8.16.1
  monitoring:
${monitoring}  nodeSets:
${nodeSets}`;

/** The Beats images listed (spec.image is on the mirror already: mapped back, listed too, not of interest here). */
const sources = (list: Entry[]): string[] =>
  list.map((e) => e.source).filter((s) => /\/beats\/(metricbeat|filebeat):/.test(s));

describe('monitoring refs', () => {
  it('a ref with an empty name (or none) creates no sidecar; images and check agree', async () => {
    for (const refs of [
      '    metrics:\n      elasticsearchRefs:\n      - name: ""\n',
      '    logs:\n      elasticsearchRefs:\n      - namespace: obs\n',
      '    metrics:\n      elasticsearchRefs: []\n',
    ]) {
      const input = es(refs);
      expect(sources(await images(input)), refs).toEqual([]);
      const check = await runCli(['check', '--registry', 'my.registry'], { input });
      expect(check.exitCode, check.stderr + check.stdout).toBe(0);
    }
  });

  it('one unset ref among set ones: none (AreEsRefsDefined wants every ref set)', async () => {
    const list = await images(es('    metrics:\n      elasticsearchRefs:\n      - name: mon\n      - name: ""\n'));
    expect(sources(list)).toEqual([]);
  });

  it('a ref by secretName is set: the sidecar is pulled', async () => {
    const list = await images(es('    logs:\n      elasticsearchRefs:\n      - secretName: external-mon\n'));
    expect(sources(list)).toEqual(['docker.elastic.co/beats/filebeat:8.16.1']);
  });
});

describe('a pod-template container named like the sidecar, with its own image', () => {
  const metrics = '    metrics:\n      elasticsearchRefs:\n      - name: mon\n';
  const own = (name: string, image: string): string =>
    `    podTemplate:\n      spec:\n        containers:\n        - name: ${name}\n          image: ${image}\n`;

  it('Elasticsearch: `metricbeat` in every node set keeps its image; the default is not listed', async () => {
    const input = es(
      metrics,
      `  - name: a\n    count: 1\n${own('metricbeat', 'docker.elastic.co/beats/metricbeat:8.16.1-custom')}`,
    );
    const list = await images(input);
    expect(sources(list)).toEqual(['docker.elastic.co/beats/metricbeat:8.16.1-custom']);
    expect(list[0]!.usedBy[0]).toMatchObject({
      reason: 'container',
      field: 'spec.nodeSets[0].podTemplate.spec.containers[0].image',
    });
    // render moves that container's image; check (operator not in the stream) finds only it, on docker.elastic.co.
    const render = await runCli(['--registry', 'my.registry', '-q'], { input });
    expect(render.stdout).toContain('image: my.registry/beats/metricbeat:8.16.1-custom');
    const check = await runCli(['check', '--registry', 'my.registry'], { input });
    expect(check.exitCode).toBe(1);
    expect(check.stdout.trim().split('\n')).toHaveLength(1);
    expect(check.stdout).toMatch(
      /^docker\.elastic\.co\/beats\/metricbeat:8\.16\.1-custom \(docker\.elastic\.co\): .*\(container\)/,
    );
    const checkRendered = await runCli(['check', '--registry', 'my.registry'], { input: render.stdout });
    expect(checkRendered.exitCode, checkRendered.stdout).toBe(0);
  });

  it('Elasticsearch: a node set without its own still gets the default sidecar (each node set is its own pod template)', async () => {
    const input = es(
      metrics,
      `  - name: a\n    count: 1\n${own('metricbeat', 'docker.elastic.co/beats/metricbeat:8.16.1-custom')}  - name: b\n    count: 1\n`,
    );
    expect(sources(await images(input)).sort()).toEqual([
      'docker.elastic.co/beats/metricbeat:8.16.1',
      'docker.elastic.co/beats/metricbeat:8.16.1-custom',
    ]);
  });

  it('a container `metricbeat` without an image is defaulted: the default sidecar is listed', async () => {
    const input = es(
      metrics,
      `  - name: a\n    count: 1\n    podTemplate:\n      spec:\n        containers:\n        - name: metricbeat\n          resources: {}\n`,
    );
    expect(sources(await images(input))).toEqual(['docker.elastic.co/beats/metricbeat:8.16.1']);
  });

  it('an init container of that name does not count (WithContainers merges containers only)', async () => {
    const input = es(
      metrics,
      `  - name: a\n    count: 1\n    podTemplate:\n      spec:\n        initContainers:\n        - name: metricbeat\n          image: docker.elastic.co/beats/metricbeat:8.16.1-custom\n`,
    );
    expect(sources(await images(input)).sort()).toEqual([
      'docker.elastic.co/beats/metricbeat:8.16.1',
      'docker.elastic.co/beats/metricbeat:8.16.1-custom',
    ]);
  });

  const beat = (container: string): string => `apiVersion: beat.k8s.elastic.co/v1beta1
kind: Beat
metadata:
  name: hb
spec:
  type: heartbeat
  version: 8.16.1
  image: my.registry/beats/heartbeat:8.16.1
  monitoring:
    metrics:
      elasticsearchRefs:
      - name: mon
  deployment:
    podTemplate:
      spec:
        containers:
        - name: ${container}
          image: docker.elastic.co/beats/metricbeat:8.16.1-custom
`;

  it('Beat: `metrics-monitoring-sidecar` keeps its image; a container named `metricbeat` is not the sidecar', async () => {
    expect(sources(await images(beat('metrics-monitoring-sidecar')))).toEqual([
      'docker.elastic.co/beats/metricbeat:8.16.1-custom',
    ]);
    expect(sources(await images(beat('metricbeat'))).sort()).toEqual([
      'docker.elastic.co/beats/metricbeat:8.16.1',
      'docker.elastic.co/beats/metricbeat:8.16.1-custom',
    ]);
  });
});
