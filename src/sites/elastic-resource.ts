/**
 * An Elastic resource as the operator sees it: its version, its `spec.image` (or the lack of one), the containers
 * of its pod templates, where its pull secrets go, and whether it asks for stack-monitoring sidecars.
 */
import { isMap, isScalar, type Document, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { ElasticKind, PodTemplatePath } from '../eck/kinds.js';
import { InputError } from '../errors.js';
import {
  describeNode,
  findPair,
  get,
  getMap,
  isNullNode,
  scalarText,
  seqItems,
  type AnyNode,
} from '../yaml/node-lookup.js';
import { containerImages, type ContainerImage } from './pod-spec.js';

/** A place that must hold the pull secrets: `parent` must get `podTemplate.spec.imagePullSecrets`. */
export interface PodTemplateSlot {
  readonly parent: YAMLMap;
  readonly field: string;
  /** The containers of its pod template (every list). */
  readonly containers: readonly ContainerImage[];
}

export interface ElasticResource {
  readonly kind: ElasticKind;
  /** `spec`, when it is a mapping. */
  readonly spec?: YAMLMap | undefined;
  /** The pair holding `spec.version`, when it is written in `spec` itself (new keys go after it). */
  readonly versionPair?: Pair | undefined;
  readonly version?: string | undefined;
  readonly beatType?: string | undefined;
  /** `spec.image`, when set. */
  readonly image?: Scalar | undefined;
  readonly containers: readonly ContainerImage[];
  readonly podTemplateSlots: readonly PodTemplateSlot[];
  /**
   * Stack monitoring the operator acts on: metrics (Metricbeat sidecar) and logs (Filebeat sidecar), each when
   * every one of its `elasticsearchRefs` names a resource or Secret (an empty name creates nothing).
   */
  readonly monitoring: { readonly metrics: boolean; readonly logs: boolean };
}

/**
 * ECK's AreEsRefsDefined (pkg/controller/common/stackmon/monitoring/monitoring.go, 2.10.0–3.5.0): at least one
 * ref, and every ref set (ObjectSelector.IsSet/IsDefined: `name` or `secretName` not empty).
 */
function hasRefs(monitoring: AnyNode, which: 'metrics' | 'logs', doc: Document): boolean {
  const refs = seqItems(get(getMap(monitoring, which, doc), 'elasticsearchRefs', doc), doc);
  const isSet = (ref: AnyNode): boolean =>
    isMap(ref) &&
    ((scalarText(get(ref, 'name', doc)) ?? '') !== '' || (scalarText(get(ref, 'secretName', doc)) ?? '') !== '');
  return refs.length > 0 && refs.every(isSet);
}

/** Walks a pod-template path (`*` = every list item); calls back with the parent map of each `podTemplate`. */
function walkSlots(
  node: AnyNode,
  path: PodTemplatePath,
  field: string,
  doc: Document,
  visit: (parent: YAMLMap, field: string) => void,
): void {
  const [step, ...rest] = path;
  if (step === 'podTemplate' && rest.length === 0) {
    if (isMap(node)) visit(node, field);
    return;
  }
  if (step === '*') {
    seqItems(node, doc).forEach((item, i) => walkSlots(item, rest, `${field}[${i}]`, doc, visit));
    return;
  }
  if (step === undefined || !isMap(node)) return;
  const found = findPair(node, step, doc);
  if (found) walkSlots(found.value, rest, `${field}.${step}`, doc, visit);
}

export function readElasticResource(
  kind: ElasticKind,
  root: YAMLMap,
  doc: Document,
  where: () => string,
): ElasticResource {
  const specNode = get(root, 'spec', doc);
  if (!isNullNode(specNode) && !isMap(specNode)) {
    throw new InputError(`${where()}: spec is ${describeNode(specNode)}, expected a mapping.`);
  }
  const spec = isMap(specNode) ? specNode : undefined;
  const versionFound = findPair(spec, 'version', doc);
  const imageNode = get(spec, 'image', doc);
  if (!isNullNode(imageNode) && !(isScalar(imageNode) && typeof imageNode.value === 'string')) {
    throw new InputError(
      `${where()}: spec.image is ${describeNode(imageNode)}, expected an image reference (a string).`,
    );
  }

  const containers: ContainerImage[] = [];
  const podTemplateSlots: PodTemplateSlot[] = [];
  for (const path of kind.podTemplates) {
    walkSlots(spec, path, 'spec', doc, (parent, field) => {
      const slotContainers: ContainerImage[] = [];
      podTemplateSlots.push({ parent, field, containers: slotContainers });
      const podTemplate = get(parent, 'podTemplate', doc);
      if (isNullNode(podTemplate)) return;
      if (!isMap(podTemplate)) {
        throw new InputError(`${where()}: ${field}.podTemplate is ${describeNode(podTemplate)}, expected a mapping.`);
      }
      const podSpec = get(podTemplate, 'spec', doc);
      if (isNullNode(podSpec)) return;
      if (!isMap(podSpec)) {
        throw new InputError(`${where()}: ${field}.podTemplate.spec is ${describeNode(podSpec)}, expected a mapping.`);
      }
      const found = containerImages(podSpec, `${field}.podTemplate.spec`, doc, where);
      slotContainers.push(...found);
      containers.push(...found);
    });
  }

  const monitoring = get(spec, 'monitoring', doc);
  return {
    kind,
    spec,
    versionPair: versionFound && !versionFound.merged ? versionFound.pair : undefined,
    version: scalarText(versionFound?.value),
    beatType: scalarText(get(spec, 'type', doc)),
    image: isScalar(imageNode) && typeof imageNode.value === 'string' ? imageNode : undefined,
    containers,
    podTemplateSlots,
    monitoring: kind.stackMonitoring
      ? { metrics: hasRefs(monitoring, 'metrics', doc), logs: hasRefs(monitoring, 'logs', doc) }
      : { metrics: false, logs: false },
  };
}
