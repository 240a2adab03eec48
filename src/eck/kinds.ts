/**
 * The ECK kind table: the one place that says, for each Elastic resource the operator manages,
 * which API group it lives in, which image the operator pulls when `spec.image` is not set,
 * where its pod templates are, and whether the operator can inject stack-monitoring sidecars.
 * Every other module (render, images, check) reads this table; nothing else hard-codes a kind.
 */

/** Where a pod template sits below `spec`: a path of keys, `*` standing for every item of a list. */
export type PodTemplatePath = readonly string[];

export interface ElasticKind {
  /** `kind:` as written in manifests. */
  readonly kind: string;
  /** API group, e.g. `elasticsearch.k8s.elastic.co`. */
  readonly group: string;
  /**
   * The image path the operator uses by default (`<registry>/<path><suffix>:<version>`),
   * or `beats/<spec.type>` for Beats (resolved by the naming rules).
   */
  readonly imagePath: string;
  /**
   * Pod template locations below `spec`: containers may be listed there, and pull secrets go into every one whose
   * parent exists (each node set; `spec` itself; whichever of daemonSet/deployment/statefulSet a Beat or Agent has).
   */
  readonly podTemplates: readonly PodTemplatePath[];
  /** Whether the operator injects Metricbeat/Filebeat sidecars for `spec.monitoring`. */
  readonly stackMonitoring: boolean;
}

const DEPLOYMENT_LIKE: readonly PodTemplatePath[] = [
  ['daemonSet', 'podTemplate'],
  ['deployment', 'podTemplate'],
  ['statefulSet', 'podTemplate'],
];

export const ELASTIC_KINDS: readonly ElasticKind[] = [
  {
    kind: 'Elasticsearch',
    group: 'elasticsearch.k8s.elastic.co',
    imagePath: 'elasticsearch/elasticsearch',
    podTemplates: [['nodeSets', '*', 'podTemplate']],
    stackMonitoring: true,
  },
  {
    kind: 'Kibana',
    group: 'kibana.k8s.elastic.co',
    imagePath: 'kibana/kibana',
    podTemplates: [['podTemplate']],
    stackMonitoring: true,
  },
  {
    kind: 'ApmServer',
    group: 'apm.k8s.elastic.co',
    imagePath: 'apm/apm-server',
    podTemplates: [['podTemplate']],
    stackMonitoring: false,
  },
  {
    kind: 'EnterpriseSearch',
    group: 'enterprisesearch.k8s.elastic.co',
    imagePath: 'enterprise-search/enterprise-search',
    podTemplates: [['podTemplate']],
    stackMonitoring: false,
  },
  {
    kind: 'Beat',
    group: 'beat.k8s.elastic.co',
    imagePath: 'beats/<type>',
    podTemplates: DEPLOYMENT_LIKE,
    stackMonitoring: true,
  },
  {
    kind: 'Agent',
    group: 'agent.k8s.elastic.co',
    imagePath: 'beats/elastic-agent',
    podTemplates: DEPLOYMENT_LIKE,
    stackMonitoring: false,
  },
  {
    kind: 'ElasticMapsServer',
    group: 'maps.k8s.elastic.co',
    imagePath: 'elastic-maps-service/elastic-maps-server',
    podTemplates: [['podTemplate']],
    stackMonitoring: false,
  },
  {
    kind: 'Logstash',
    group: 'logstash.k8s.elastic.co',
    imagePath: 'logstash/logstash',
    podTemplates: [['podTemplate']],
    stackMonitoring: true,
  },
  {
    kind: 'AutoOpsAgentPolicy',
    group: 'autoops.k8s.elastic.co',
    imagePath: 'elastic-agent/elastic-otel-collector',
    podTemplates: [['podTemplate']],
    stackMonitoring: false,
  },
  {
    kind: 'PackageRegistry',
    group: 'packageregistry.k8s.elastic.co',
    imagePath: 'package-registry/distribution',
    podTemplates: [['podTemplate']],
    stackMonitoring: false,
  },
];

/** Agent images moved from `beats/` to `elastic-agent/` with 9.0.0. */
export const AGENT_IMAGE_PATH_FROM_9 = 'elastic-agent/elastic-agent';

/** Beat types whose image the operator knows; any other type must carry `spec.image`. */
export const KNOWN_BEAT_TYPES: readonly string[] = [
  'filebeat',
  'metricbeat',
  'heartbeat',
  'auditbeat',
  'journalbeat',
  'packetbeat',
];

/** Images of the stack-monitoring sidecars the operator injects. */
export const MONITORING_SIDECARS = {
  metrics: 'beats/metricbeat',
  logs: 'beats/filebeat',
} as const;

/** The operator's own image name on `docker.elastic.co` (variants add `-ubi`, `-fips`, …). */
export const OPERATOR_IMAGE_NAME = 'eck-operator';
export const OPERATOR_SOURCE_REPOSITORY = 'eck';

/** The registry the operator pulls from when nothing says otherwise. */
export const DEFAULT_CONTAINER_REGISTRY = 'docker.elastic.co';

const byGroup = new Map(ELASTIC_KINDS.map((k) => [k.group, k]));

/** The Elastic kind of a document, from its `apiVersion` (group/version) and `kind`, if it is one. */
export function elasticKindOf(apiVersion: unknown, kind: unknown): ElasticKind | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const entry = byGroup.get(group);
  return entry && entry.kind === kind ? entry : undefined;
}

/** True when an apiVersion belongs to one of the Elastic groups (used by the cheap classifier). */
export function isElasticGroup(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  return slash > 0 && byGroup.has(apiVersion.slice(0, slash));
}
