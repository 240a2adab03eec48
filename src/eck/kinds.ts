/**
 * The ECK kind table: the one place that says, for each Elastic resource the operator manages,
 * which API group it lives in, which image the operator pulls when `spec.image` is not set — per operator
 * release line —, where its pod templates are, and whether the operator can inject stack-monitoring sidecars;
 * and the table of operator release lines with the naming rules each one follows. Every other module (render,
 * images, check) reads these tables; nothing else hard-codes a kind or a release.
 *
 * Facts taken from ECK's source at each release tag from v2.10.0 to v3.5.0
 * (pkg/controller/common/container/container.go, its callers and container_test.go), and, for operators past the
 * newest tag, from ECK's main branch (UNRELEASED_LINE: a line marked unreleased).
 */

/** Where a pod template sits below `spec`: a path of keys, `*` standing for every item of a list. */
export type PodTemplatePath = readonly string[];

export interface ElasticKind {
  /** `kind:` as written in manifests. */
  readonly kind: string;
  /** API group, e.g. `elasticsearch.k8s.elastic.co`. */
  readonly group: string;
  /**
   * The default image by operator release line, oldest first: the entry in effect is the last one whose `from`
   * is not above the operator's release. An operator older than the first entry does not manage this kind.
   */
  readonly images: readonly KindImage[];
  /**
   * Pod template locations below `spec`: containers may be listed there, and pull secrets go into every one whose
   * parent exists (each node set; `spec` itself; whichever of daemonSet/deployment/statefulSet a Beat or Agent has).
   */
  readonly podTemplates: readonly PodTemplatePath[];
  /** Whether the operator injects Metricbeat/Filebeat sidecars for `spec.monitoring`. */
  readonly stackMonitoring: boolean;
}

/** How one operator release line names a kind's default image. */
export interface KindImage {
  /** The first operator release (X.Y.Z) this entry applies to. */
  readonly from: string;
  /** The image path (`beats/<type>` for Beats). */
  readonly path: string;
  /** The path for stack 9.x and later (the operator switches on the major number alone, pre-releases included). */
  readonly pathFrom9?: string;
  /** Images that exist only as UBI images for some stack versions: the UBI suffix is always added there. */
  readonly alwaysUbi?: 'every-version' | 'below-8.16.0';
  /** Already built on Wolfi: a configured `-wolfi` suffix is not appended (ECK main, `isWolfiNative`; no release yet). */
  readonly wolfiBased?: boolean;
  /** Package Registry: `lite-<version>` tags, UBI in the tag, `container-repository` ignored. */
  readonly packageRegistryTags?: boolean;
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
    images: [{ from: '2.10.0', path: 'elasticsearch/elasticsearch' }],
    podTemplates: [['nodeSets', '*', 'podTemplate']],
    stackMonitoring: true,
  },
  {
    kind: 'Kibana',
    group: 'kibana.k8s.elastic.co',
    images: [{ from: '2.10.0', path: 'kibana/kibana' }],
    podTemplates: [['podTemplate']],
    stackMonitoring: true,
  },
  {
    kind: 'ApmServer',
    group: 'apm.k8s.elastic.co',
    images: [{ from: '2.10.0', path: 'apm/apm-server' }],
    podTemplates: [['podTemplate']],
    stackMonitoring: false,
  },
  {
    kind: 'EnterpriseSearch',
    group: 'enterprisesearch.k8s.elastic.co',
    images: [
      { from: '2.10.0', path: 'enterprise-search/enterprise-search' },
      // main (3.6.0-SNAPSHOT) container.go isWolfiNative: a -wolfi suffix is not appended.
      { from: '3.6.0', path: 'enterprise-search/enterprise-search', wolfiBased: true },
    ],
    podTemplates: [['podTemplate']],
    stackMonitoring: false,
  },
  {
    kind: 'Beat',
    group: 'beat.k8s.elastic.co',
    images: [{ from: '2.10.0', path: 'beats/<type>' }],
    podTemplates: DEPLOYMENT_LIKE,
    stackMonitoring: true,
  },
  {
    kind: 'Agent',
    group: 'agent.k8s.elastic.co',
    images: [
      { from: '2.10.0', path: 'beats/elastic-agent' },
      { from: '3.0.0', path: 'beats/elastic-agent', pathFrom9: 'elastic-agent/elastic-agent' },
    ],
    podTemplates: DEPLOYMENT_LIKE,
    stackMonitoring: false,
  },
  {
    kind: 'ElasticMapsServer',
    group: 'maps.k8s.elastic.co',
    images: [
      // 2.10: the path itself ends with -ubi8 (every version), and a suffix it already ends with is not added again.
      { from: '2.10.0', path: 'elastic-maps-service/elastic-maps-server-ubi8' },
      { from: '2.11.0', path: 'elastic-maps-service/elastic-maps-server', alwaysUbi: 'every-version' },
      { from: '2.15.0', path: 'elastic-maps-service/elastic-maps-server', alwaysUbi: 'below-8.16.0' },
    ],
    podTemplates: [['podTemplate']],
    stackMonitoring: false,
  },
  {
    kind: 'Logstash',
    group: 'logstash.k8s.elastic.co',
    images: [{ from: '2.10.0', path: 'logstash/logstash' }],
    podTemplates: [['podTemplate']],
    stackMonitoring: true,
  },
  {
    kind: 'AutoOpsAgentPolicy',
    group: 'autoops.k8s.elastic.co',
    images: [
      { from: '3.3.0', path: 'elastic-agent/elastic-otel-collector-wolfi' },
      // main (3.6.0-SNAPSHOT) container.go: AutoOpsAgentImage = "elastic-agent/elastic-otel-collector".
      { from: '3.6.0', path: 'elastic-agent/elastic-otel-collector' },
    ],
    podTemplates: [['podTemplate']],
    stackMonitoring: false,
  },
  {
    kind: 'PackageRegistry',
    group: 'packageregistry.k8s.elastic.co',
    images: [
      { from: '3.3.0', path: 'package-registry/distribution', packageRegistryTags: true },
      // main (3.6.0-SNAPSHOT) container.go isWolfiNative: a -wolfi suffix is not appended.
      { from: '3.6.0', path: 'package-registry/distribution', packageRegistryTags: true, wolfiBased: true },
    ],
    podTemplates: [['podTemplate']],
    stackMonitoring: false,
  },
];

/**
 * One line of ECK operator releases that name images the same way: from `from` up to the next line's `from`.
 * Which kinds a release manages, and their paths, are in each kind's `images`.
 */
export interface ReleaseLine {
  /** The first release of the line (X.Y.Z). */
  readonly from: string;
  /**
   * UBI mode (`--ubi-only`): `ubi8-everywhere` — the operator sets suffix `-ubi8` for every image and version
   * (2.10); `by-version` — `-ubi8` for 7.x below 7.17.16 and 8.x below 8.12.0, else `-ubi` (from 2.11).
   */
  readonly ubiSuffix: 'ubi8-everywhere' | 'by-version';
  /** UBI mode on stack 9.x: `keep` the UBI suffix (2.x), or `drop` it (3.x: UBI is 9.x's default image). */
  readonly ubiOn9: 'keep' | 'drop';
  /**
   * How a configured suffix is added: `unless-path-ends-with-it` (2.10: not added when the default path already
   * ends with it, as Maps' `-ubi8`), `after-ubi` (from 2.11: after any UBI suffix; in UBI mode nothing more).
   */
  readonly suffixRule: 'unless-path-ends-with-it' | 'after-ubi';
}

/** ECK operator release lines, oldest first (facts from ECK's source at each tag). */
export const RELEASE_LINES: readonly ReleaseLine[] = [
  { from: '2.10.0', ubiSuffix: 'ubi8-everywhere', ubiOn9: 'keep', suffixRule: 'unless-path-ends-with-it' },
  { from: '2.11.0', ubiSuffix: 'by-version', ubiOn9: 'keep', suffixRule: 'after-ubi' },
  // 2.15.0: Maps stops being UBI-only from stack 8.16.0 (in the kind table).
  { from: '3.0.0', ubiSuffix: 'by-version', ubiOn9: 'drop', suffixRule: 'after-ubi' },
  // 3.3.0: AutoOpsAgentPolicy and PackageRegistry (in the kind table).
  // 3.6.0 (UNRELEASED_LINE, ECK main): AutoOps without -wolfi in its path; no -wolfi for Package Registry and
  // Enterprise Search (in the kind table).
];

/**
 * The release line of ECK's main branch, past the newest tag: its rules (kind table entries `from` this line) apply
 * to operators from main's VERSION on (numbers compared, so 3.6.0-SNAPSHOT, 3.6.0 and later), with a warning that
 * they are not a release's. Read from ECK main (VERSION 3.6.0-SNAPSHOT), pkg/controller/common/container/container.go.
 */
export const UNRELEASED_LINE = { from: '3.6.0', version: '3.6.0-SNAPSHOT' } as const;

/** Every ECK operator release eck-airgap knows, oldest first; the last one is the default. */
export const KNOWN_RELEASES: readonly string[] = [
  '2.10.0',
  '2.11.0',
  '2.11.1',
  '2.12.0',
  '2.12.1',
  '2.13.0',
  '2.14.0',
  '2.15.0',
  '2.16.0',
  '2.16.1',
  '3.0.0',
  '3.1.0',
  '3.2.0',
  '3.3.0',
  '3.3.1',
  '3.3.2',
  '3.4.0',
  '3.4.1',
  '3.5.0',
];

/** The newest operator release eck-airgap knows: its rules apply when nothing says which release runs. */
export const NEWEST_KNOWN_RELEASE = KNOWN_RELEASES[KNOWN_RELEASES.length - 1]!;

/** Agent images moved from `beats/` to `elastic-agent/` for stack 9.0.0 (operator 3.0.0 and later). */
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

/**
 * The container name of each sidecar in the pod (pkg/controller/common/stackmon/sidecar.go NewBeatSidecar
 * `metricbeat`/`filebeat`; a Beat's are renamed in pkg/controller/beat/common/pod.go, 2.10.0–3.5.0). A pod-template
 * container of that name that sets its own image keeps it (PodTemplateBuilder.WithContainers, container defaulter).
 */
export function monitoringSidecarName(which: 'metrics' | 'logs', kind: string): string {
  if (kind === 'Beat') return which === 'metrics' ? 'metrics-monitoring-sidecar' : 'logs-monitoring-sidecar';
  return which === 'metrics' ? 'metricbeat' : 'filebeat';
}

/** The operator's own image name on `docker.elastic.co` (variants add `-ubi`, `-fips`, …). */
export const OPERATOR_IMAGE_NAME = 'eck-operator';
export const OPERATOR_SOURCE_REPOSITORY = 'eck';

/** The registry the operator pulls from when nothing says otherwise. */
export const DEFAULT_CONTAINER_REGISTRY = 'docker.elastic.co';

/** Every image path some known operator release names by itself (Agent's both paths, Beats by type, sidecars). */
export const KNOWN_IMAGE_PATHS: readonly string[] = [
  ...new Set([
    ...ELASTIC_KINDS.flatMap((k) => k.images.flatMap((i) => [i.path, ...(i.pathFrom9 ? [i.pathFrom9] : [])])).filter(
      (p) => !p.includes('<'),
    ),
    ...KNOWN_BEAT_TYPES.map((t) => `beats/${t}`),
    ...Object.values(MONITORING_SIDECARS),
  ]),
];

const byGroup = new Map(ELASTIC_KINDS.map((k) => [k.group, k]));

/** The Elastic kind of a document, from its `apiVersion` (group/version) and `kind`, if it is one. */
export function elasticKindOf(apiVersion: unknown, kind: unknown): ElasticKind | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const entry = byGroup.get(group);
  return entry && entry.kind === kind ? entry : undefined;
}
