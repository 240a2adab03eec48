/**
 * The one resource visitor: render, images, check and the operator model all walk a document's resources through
 * it. It tells an Elastic resource (by the kind table), a workload with its pod spec, an operator ConfigMap
 * or Secret (where the operator may read its settings), and walks `kind: List` items; each caller says what it does with each.
 */
import { isMap, type Document, type YAMLMap } from 'yaml';
import { elasticKindOf, type ElasticKind } from '../eck/kinds.js';
import { get, seqItems, type AnyNode } from '../yaml/node-lookup.js';
import { describeResource, resourceIdOf, type ResourceId } from './resource-id.js';
import { workloadPodSpec, type WorkloadPodSpec } from './workload.js';
import { isWorkloadKind } from './workload-kinds.js';

/** How deep `kind: List` items are followed. */
const MAX_LIST_DEPTH = 8;

export interface Visited {
  readonly doc: Document;
  readonly root: YAMLMap;
  readonly id: ResourceId;
  /** The document: `document 3 (chart/templates/x.yaml)`. */
  readonly label: string;
  /** `<label>: Kind namespace/name`, for messages. */
  readonly where: string;
}

export interface ResourceVisitor {
  elastic?(resource: Visited, kind: ElasticKind): void;
  /** A workload kind; `pod` is undefined when it has no pod spec written. */
  workload?(resource: Visited, kind: string, pod: WorkloadPodSpec | undefined): void;
  /** A ConfigMap or Secret: the operator may read its settings from one (a `--config` file, `envFrom`, `valueFrom`). */
  settingsData?(resource: Visited, kind: 'ConfigMap' | 'Secret'): void;
}

export interface VisitOptions {
  /** A malformed workload (a pod spec that is not a mapping) is skipped instead of reported. */
  readonly lenient?: boolean;
}

/** Visits a document's resource (its root node), and each item of a `kind: List`. */
export function visitResource(
  node: AnyNode,
  doc: Document,
  label: string,
  visitor: ResourceVisitor,
  options: VisitOptions = {},
  depth = 0,
): void {
  if (!isMap(node)) return;
  const id = resourceIdOf(node, doc);
  const where = `${label}: ${describeResource(id)}`;
  const kind = id.kind ?? '';
  const visited: Visited = { doc, root: node, id, label, where };
  const elastic = elasticKindOf(id.apiVersion, id.kind);
  if (elastic) {
    visitor.elastic?.(visited, elastic);
    return;
  }
  if (isWorkloadKind(kind)) {
    if (!visitor.workload) return;
    let pod: WorkloadPodSpec | undefined;
    try {
      pod = workloadPodSpec(node, kind, doc, () => where);
    } catch (error) {
      if (options.lenient) return;
      throw error;
    }
    visitor.workload(visited, kind, pod);
    return;
  }
  if (kind === 'ConfigMap' || kind === 'Secret') {
    visitor.settingsData?.(visited, kind);
    return;
  }
  if ((kind === 'List' || kind.endsWith('List')) && depth < MAX_LIST_DEPTH) {
    for (const item of seqItems(get(node, 'items', doc), doc))
      visitResource(item, doc, label, visitor, options, depth + 1);
  }
}
