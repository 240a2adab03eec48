// The plan (src/plan): one step turns a resource into its image sites, each with the image the operator pulls before
// and after render and where render writes it. Naming facts: ECK v3.5.0 pkg/controller/common/container/container.go
// (ImageRepository: `<registry>/<path><suffix>:<version>`), pkg/controller/common/stackmon/sidecar.go (sidecars).
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { DEFAULT_CONTAINER_REGISTRY } from '../../src/eck/kinds.js';
import { NEWEST_RELEASE } from '../../src/eck/release.js';
import type { ImageSite } from '../../src/plan/image-site.js';
import { containerSites, elasticSites, type PlanContext } from '../../src/plan/resource-sites.js';
import { containerImages } from '../../src/sites/pod-spec.js';
import { visitResource } from '../../src/sites/visit-resource.js';

const mirror = {
  registry: 'harbor.corp/elastic',
  operatorRepository: 'eck',
  sourceRegistries: ['docker.elastic.co'],
  mirrors: {},
};

function plan(text: string, overrides: Partial<PlanContext> = {}): { sites: ImageSite[]; warnings: string[] } {
  const doc = parseDocument(text);
  const warnings: string[] = [];
  const ctx: PlanContext = {
    container: { registry: 'harbor.corp/elastic', release: NEWEST_RELEASE },
    containerBefore: { registry: DEFAULT_CONTAINER_REGISTRY, release: NEWEST_RELEASE },
    mirror,
    writeDefaults: true,
    releaseFrom: 'the test',
    warn: (w) => warnings.push(w),
    ...overrides,
  };
  const sites: ImageSite[] = [];
  visitResource(doc.contents, doc, 'document 1', {
    elastic: (r, kind) => sites.push(...elasticSites(ctx, r, kind).sites),
    workload: (r, _k, pod) => {
      if (pod)
        sites.push(
          ...containerSites(
            ctx,
            r,
            containerImages(pod.podSpec, pod.field, doc, () => r.where),
            'container',
          ),
        );
    },
  });
  return { sites, warnings };
}

const KIBANA = `apiVersion: kibana.k8s.elastic.co/v1
kind: Kibana
metadata: {name: kb, namespace: ns}
spec:
  version: 8.16.1
  monitoring:
    logs:
      elasticsearchRefs: [{name: mon}]
  podTemplate:
    spec:
      initContainers:
      - name: init
        image: docker.elastic.co/kibana/kibana:8.16.1
`;

describe('elasticSites', () => {
  it('default image, sidecar and pod-template container, each with before, after and where it is written', () => {
    const { sites } = plan(KIBANA);
    expect(sites.map((s) => [s.kind, s.reason, s.field, s.before, s.after])).toEqual([
      [
        'default-image',
        'operator-default',
        'spec.image',
        'docker.elastic.co/kibana/kibana:8.16.1',
        'harbor.corp/elastic/kibana/kibana:8.16.1',
      ],
      [
        'sidecar',
        'monitoring-sidecar',
        'spec.monitoring.logs.elasticsearchRefs',
        'docker.elastic.co/beats/filebeat:8.16.1',
        'harbor.corp/elastic/beats/filebeat:8.16.1',
      ],
      [
        'pod-template-container',
        'container',
        'spec.podTemplate.spec.initContainers[0].image',
        'docker.elastic.co/kibana/kibana:8.16.1',
        'harbor.corp/elastic/kibana/kibana:8.16.1',
      ],
    ]);
    expect(sites[0]!.write).toMatchObject({ how: 'add' }); // spec.image added after spec.version
    expect(sites[1]!.write).toBeUndefined(); // the operator names its sidecars; render writes nothing there
    expect(sites[2]!.write?.how).toBe('replace');
    expect(sites[2]!.relocation).toBe('moved');
    expect(sites.every((s) => s.document === 'document 1' && s.resource.name === 'kb')).toBe(true);
  });

  it('spec.image as written: moved, or left (not covered) with no write; no default computed', () => {
    const moved = plan(
      KIBANA.replace(
        '  version: 8.16.1\n',
        '  version: 8.16.1\n  image: docker.elastic.co/kibana/kibana:8.16.1@sha256:' + 'a'.repeat(64) + '\n',
      ),
    ).sites[0]!;
    expect(moved).toMatchObject({
      kind: 'spec-image',
      reason: 'explicit',
      relocation: 'moved',
      after: `harbor.corp/elastic/kibana/kibana:8.16.1@sha256:${'a'.repeat(64)}`,
    });
    const left = plan(KIBANA.replace('  version: 8.16.1\n', '  version: 8.16.1\n  image: quay.io/x/kibana:1\n'))
      .sites[0]!;
    expect(left).toMatchObject({
      kind: 'spec-image',
      relocation: 'not-covered',
      before: 'quay.io/x/kibana:1',
      after: 'quay.io/x/kibana:1',
    });
    expect(left.write).toBeUndefined();
  });

  it('without mirror settings (check) nothing moves: after is what is pulled now', () => {
    const { sites } = plan(KIBANA, {
      container: { registry: DEFAULT_CONTAINER_REGISTRY, release: NEWEST_RELEASE },
      containerBefore: undefined,
      mirror: undefined,
      writeDefaults: false,
    });
    expect(sites.map((s) => s.after)).toEqual([
      'docker.elastic.co/kibana/kibana:8.16.1',
      'docker.elastic.co/beats/filebeat:8.16.1',
      'docker.elastic.co/kibana/kibana:8.16.1',
    ]);
    expect(sites.every((s) => s.write === undefined && s.relocation === undefined)).toBe(true);
  });

  it('a workload: the operator image is an operator-image site, under the mirror path and its repository', () => {
    const { sites } = plan(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: elastic-operator, namespace: elastic-system}
spec:
  template:
    spec:
      containers:
      - name: manager
        image: docker.elastic.co/eck/eck-operator:3.5.0
`);
    expect(sites).toHaveLength(1);
    expect(sites[0]).toMatchObject({
      kind: 'operator-image',
      reason: 'operator',
      after: 'harbor.corp/elastic/eck/eck-operator:3.5.0',
      field: 'spec.template.spec.containers[0].image',
    });
  });

  it('a refused version throws before any site; a licence-dependent one warns', () => {
    expect(() =>
      plan(
        `apiVersion: logstash.k8s.elastic.co/v1alpha1\nkind: Logstash\nmetadata: {name: ls}\nspec: {version: 8.11.0}\n`,
      ),
    ).toThrow(/refuses spec\.version 8\.11\.0/);
    const { sites, warnings } = plan(
      `apiVersion: autoops.k8s.elastic.co/v1alpha1\nkind: AutoOpsAgentPolicy\nmetadata: {name: a}\nspec: {version: 9.2.3}\n`,
    );
    expect(sites).toHaveLength(1);
    expect(warnings.join('\n')).toMatch(/Enterprise licence/);
  });
});
