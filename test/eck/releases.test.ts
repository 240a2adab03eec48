// Naming per ECK operator release: every case of ECK's own container_test.go at every release tag eck-airgap
// knows (test/eck/fixtures/eck-container-cases.json, built by scripts/eck-container-cases.mjs from the tags),
// plus the differences between release lines that ECK's tests do not pin down (read from container.go and its
// callers at each tag).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { ELASTIC_KINDS, KNOWN_RELEASES, NEWEST_KNOWN_RELEASE, type ElasticKind } from '../../src/eck/kinds.js';
import { defaultImage, monitoringSidecarImage, NamingError } from '../../src/eck/naming.js';
import { operatorRelease } from '../../src/eck/release.js';

interface EckCase {
  name: string;
  kind: string;
  version: string;
  repository: string;
  suffix: string;
  want: string;
  registry: string;
}
const table = JSON.parse(readFileSync(new URL('./fixtures/eck-container-cases.json', import.meta.url), 'utf8')) as {
  releases: Record<string, EckCase[]>;
};

function kind(name: string): ElasticKind {
  const found = ELASTIC_KINDS.find((k) => k.kind === name);
  if (!found) throw new Error(`no kind ${name}`);
  return found;
}

function image(
  release: string,
  kindName: string,
  version: string,
  suffix = '',
  repository = '',
  type?: string,
): string {
  return defaultImage(
    kind(kindName),
    { version, type },
    {
      registry: 'docker.elastic.co',
      ...(repository ? { repository } : {}),
      ...(suffix ? { suffix } : {}),
      release: operatorRelease(release)!,
    },
  );
}

describe("ECK's container_test.go at every known release tag", () => {
  it('covers every release eck-airgap knows', () => {
    expect(Object.keys(table.releases)).toEqual([...KNOWN_RELEASES]);
  });
  for (const [release, cases] of Object.entries(table.releases)) {
    describe(`operator ${release}`, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const got = defaultImage(
          kind(c.kind),
          { version: c.version },
          {
            registry: c.registry,
            ...(c.repository ? { repository: c.repository } : {}),
            ...(c.suffix ? { suffix: c.suffix } : {}),
            release: operatorRelease(release)!,
          },
        );
        expect(got).toBe(c.want);
      });
    });
  }
});

// [release, kind, stack version, suffix (-ubi = UBI mode), repository, expected image]
type Row = [string, string, string, string, string, string];
const D = 'docker.elastic.co';
const rows: Row[] = [
  // Agent: beats/elastic-agent under every 2.x operator, elastic-agent/elastic-agent from stack 9 with 3.0.0.
  ['2.16.1', 'Agent', '9.0.0', '', '', `${D}/beats/elastic-agent:9.0.0`],
  ['2.10.0', 'Agent', '9.1.0', '', '', `${D}/beats/elastic-agent:9.1.0`],
  ['3.0.0', 'Agent', '9.0.0', '', '', `${D}/elastic-agent/elastic-agent:9.0.0`],
  ['3.0.0', 'Agent', '9.0.0-SNAPSHOT', '', '', `${D}/elastic-agent/elastic-agent:9.0.0-SNAPSHOT`],
  ['3.5.0', 'Agent', '8.17.0', '', '', `${D}/beats/elastic-agent:8.17.0`],
  // UBI mode on 9.x: 2.x keeps the suffix, 3.x drops it.
  ['2.16.1', 'Elasticsearch', '9.0.0', '-ubi', '', `${D}/elasticsearch/elasticsearch-ubi:9.0.0`],
  ['2.16.1', 'Agent', '9.0.0', '-ubi', '', `${D}/beats/elastic-agent-ubi:9.0.0`],
  ['2.11.0', 'Kibana', '9.0.0', '-ubi', 'elastic', `${D}/elastic/kibana-ubi:9.0.0`],
  ['3.0.0', 'Elasticsearch', '9.0.0', '-ubi', '', `${D}/elasticsearch/elasticsearch:9.0.0`],
  ['3.5.0', 'Agent', '9.0.0', '-ubi', '', `${D}/elastic-agent/elastic-agent:9.0.0`],
  // 2.10: --ubi-only is suffix -ubi8 for every image and version; Maps' path already ends with -ubi8.
  ['2.10.0', 'Elasticsearch', '8.16.1', '-ubi', '', `${D}/elasticsearch/elasticsearch-ubi8:8.16.1`],
  ['2.10.0', 'Kibana', '9.0.0', '-ubi', '', `${D}/kibana/kibana-ubi8:9.0.0`],
  ['2.10.0', 'ElasticMapsServer', '8.16.1', '', '', `${D}/elastic-maps-service/elastic-maps-server-ubi8:8.16.1`],
  ['2.10.0', 'ElasticMapsServer', '8.16.1', '-ubi', 'elastic', `${D}/elastic/elastic-maps-server-ubi8:8.16.1`],
  [
    '2.10.0',
    'ElasticMapsServer',
    '8.16.1',
    '-wolfi',
    '',
    `${D}/elastic-maps-service/elastic-maps-server-ubi8-wolfi:8.16.1`,
  ],
  // Maps: UBI-only for every version from 2.11 to 2.14, below 8.16.0 from 2.15.
  ['2.14.0', 'ElasticMapsServer', '8.16.0', '', '', `${D}/elastic-maps-service/elastic-maps-server-ubi:8.16.0`],
  ['2.14.0', 'ElasticMapsServer', '9.0.0', '', '', `${D}/elastic-maps-service/elastic-maps-server-ubi:9.0.0`],
  ['2.15.0', 'ElasticMapsServer', '8.16.0', '', '', `${D}/elastic-maps-service/elastic-maps-server:8.16.0`],
  ['2.15.0', 'ElasticMapsServer', '8.15.3', '', '', `${D}/elastic-maps-service/elastic-maps-server-ubi:8.15.3`],
  ['3.5.0', 'ElasticMapsServer', '9.0.0', '-ubi', '', `${D}/elastic-maps-service/elastic-maps-server:9.0.0`],
  // 3.3–3.5: AutoOps' -wolfi image; every suffix appended as given, -wolfi included.
  ['3.3.0', 'AutoOpsAgentPolicy', '9.1.0', '', '', `${D}/elastic-agent/elastic-otel-collector-wolfi:9.1.0`],
  ['3.5.0', 'AutoOpsAgentPolicy', '9.2.1', '-wolfi', '', `${D}/elastic-agent/elastic-otel-collector-wolfi-wolfi:9.2.1`],
  ['3.5.0', 'AutoOpsAgentPolicy', '9.2.1', '', 'elastic', `${D}/elastic/elastic-otel-collector-wolfi:9.2.1`],
  ['3.5.0', 'EnterpriseSearch', '8.18.0', '-wolfi', '', `${D}/enterprise-search/enterprise-search-wolfi:8.18.0`],
  ['3.5.0', 'PackageRegistry', '9.2.1', '-wolfi', '', `${D}/package-registry/distribution-wolfi:lite-9.2.1`],
  ['3.5.0', 'PackageRegistry', '9.2.1', '', 'elastic', `${D}/package-registry/distribution:lite-9.2.1`],
  ['3.5.0', 'PackageRegistry', '9.1.0', '-ubi', '', `${D}/package-registry/distribution:lite-9.1.8-ubi`],
  // A release past 3.5.0 but below main's VERSION follows 3.5.0's rules.
  ['3.5.1', 'AutoOpsAgentPolicy', '9.2.1', '', '', `${D}/elastic-agent/elastic-otel-collector-wolfi:9.2.1`],
  // ECK main (VERSION 3.6.0-SNAPSHOT) pkg/controller/common/container/container.go and container_test.go:
  // AutoOpsAgentImage "elastic-agent/elastic-otel-collector"; isWolfiNative (PackageRegistry, EnterpriseSearch).
  ['3.6.0-SNAPSHOT', 'AutoOpsAgentPolicy', '9.4.2', '', '', `${D}/elastic-agent/elastic-otel-collector:9.4.2`],
  [
    '3.6.0-SNAPSHOT',
    'AutoOpsAgentPolicy',
    '9.4.2',
    '-wolfi',
    '',
    `${D}/elastic-agent/elastic-otel-collector-wolfi:9.4.2`,
  ],
  ['3.6.0-SNAPSHOT', 'EnterpriseSearch', '8.16.0', '-wolfi', '', `${D}/enterprise-search/enterprise-search:8.16.0`],
  [
    '3.6.0-SNAPSHOT',
    'EnterpriseSearch',
    '8.16.0',
    '-custom',
    '',
    `${D}/enterprise-search/enterprise-search-custom:8.16.0`,
  ],
  ['3.6.0-SNAPSHOT', 'PackageRegistry', '9.0.0', '-wolfi', '', `${D}/package-registry/distribution:lite-9.0.0`],
  ['3.6.0-SNAPSHOT', 'PackageRegistry', '8.15.0', '', '', `${D}/package-registry/distribution:lite-8.15.1`],
  ['3.6.0', 'AutoOpsAgentPolicy', '9.2.1', '', 'elastic', `${D}/elastic/elastic-otel-collector:9.2.1`],
  // A release newer than every known one follows the newest rules: main's.
  ['3.9.0', 'AutoOpsAgentPolicy', '9.2.1', '', '', `${D}/elastic-agent/elastic-otel-collector:9.2.1`],
  // Pre-releases of an operator follow their release line.
  ['3.0.0-rc1', 'Agent', '9.0.0', '', '', `${D}/elastic-agent/elastic-agent:9.0.0`],
];

describe('differences between release lines (container.go and its callers at each tag)', () => {
  it.each(rows)(
    'operator %s: %s %s suffix %j repository %j -> %s',
    (release, kindName, version, suffix, repository, want) => {
      expect(image(release, kindName, version, suffix, repository)).toBe(want);
    },
  );

  it('Beats by type, every release line', () => {
    for (const release of ['2.10.0', '2.16.1', '3.5.0']) {
      expect(image(release, 'Beat', '8.16.1', '', '', 'metricbeat')).toBe(`${D}/beats/metricbeat:8.16.1`);
    }
  });

  it('stack-monitoring sidecars follow the same release rules', () => {
    const at = (release: string, suffix: string) =>
      monitoringSidecarImage('metrics', '9.0.0', { registry: D, suffix, release: operatorRelease(release)! });
    expect(at('2.16.1', '-ubi')).toBe(`${D}/beats/metricbeat-ubi:9.0.0`);
    expect(at('3.0.0', '-ubi')).toBe(`${D}/beats/metricbeat:9.0.0`);
    expect(at('2.10.0', '-ubi')).toBe(`${D}/beats/metricbeat-ubi8:9.0.0`);
  });

  it('AutoOpsAgentPolicy and PackageRegistry do not exist before operator 3.3.0', () => {
    for (const kindName of ['AutoOpsAgentPolicy', 'PackageRegistry']) {
      for (const release of ['2.10.0', '2.16.1', '3.0.0', '3.2.0']) {
        expect(() => image(release, kindName, '9.1.0')).toThrow(NamingError);
        expect(() => image(release, kindName, '9.1.0')).toThrow(
          new RegExp(
            `${kindName} is managed by ECK operator 3.3.0 and later, not by operator release ${release.replace(/\./g, '\\.')}`,
          ),
        );
      }
      expect(image('3.3.0', kindName, '9.2.2')).toMatch(/^docker\.elastic\.co\//);
    }
  });

  it('knows which releases are newer or older than every known one', () => {
    expect(operatorRelease(NEWEST_KNOWN_RELEASE)!.newerThanKnown).toBe(false);
    expect(operatorRelease('3.5.1')!.newerThanKnown).toBe(true);
    expect(operatorRelease('3.5.1')!.unreleased).toBe(false);
    // main's VERSION (ECK main: VERSION 3.6.0-SNAPSHOT) is a known line, marked unreleased
    for (const v of ['3.6.0-SNAPSHOT', '3.6.0']) {
      expect(operatorRelease(v)!.newerThanKnown, v).toBe(false);
      expect(operatorRelease(v)!.unreleased, v).toBe(true);
    }
    expect(operatorRelease('3.7.0')!.newerThanKnown).toBe(true);
    expect(operatorRelease('3.7.0')!.unreleased).toBe(true);
    expect(operatorRelease(NEWEST_KNOWN_RELEASE)!.unreleased).toBe(false);
    expect(operatorRelease('2.9.0')!.olderThanKnown).toBe(true);
    expect(operatorRelease('2.16')).toBeUndefined();
  });
});
