import { describe, it, expect } from 'vitest';
import { ELASTIC_KINDS, KNOWN_BEAT_TYPES, type ElasticKind } from '../../src/eck/kinds.js';
import {
  defaultImage,
  monitoringSidecarImage,
  NamingError,
  upstreamImage,
  type ContainerSettings,
} from '../../src/eck/naming.js';
import { parseReference } from '../../src/image/reference.js';

const R = 'my.registry:5000';

function kind(name: string): ElasticKind {
  const found = ELASTIC_KINDS.find((k) => k.kind === name);
  if (!found) throw new Error(`no kind ${name} in kinds.ts`);
  return found;
}

/** The spec of a resource at a version; Beats get a type. */
function spec(kindName: string, version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return kindName === 'Beat' ? { version, type: 'filebeat', ...extra } : { version, ...extra };
}

type Case = [kind: string, version: string, settings: Omit<ContainerSettings, 'registry'>, image: string];

function check(cases: Case[]): void {
  it.each(cases)('%s %s %j -> %s', (kindName, version, settings, image) => {
    expect(defaultImage(kind(kindName), spec(kindName, version), { registry: R, ...settings })).toBe(image);
  });
}

describe('default path of every kind (no suffix, no repository)', () => {
  const expected: Record<string, string> = {
    Elasticsearch: `${R}/elasticsearch/elasticsearch:8.16.1`,
    Kibana: `${R}/kibana/kibana:8.16.1`,
    ApmServer: `${R}/apm/apm-server:8.16.1`,
    EnterpriseSearch: `${R}/enterprise-search/enterprise-search:8.16.1`,
    Beat: `${R}/beats/filebeat:8.16.1`,
    Agent: `${R}/beats/elastic-agent:8.16.1`,
    ElasticMapsServer: `${R}/elastic-maps-service/elastic-maps-server:8.16.1`,
    Logstash: `${R}/logstash/logstash:8.16.1`,
    AutoOpsAgentPolicy: `${R}/elastic-agent/elastic-otel-collector-wolfi:8.16.1`,
    PackageRegistry: `${R}/package-registry/distribution:lite-8.16.1`,
  };

  it('covers every kind of the kind table', () => {
    expect(Object.keys(expected).sort()).toEqual(ELASTIC_KINDS.map((k) => k.kind).sort());
  });

  it.each(ELASTIC_KINDS.map((k) => [k.kind]))('%s', (kindName) => {
    const image = defaultImage(kind(kindName), spec(kindName, '8.16.1'), { registry: R });
    expect(image).toBe(expected[kindName]);
    expect(parseReference(image)).toBeDefined();
  });
});

describe('every kind in UBI mode', () => {
  check([
    ['Elasticsearch', '8.16.1', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi:8.16.1`],
    ['Kibana', '8.16.1', { suffix: '-ubi' }, `${R}/kibana/kibana-ubi:8.16.1`],
    ['ApmServer', '8.16.1', { suffix: '-ubi' }, `${R}/apm/apm-server-ubi:8.16.1`],
    ['EnterpriseSearch', '8.16.1', { suffix: '-ubi' }, `${R}/enterprise-search/enterprise-search-ubi:8.16.1`],
    ['Beat', '8.16.1', { suffix: '-ubi' }, `${R}/beats/filebeat-ubi:8.16.1`],
    ['Agent', '8.16.1', { suffix: '-ubi' }, `${R}/beats/elastic-agent-ubi:8.16.1`],
    ['ElasticMapsServer', '8.16.1', { suffix: '-ubi' }, `${R}/elastic-maps-service/elastic-maps-server-ubi:8.16.1`],
    ['Logstash', '8.16.1', { suffix: '-ubi' }, `${R}/logstash/logstash-ubi:8.16.1`],
    ['AutoOpsAgentPolicy', '8.16.1', { suffix: '-ubi' }, `${R}/elastic-agent/elastic-otel-collector-wolfi-ubi:8.16.1`],
    ['PackageRegistry', '8.16.1', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-8.19.8-ubi`],
    // from 9.0.0: no suffix at all in UBI mode
    ['Elasticsearch', '9.1.0', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch:9.1.0`],
    ['Kibana', '9.1.0', { suffix: '-ubi' }, `${R}/kibana/kibana:9.1.0`],
    ['ApmServer', '9.0.0', { suffix: '-ubi' }, `${R}/apm/apm-server:9.0.0`],
    ['Beat', '9.1.0', { suffix: '-ubi' }, `${R}/beats/filebeat:9.1.0`],
    ['Agent', '9.1.0', { suffix: '-ubi' }, `${R}/elastic-agent/elastic-agent:9.1.0`],
    ['ElasticMapsServer', '9.1.0', { suffix: '-ubi' }, `${R}/elastic-maps-service/elastic-maps-server:9.1.0`],
    ['Logstash', '9.1.0', { suffix: '-ubi' }, `${R}/logstash/logstash:9.1.0`],
    ['AutoOpsAgentPolicy', '9.2.0', { suffix: '-ubi' }, `${R}/elastic-agent/elastic-otel-collector-wolfi:9.2.0`],
    ['PackageRegistry', '9.3.0', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.3.0-ubi`],
  ]);
});

describe('UBI suffix by version (-ubi8 for 7.x < 7.17.16 and 8.x < 8.12.0)', () => {
  check([
    ['Elasticsearch', '6.8.23', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi:6.8.23`],
    ['Elasticsearch', '7.10.0', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi8:7.10.0`],
    ['Elasticsearch', '7.17.15', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi8:7.17.15`],
    ['Elasticsearch', '7.17.16', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi:7.17.16`],
    ['Elasticsearch', '7.17.29', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi:7.17.29`],
    ['Elasticsearch', '8.0.0', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi8:8.0.0`],
    ['Elasticsearch', '8.11.0', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi8:8.11.0`],
    ['Elasticsearch', '8.11.4', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi8:8.11.4`],
    ['Elasticsearch', '8.12.0', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi:8.12.0`],
    ['Elasticsearch', '8.19.3', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi:8.19.3`],
    ['Elasticsearch', '9.0.0', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch:9.0.0`],
    ['Elasticsearch', '10.0.0', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch:10.0.0`],
    ['Kibana', '7.17.15', { suffix: '-ubi' }, `${R}/kibana/kibana-ubi8:7.17.15`],
    ['Kibana', '8.11.4', { suffix: '-ubi' }, `${R}/kibana/kibana-ubi8:8.11.4`],
    // The operator's thresholds are version.MinFor(...): pre-releases of the threshold are at or above it.
    ['Elasticsearch', '7.17.16-SNAPSHOT', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi:7.17.16-SNAPSHOT`],
    ['Elasticsearch', '8.12.0-SNAPSHOT', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi:8.12.0-SNAPSHOT`],
    ['Elasticsearch', '8.11.5-SNAPSHOT', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi8:8.11.5-SNAPSHOT`],
    // MinFor is X.Y.Z-1 (v3.5.0 pkg/controller/common/version/version.go): the pre-release -0 is below it
    ['Elasticsearch', '8.12.0-0', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi8:8.12.0-0`],
    ['Elasticsearch', '7.17.16-0', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi8:7.17.16-0`],
    ['Elasticsearch', '8.12.0-1', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi:8.12.0-1`],
    // from 9.0.0 by major number: 9.0.0 pre-releases get no suffix either
    ['Elasticsearch', '9.0.0-SNAPSHOT', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch:9.0.0-SNAPSHOT`],
    ['Elasticsearch', '8.99.99', { suffix: '-ubi' }, `${R}/elasticsearch/elasticsearch-ubi:8.99.99`],
  ]);
});

describe('versions are written as given (SNAPSHOT, pre-releases)', () => {
  check([
    ['Elasticsearch', '8.16.0-SNAPSHOT', {}, `${R}/elasticsearch/elasticsearch:8.16.0-SNAPSHOT`],
    ['Kibana', '9.1.0-rc.1', {}, `${R}/kibana/kibana:9.1.0-rc.1`],
    ['Logstash', '8.17.0-SNAPSHOT', { suffix: '-ubi' }, `${R}/logstash/logstash-ubi:8.17.0-SNAPSHOT`],
    ['PackageRegistry', '9.3.0-SNAPSHOT', {}, `${R}/package-registry/distribution:lite-9.3.0-SNAPSHOT`],
  ]);
});

describe('Agent image path (beats/ before 9, elastic-agent/ from 9)', () => {
  check([
    ['Agent', '7.17.0', {}, `${R}/beats/elastic-agent:7.17.0`],
    ['Agent', '8.17.0', {}, `${R}/beats/elastic-agent:8.17.0`],
    ['Agent', '8.99.99', {}, `${R}/beats/elastic-agent:8.99.99`],
    ['Agent', '8.19.0-SNAPSHOT', {}, `${R}/beats/elastic-agent:8.19.0-SNAPSHOT`],
    ['Agent', '9.0.0', {}, `${R}/elastic-agent/elastic-agent:9.0.0`],
    ['Agent', '9.2.1', {}, `${R}/elastic-agent/elastic-agent:9.2.1`],
    // The operator decides by major number (AgentImageFor: Major < 9), not by semver precedence.
    ['Agent', '9.0.0-SNAPSHOT', {}, `${R}/elastic-agent/elastic-agent:9.0.0-SNAPSHOT`],
    ['Agent', '9.0.0-beta1', {}, `${R}/elastic-agent/elastic-agent:9.0.0-beta1`],
    ['Agent', '8.11.0', { suffix: '-ubi' }, `${R}/beats/elastic-agent-ubi8:8.11.0`],
    ['Agent', '9.0.0', { suffix: '-ubi' }, `${R}/elastic-agent/elastic-agent:9.0.0`],
    ['Agent', '8.17.0', { repository: 'elastic' }, `${R}/elastic/elastic-agent:8.17.0`],
    ['Agent', '9.0.0', { repository: 'elastic' }, `${R}/elastic/elastic-agent:9.0.0`],
  ]);
});

describe('Elastic Maps Server (UBI-only before 8.16.0)', () => {
  check([
    ['ElasticMapsServer', '7.17.15', {}, `${R}/elastic-maps-service/elastic-maps-server-ubi8:7.17.15`],
    ['ElasticMapsServer', '7.17.16', {}, `${R}/elastic-maps-service/elastic-maps-server-ubi:7.17.16`],
    ['ElasticMapsServer', '8.11.0', {}, `${R}/elastic-maps-service/elastic-maps-server-ubi8:8.11.0`],
    ['ElasticMapsServer', '8.12.0', {}, `${R}/elastic-maps-service/elastic-maps-server-ubi:8.12.0`],
    ['ElasticMapsServer', '8.15.1', {}, `${R}/elastic-maps-service/elastic-maps-server-ubi:8.15.1`],
    ['ElasticMapsServer', '8.15.99', {}, `${R}/elastic-maps-service/elastic-maps-server-ubi:8.15.99`],
    ['ElasticMapsServer', '8.16.0', {}, `${R}/elastic-maps-service/elastic-maps-server:8.16.0`],
    // MinFor(8, 16, 0): 8.16.0 pre-releases are multi-arch already
    ['ElasticMapsServer', '8.16.0-SNAPSHOT', {}, `${R}/elastic-maps-service/elastic-maps-server:8.16.0-SNAPSHOT`],
    // MinFor(8, 16, 0) is 8.16.0-1 (v3.5.0 pkg/controller/common/container/container.go MinMapsVersionOnARM): -0 is below
    ['ElasticMapsServer', '8.16.0-0', {}, `${R}/elastic-maps-service/elastic-maps-server-ubi:8.16.0-0`],
    ['ElasticMapsServer', '9.0.0', {}, `${R}/elastic-maps-service/elastic-maps-server:9.0.0`],
    // UBI mode: the UBI suffix once
    ['ElasticMapsServer', '7.17.15', { suffix: '-ubi' }, `${R}/elastic-maps-service/elastic-maps-server-ubi8:7.17.15`],
    ['ElasticMapsServer', '7.17.16', { suffix: '-ubi' }, `${R}/elastic-maps-service/elastic-maps-server-ubi:7.17.16`],
    ['ElasticMapsServer', '8.11.0', { suffix: '-ubi' }, `${R}/elastic-maps-service/elastic-maps-server-ubi8:8.11.0`],
    ['ElasticMapsServer', '8.12.0', { suffix: '-ubi' }, `${R}/elastic-maps-service/elastic-maps-server-ubi:8.12.0`],
    ['ElasticMapsServer', '8.16.0', { suffix: '-ubi' }, `${R}/elastic-maps-service/elastic-maps-server-ubi:8.16.0`],
    ['ElasticMapsServer', '9.0.0', { suffix: '-ubi' }, `${R}/elastic-maps-service/elastic-maps-server:9.0.0`],
    // another suffix is appended after the UBI one
    [
      'ElasticMapsServer',
      '8.11.0',
      { suffix: '-obi1' },
      `${R}/elastic-maps-service/elastic-maps-server-ubi8-obi1:8.11.0`,
    ],
    [
      'ElasticMapsServer',
      '8.12.0',
      { suffix: '-obi1' },
      `${R}/elastic-maps-service/elastic-maps-server-ubi-obi1:8.12.0`,
    ],
    [
      'ElasticMapsServer',
      '8.15.1',
      { suffix: '-obi1' },
      `${R}/elastic-maps-service/elastic-maps-server-ubi-obi1:8.15.1`,
    ],
    ['ElasticMapsServer', '8.16.0', { suffix: '-obi1' }, `${R}/elastic-maps-service/elastic-maps-server-obi1:8.16.0`],
    [
      'ElasticMapsServer',
      '8.15.1',
      { suffix: '-wolfi' },
      `${R}/elastic-maps-service/elastic-maps-server-ubi-wolfi:8.15.1`,
    ],
    ['ElasticMapsServer', '8.16.0', { suffix: '-wolfi' }, `${R}/elastic-maps-service/elastic-maps-server-wolfi:8.16.0`],
    // repository applies (before the suffix)
    ['ElasticMapsServer', '7.17.16', { repository: 'elastic' }, `${R}/elastic/elastic-maps-server-ubi:7.17.16`],
    ['ElasticMapsServer', '7.17.15', { repository: 'elastic' }, `${R}/elastic/elastic-maps-server-ubi8:7.17.15`],
    ['ElasticMapsServer', '8.16.0', { repository: 'elastic' }, `${R}/elastic/elastic-maps-server:8.16.0`],
  ]);
});

describe('configured suffixes other than -ubi', () => {
  check([
    ['Elasticsearch', '8.16.1', { suffix: '-obi1' }, `${R}/elasticsearch/elasticsearch-obi1:8.16.1`],
    ['Elasticsearch', '9.0.0', { suffix: '-fips' }, `${R}/elasticsearch/elasticsearch-fips:9.0.0`],
    ['Elasticsearch', '8.16.1', { suffix: '-wolfi' }, `${R}/elasticsearch/elasticsearch-wolfi:8.16.1`],
    ['Kibana', '8.16.1', { suffix: '-wolfi' }, `${R}/kibana/kibana-wolfi:8.16.1`],
    ['ApmServer', '8.16.1', { suffix: '-wolfi' }, `${R}/apm/apm-server-wolfi:8.16.1`],
    ['Beat', '8.16.1', { suffix: '-wolfi' }, `${R}/beats/filebeat-wolfi:8.16.1`],
    ['Agent', '9.0.0', { suffix: '-wolfi' }, `${R}/elastic-agent/elastic-agent-wolfi:9.0.0`],
    ['Logstash', '8.16.1', { suffix: '-wolfi' }, `${R}/logstash/logstash-wolfi:8.16.1`],
    [
      'AutoOpsAgentPolicy',
      '9.2.0',
      { suffix: '-wolfi' },
      `${R}/elastic-agent/elastic-otel-collector-wolfi-wolfi:9.2.0`,
    ],
    // ECK 3.5.0 (the newest release) appends -wolfi like any suffix, also to the already Wolfi-based images
    ['EnterpriseSearch', '8.16.1', { suffix: '-wolfi' }, `${R}/enterprise-search/enterprise-search-wolfi:8.16.1`],
    ['PackageRegistry', '8.16.1', { suffix: '-wolfi' }, `${R}/package-registry/distribution-wolfi:lite-8.16.1`],
    // ... but other suffixes are kept for them
    ['EnterpriseSearch', '8.16.1', { suffix: '-obi1' }, `${R}/enterprise-search/enterprise-search-obi1:8.16.1`],
    ['PackageRegistry', '8.19.0', { suffix: '-custom' }, `${R}/package-registry/distribution-custom:lite-8.19.0`],
    // the UBI suffix is the exact string '-ubi'; anything else is an ordinary suffix
    ['Elasticsearch', '8.16.1', { suffix: '-ubi8' }, `${R}/elasticsearch/elasticsearch-ubi8:8.16.1`],
    ['Elasticsearch', '9.0.0', { suffix: '-ubi9' }, `${R}/elasticsearch/elasticsearch-ubi9:9.0.0`],
    ['Elasticsearch', '8.16.1', { suffix: '' }, `${R}/elasticsearch/elasticsearch:8.16.1`],
  ]);
});

describe('repository: <repository>/<last path element>, before the suffix', () => {
  check([
    ['Elasticsearch', '8.16.1', { repository: 'elastic' }, `${R}/elastic/elasticsearch:8.16.1`],
    ['Kibana', '8.16.1', { repository: 'elastic' }, `${R}/elastic/kibana:8.16.1`],
    ['ApmServer', '8.16.1', { repository: 'elastic' }, `${R}/elastic/apm-server:8.16.1`],
    ['EnterpriseSearch', '8.16.1', { repository: 'elastic' }, `${R}/elastic/enterprise-search:8.16.1`],
    ['Beat', '8.16.1', { repository: 'elastic' }, `${R}/elastic/filebeat:8.16.1`],
    ['Logstash', '8.16.1', { repository: 'elastic' }, `${R}/elastic/logstash:8.16.1`],
    ['AutoOpsAgentPolicy', '9.2.0', { repository: 'elastic' }, `${R}/elastic/elastic-otel-collector-wolfi:9.2.0`],
    ['Elasticsearch', '8.16.1', { repository: 'mirror/elastic' }, `${R}/mirror/elastic/elasticsearch:8.16.1`],
    ['Elasticsearch', '8.16.1', { repository: 'elastic', suffix: '-obi1' }, `${R}/elastic/elasticsearch-obi1:8.16.1`],
    ['Elasticsearch', '8.12.0', { repository: 'elastic', suffix: '-ubi' }, `${R}/elastic/elasticsearch-ubi:8.12.0`],
    ['Elasticsearch', '8.11.0', { repository: 'elastic', suffix: '-ubi' }, `${R}/elastic/elasticsearch-ubi8:8.11.0`],
    ['Elasticsearch', '9.0.0', { repository: 'elastic', suffix: '-ubi' }, `${R}/elastic/elasticsearch:9.0.0`],
    ['Elasticsearch', '8.16.1', { repository: '' }, `${R}/elasticsearch/elasticsearch:8.16.1`],
    // the operator ignores repository for the Package Registry image
    ['PackageRegistry', '8.16.1', { repository: 'elastic' }, `${R}/package-registry/distribution:lite-8.16.1`],
    [
      'PackageRegistry',
      '9.3.0',
      { repository: 'elastic', suffix: '-ubi' },
      `${R}/package-registry/distribution:lite-9.3.0-ubi`,
    ],
  ]);
});

describe('Package Registry tags', () => {
  check([
    // non-UBI: lite-<version>, lite-8.15.1 below 8.15.1
    ['PackageRegistry', '1.0.0', {}, `${R}/package-registry/distribution:lite-8.15.1`],
    ['PackageRegistry', '8.15.0', {}, `${R}/package-registry/distribution:lite-8.15.1`],
    ['PackageRegistry', '8.15.1-SNAPSHOT', {}, `${R}/package-registry/distribution:lite-8.15.1`],
    ['PackageRegistry', '8.15.1', {}, `${R}/package-registry/distribution:lite-8.15.1`],
    ['PackageRegistry', '8.15.2', {}, `${R}/package-registry/distribution:lite-8.15.2`],
    ['PackageRegistry', '8.19.0', {}, `${R}/package-registry/distribution:lite-8.19.0`],
    ['PackageRegistry', '9.0.0', {}, `${R}/package-registry/distribution:lite-9.0.0`],
    ['PackageRegistry', '9.2.2', {}, `${R}/package-registry/distribution:lite-9.2.2`],
    ['PackageRegistry', '8.10.0', { suffix: '-random' }, `${R}/package-registry/distribution-random:lite-8.15.1`],
    // UBI: no suffix on the name, tag lite-<v>-ubi, with floors
    ['PackageRegistry', '7.17.0', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-8.19.8-ubi`],
    ['PackageRegistry', '8.0.0', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-8.19.8-ubi`],
    ['PackageRegistry', '8.11.0', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-8.19.8-ubi`],
    ['PackageRegistry', '8.19.7', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-8.19.8-ubi`],
    ['PackageRegistry', '8.19.8-SNAPSHOT', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-8.19.8-ubi`],
    ['PackageRegistry', '8.19.8', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-8.19.8-ubi`],
    ['PackageRegistry', '8.19.9', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-8.19.9-ubi`],
    ['PackageRegistry', '8.20.0', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-8.20.0-ubi`],
    ['PackageRegistry', '9.0.0-SNAPSHOT', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.1.8-ubi`],
    ['PackageRegistry', '9.0.0', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.1.8-ubi`],
    ['PackageRegistry', '9.1.0', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.1.8-ubi`],
    ['PackageRegistry', '9.1.7', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.1.8-ubi`],
    ['PackageRegistry', '9.1.8-SNAPSHOT', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.1.8-ubi`],
    ['PackageRegistry', '9.1.8', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.1.8-ubi`],
    ['PackageRegistry', '9.1.9', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.1.9-ubi`],
    ['PackageRegistry', '9.2.0', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.2.2-ubi`],
    ['PackageRegistry', '9.2.1', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.2.2-ubi`],
    ['PackageRegistry', '9.2.2-SNAPSHOT', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.2.2-ubi`],
    ['PackageRegistry', '9.2.2', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.2.2-ubi`],
    ['PackageRegistry', '9.2.3', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.2.3-ubi`],
    ['PackageRegistry', '9.3.0', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-9.3.0-ubi`],
    [
      'PackageRegistry',
      '9.3.0-SNAPSHOT',
      { suffix: '-ubi' },
      `${R}/package-registry/distribution:lite-9.3.0-SNAPSHOT-ubi`,
    ],
    ['PackageRegistry', '10.0.0', { suffix: '-ubi' }, `${R}/package-registry/distribution:lite-10.0.0-ubi`],
  ]);
});

describe('Beats', () => {
  it.each(KNOWN_BEAT_TYPES.map((t) => [t]))('known type %s', (type) => {
    expect(defaultImage(kind('Beat'), { version: '8.16.1', type }, { registry: R })).toBe(`${R}/beats/${type}:8.16.1`);
    expect(defaultImage(kind('Beat'), { version: '8.11.0', type }, { registry: R, suffix: '-ubi' })).toBe(
      `${R}/beats/${type}-ubi8:8.11.0`,
    );
    expect(defaultImage(kind('Beat'), { version: '8.16.1', type }, { registry: R, repository: 'elastic' })).toBe(
      `${R}/elastic/${type}:8.16.1`,
    );
  });

  it('knows exactly the six beat types of the operator', () => {
    expect([...KNOWN_BEAT_TYPES].sort()).toEqual(
      ['auditbeat', 'filebeat', 'heartbeat', 'journalbeat', 'metricbeat', 'packetbeat'].sort(),
    );
  });

  it.each(['foo', 'winlogbeat', 'osquerybeat', 'Filebeat', 'beats/filebeat'])('unknown type %s is an error', (type) => {
    const call = () => defaultImage(kind('Beat'), { version: '8.16.1', type }, { registry: R });
    expect(call).toThrow(NamingError);
    expect(call).toThrow(`Beat type ${JSON.stringify(type)} has no default image: set spec.image`);
  });

  it('a type that is not a string is an error', () => {
    expect(() => defaultImage(kind('Beat'), { version: '8.16.1', type: 42 }, { registry: R })).toThrow(
      'Beat type 42 has no default image: set spec.image',
    );
  });

  it.each([[{ version: '8.16.1' }], [{ version: '8.16.1', type: '' }], [{ version: '8.16.1', type: null }]])(
    'a missing type is an error: %j',
    (beatSpec) => {
      expect(() => defaultImage(kind('Beat'), beatSpec, { registry: R })).toThrow(/spec\.type is missing/);
    },
  );
});

describe('missing or unparsable spec.version', () => {
  it.each([[undefined], [null], [{}], [{ version: '' }], [{ version: null }], ['not an object'], [[]]])(
    'spec %j: spec.version is missing',
    (s) => {
      const call = () => defaultImage(kind('Elasticsearch'), s, { registry: R });
      expect(call).toThrow(NamingError);
      expect(call).toThrow('spec.version is missing');
    },
  );

  it.each([
    [{ version: '8.16' }, '"8.16"'],
    [{ version: 'v8.16.0' }, '"v8.16.0"'],
    [{ version: 'latest' }, '"latest"'],
    [{ version: 8.16 }, '"8.16"'],
    [{ version: 8 }, '"8"'],
    [{ version: ' 8.16.0' }, '" 8.16.0"'],
  ])('spec %j: names the bad value', (s, shown) => {
    const call = () => defaultImage(kind('Kibana'), s, { registry: R });
    expect(call).toThrow(NamingError);
    expect(call).toThrow(`spec.version ${shown} is not a valid version`);
  });

  it('checks the version of Beats before their type', () => {
    expect(() => defaultImage(kind('Beat'), { type: 'foo' }, { registry: R })).toThrow('spec.version is missing');
  });

  it('NamingError is an Error with its own name', () => {
    try {
      defaultImage(kind('Kibana'), {}, { registry: R });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).name).toBe('NamingError');
    }
  });
});

describe('registries', () => {
  it.each([
    ['docker.elastic.co', 'docker.elastic.co/elasticsearch/elasticsearch:8.16.1'],
    ['my.registry', 'my.registry/elasticsearch/elasticsearch:8.16.1'],
    ['my.registry:5000', 'my.registry:5000/elasticsearch/elasticsearch:8.16.1'],
    ['localhost:5000', 'localhost:5000/elasticsearch/elasticsearch:8.16.1'],
    ['10.0.0.1:443', '10.0.0.1:443/elasticsearch/elasticsearch:8.16.1'],
  ])('%s', (registry, image) => {
    expect(defaultImage(kind('Elasticsearch'), { version: '8.16.1' }, { registry })).toBe(image);
  });

  it('ignores other spec fields, including spec.image', () => {
    expect(
      defaultImage(kind('Kibana'), { version: '8.16.1', image: 'somewhere/else:1', count: 3 }, { registry: R }),
    ).toBe(`${R}/kibana/kibana:8.16.1`);
  });
});

describe('monitoringSidecarImage', () => {
  it.each([
    ['metrics', '8.16.1', {}, `${R}/beats/metricbeat:8.16.1`],
    ['logs', '8.16.1', {}, `${R}/beats/filebeat:8.16.1`],
    ['metrics', '8.11.0', { suffix: '-ubi' }, `${R}/beats/metricbeat-ubi8:8.11.0`],
    ['logs', '7.17.16', { suffix: '-ubi' }, `${R}/beats/filebeat-ubi:7.17.16`],
    ['metrics', '9.0.0', { suffix: '-ubi' }, `${R}/beats/metricbeat:9.0.0`],
    ['logs', '8.16.1', { suffix: '-wolfi' }, `${R}/beats/filebeat-wolfi:8.16.1`],
    ['metrics', '8.16.1', { repository: 'elastic' }, `${R}/elastic/metricbeat:8.16.1`],
    [
      'logs',
      '8.17.0-SNAPSHOT',
      { repository: 'elastic', suffix: '-obi1' },
      `${R}/elastic/filebeat-obi1:8.17.0-SNAPSHOT`,
    ],
  ] as const)('%s %s %j -> %s', (which, version, settings, image) => {
    expect(monitoringSidecarImage(which, version, { registry: R, ...settings })).toBe(image);
  });

  it.each(['', '8.16', 'latest'])('version %j is a NamingError', (version) => {
    expect(() => monitoringSidecarImage('metrics', version, { registry: R })).toThrow(NamingError);
  });
});

describe('upstreamImage', () => {
  it.each([
    ['Elasticsearch', { version: '8.16.1' }, {}, 'docker.elastic.co/elasticsearch/elasticsearch:8.16.1'],
    [
      'Elasticsearch',
      { version: '8.16.1' },
      { suffix: '-ubi' },
      'docker.elastic.co/elasticsearch/elasticsearch-ubi:8.16.1',
    ],
    [
      'Elasticsearch',
      { version: '8.11.0' },
      { suffix: '-ubi' },
      'docker.elastic.co/elasticsearch/elasticsearch-ubi8:8.11.0',
    ],
    ['Kibana', { version: '9.0.0' }, { suffix: '-ubi' }, 'docker.elastic.co/kibana/kibana:9.0.0'],
    ['Agent', { version: '9.0.0' }, {}, 'docker.elastic.co/elastic-agent/elastic-agent:9.0.0'],
    ['Beat', { version: '8.16.1', type: 'heartbeat' }, {}, 'docker.elastic.co/beats/heartbeat:8.16.1'],
    [
      'ElasticMapsServer',
      { version: '8.15.0' },
      { suffix: '-obi1' },
      'docker.elastic.co/elastic-maps-service/elastic-maps-server-ubi-obi1:8.15.0',
    ],
    [
      'EnterpriseSearch',
      { version: '8.16.1' },
      { suffix: '-wolfi' },
      'docker.elastic.co/enterprise-search/enterprise-search-wolfi:8.16.1',
    ],
    [
      'PackageRegistry',
      { version: '8.16.1' },
      { suffix: '-ubi' },
      'docker.elastic.co/package-registry/distribution:lite-8.19.8-ubi',
    ],
    ['PackageRegistry', { version: '8.14.0' }, {}, 'docker.elastic.co/package-registry/distribution:lite-8.15.1'],
  ] as const)('%s %j %j -> %s', (kindName, s, settings, image) => {
    expect(upstreamImage(kind(kindName), s, settings)).toBe(image);
  });

  it('uses the given source registry', () => {
    expect(upstreamImage(kind('Logstash'), { version: '8.16.1' }, { suffix: '-ubi' }, 'source.example:8443')).toBe(
      'source.example:8443/logstash/logstash-ubi:8.16.1',
    );
  });

  it('never applies a repository, even when one is passed along', () => {
    const settings = { suffix: '-ubi', repository: 'elastic', registry: 'my.registry' } as Omit<
      ContainerSettings,
      'registry' | 'repository'
    >;
    expect(upstreamImage(kind('Elasticsearch'), { version: '8.16.1' }, settings)).toBe(
      'docker.elastic.co/elasticsearch/elasticsearch-ubi:8.16.1',
    );
  });

  it('fails like defaultImage', () => {
    expect(() => upstreamImage(kind('Beat'), { version: '8.16.1', type: 'foo' }, {})).toThrow(NamingError);
    expect(() => upstreamImage(kind('Kibana'), {}, {})).toThrow('spec.version is missing');
  });
});
