/**
 * Every image the release pulls once the operator has done its work: for each Elastic resource its `spec.image`
 * or the operator's default, the stack-monitoring sidecars it asks for, the containers of its pod templates; the
 * containers of plain workloads (the operator's own image among them); `kind: List` items too. Operator defaults
 * and sidecars are named with the container settings given (where the operator pulls from).
 */
import type { Document, YAMLMap } from 'yaml';
import type { ElasticKind } from '../eck/kinds.js';
import { defaultImage, monitoringSidecarImage, NamingError, type ContainerSettings } from '../eck/naming.js';
import { InputError } from '../errors.js';
import { isOperatorImage } from '../image/relocate.js';
import { parseReference } from '../image/reference.js';
import { labelText, type Parsed } from '../stream/read-stream.js';
import { readElasticResource } from '../sites/elastic-resource.js';
import { containerImages, type ContainerImage } from '../sites/pod-spec.js';
import type { ResourceId } from '../sites/resource-id.js';
import { visitResource } from '../sites/visit-resource.js';
import type { Computed, ImageUse, Reason, UsedBy } from './image-use.js';
import { sidecarImageOverridden } from '../lock/sidecars.js';
import { checkKindInRelease, stackVersionWarning } from '../operator/resource-checks.js';


interface Walk {
  readonly doc: Document;
  readonly label: string;
  readonly container: ContainerSettings;
  readonly uses: ImageUse[];
  readonly releaseFrom: string;
  readonly warnings: string[];
}

function usedBy(id: ResourceId, field: string, reason: Reason): UsedBy {
  return { kind: id.kind ?? 'resource', namespace: id.namespace ?? null, name: id.name ?? null, field, reason };
}

function computeOrFail<T>(where: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof NamingError) throw new InputError(`${where}: cannot compute the operator's image: ${error.message}.`);
    throw error;
  }
}

function addContainers(walk: Walk, id: ResourceId, where: string, containers: readonly ContainerImage[]): void {
  for (const c of containers) {
    const ref = parseReference(c.image);
    if (!ref) throw new InputError(`${where}: ${c.field} "${c.image}" is not a valid image reference.`);
    const reason: Reason = isOperatorImage(ref) ? 'operator' : 'container';
    walk.uses.push({ image: c.image, usedBy: usedBy(id, c.field, reason), where: walk.label });
  }
}

function walkElastic(walk: Walk, kind: ElasticKind, root: YAMLMap, id: ResourceId, where: string): void {
  const resource = readElasticResource(kind, root, walk.doc, () => where);
  checkKindInRelease(kind, walk.container, where, walk.releaseFrom);
  const warning = stackVersionWarning(resource.version, walk.container, where);
  if (warning) walk.warnings.push(warning);
  const spec = { version: resource.version, type: resource.beatType };
  const computed: Computed | undefined =
    resource.version !== undefined ? { what: 'default', kind, version: resource.version, ...(resource.beatType !== undefined ? { beatType: resource.beatType } : {}) } : undefined;
  if (resource.image) {
    const image = resource.image.value as string;
    if (!parseReference(image)) throw new InputError(`${where}: spec.image "${image}" is not a valid image reference.`);
    walk.uses.push({ image, usedBy: usedBy(id, 'spec.image', 'explicit'), where: walk.label, ...(computed ? { computed } : {}) });
  } else {
    if (!resource.spec) throw new InputError(`${where}: has no spec, so the operator's image for it cannot be computed (spec.version is missing).`);
    const image = computeOrFail(where, () => defaultImage(kind, spec, walk.container));
    walk.uses.push({ image, usedBy: usedBy(id, 'spec.image', 'operator-default'), where: walk.label, ...(computed ? { computed } : {}) });
  }
  for (const which of ['metrics', 'logs'] as const) {
    if (!resource.monitoring[which]) continue;
    // A podTemplate container named as the operator names the sidecar, with an image of its own: that image is pulled (listed with the containers).
    if (sidecarImageOverridden(kind, resource, which)) continue;
    const version = resource.version;
    if (version === undefined) throw new InputError(`${where}: asks for stack monitoring but has no spec.version, so the sidecar image cannot be computed.`);
    const image = computeOrFail(where, () => monitoringSidecarImage(which, version, walk.container));
    walk.uses.push({
      image,
      usedBy: usedBy(id, `spec.monitoring.${which}.elasticsearchRefs`, 'monitoring-sidecar'),
      where: walk.label,
      computed: { what: 'sidecar', which, version },
    });
  }
  addContainers(walk, id, where, resource.containers);
}

/**
 * The images pulled by the resources of the stream, operator defaults and sidecars named with `container` (its
 * release included); `warnings` collects what the operator release says about the resources.
 */
export function collectImageUses(parsed: readonly Parsed[], container: ContainerSettings, releaseFrom = 'the default', warnings: string[] = []): ImageUse[] {
  const uses: ImageUse[] = [];
  for (const p of parsed) {
    const walk: Walk = { doc: p.doc, label: labelText(p.label), container, uses, releaseFrom, warnings };
    visitResource(p.doc.contents, p.doc, walk.label, {
      elastic: (r, kind) => walkElastic(walk, kind, r.root, r.id, r.where),
      workload: (r, _kind, pod) => {
        if (pod) addContainers(walk, r.id, r.where, containerImages(pod.podSpec, pod.field, walk.doc, () => r.where));
      },
    });
  }
  return uses;
}
