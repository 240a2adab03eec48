/**
 * Pinning the stack-monitoring sidecars. The operator injects them itself (no `image` in the manifest to edit), but
 * it builds each pod from the resource's podTemplate and, for a container the podTemplate already has under the
 * sidecar's name, keeps that container's image:
 *
 * - ECK v3.5.0 pkg/controller/common/defaults/pod_template.go, `WithContainers`: a container whose name is already
 *   in the pod template is merged with `container.NewDefaulter(&podTplContainer).From(c)`, the user's container as
 *   the base;
 * - ECK v3.5.0 pkg/controller/common/container/defaulter.go, `WithImage`: "sets up the Container Docker image,
 *   unless already provided" (only an empty image takes the sidecar's);
 * - the sidecar's container name: ECK v3.5.0 pkg/controller/common/stackmon/sidecar.go, `NewBeatSidecar`
 *   (`Name: beatName`, "metricbeat" / "filebeat"), used as is by Elasticsearch, Kibana and Logstash
 *   (pkg/controller/{elasticsearch,kibana,logstash}/stackmon/sidecar.go); a Beat renames them
 *   "metrics-monitoring-sidecar" / "logs-monitoring-sidecar" (pkg/controller/beat/common/pod.go). The same since
 *   v2.8.0.
 *
 * So `render --lock` writes, in every pod template of a resource that asks for stack monitoring, a container named
 * as the operator names the sidecar holding only the pinned image; the operator fills in the rest.
 */
import { isMap, isSeq, type Document, type Scalar, type YAMLMap } from 'yaml';
import { monitoringSidecarName, type ElasticKind } from '../eck/kinds.js';
import { InputError } from '../errors.js';
import type { ElasticResource, PodTemplateSlot } from '../sites/elastic-resource.js';
import type { InsertValue } from '../yaml/emit-value.js';
import { addPair, appendItems, fillEmpty } from '../yaml/edit-builders.js';
import { describeNode, findPair, get, isNullNode, scalarText, seqItems } from '../yaml/node-lookup.js';
import type { TextEdit } from '../yaml/text-edit.js';
import { mergePullSecrets } from '../yaml/pull-secrets.js';
import type { ImageSite } from '../plan/image-site.js';
import type { LockPins } from './pins.js';

interface Sidecar {
  readonly name: string;
  readonly image: string;
}

interface Work {
  readonly text: string;
  readonly doc: Document;
  readonly edits: TextEdit[];
}

/** The edits that give a map `key: value` pairs it lacks: one edit for an empty flow map (two would run together). */
function addPairs(text: string, map: YAMLMap, pairs: readonly [string, InsertValue][]): TextEdit[] {
  const edits = pairs.map(([key, value]) => addPair(text, map, key, value));
  if (map.items.length > 0 || edits.length < 2) return edits;
  return [{ ...edits[0]!, text: edits.map((e) => e.text).join(', ') }];
}

/** The edits for one pod template; `added.secrets` is set when they add pull secrets. */
function slotEdits(
  work: Work,
  slot: PodTemplateSlot,
  sidecars: readonly Sidecar[],
  secrets: readonly string[],
  where: string,
  added: { secrets: boolean },
): TextEdit[] {
  const { text, doc } = work;
  const containers = sidecars.map((s) => ({ name: s.name, image: s.image }));
  const specValue: Record<string, InsertValue> = { containers };
  if (secrets.length > 0) specValue['imagePullSecrets'] = secrets.map((name) => ({ name }));
  added.secrets = secrets.length > 0;
  const podTemplate = findPair(slot.parent, 'podTemplate', doc);
  if (!podTemplate) return [addPair(text, slot.parent, 'podTemplate', { spec: specValue })];
  if (isNullNode(podTemplate.value))
    return [fillEmpty(text, podTemplate.value as Scalar | null | undefined, podTemplate.pair, { spec: specValue })];
  if (!isMap(podTemplate.value))
    throw new InputError(
      `${where}: ${slot.field}.podTemplate is ${describeNode(podTemplate.value)}, expected a mapping.`,
    );
  const spec = findPair(podTemplate.value, 'spec', doc);
  if (!spec) return addPairs(text, podTemplate.value, [['spec', specValue]]);
  if (isNullNode(spec.value)) return [fillEmpty(text, spec.value as Scalar | null | undefined, spec.pair, specValue)];
  if (!isMap(spec.value))
    throw new InputError(
      `${where}: ${slot.field}.podTemplate.spec is ${describeNode(spec.value)}, expected a mapping.`,
    );
  const podSpec = spec.value;
  if (podSpec.items.length === 0) return addPairs(text, podSpec, Object.entries(specValue));

  const edits: TextEdit[] = [];
  const list = findPair(podSpec, 'containers', doc);
  if (!list) edits.push(addPair(text, podSpec, 'containers', containers));
  else if (isNullNode(list.value))
    edits.push(fillEmpty(text, list.value as Scalar | null | undefined, list.pair, containers));
  else if (!isSeq(list.value))
    throw new InputError(
      `${where}: ${slot.field}.podTemplate.spec.containers is ${describeNode(list.value)}, expected a list of containers.`,
    );
  else {
    const append: Sidecar[] = [];
    for (const sidecar of sidecars) {
      const named = seqItems(list.value, doc).find(
        (c) => isMap(c) && scalarText(get(c, 'name', doc)) === sidecar.name,
      ) as YAMLMap | undefined;
      if (!named) {
        append.push(sidecar);
        continue;
      }
      const image = findPair(named, 'image', doc);
      // An image of its own is what the operator pulls: pinned with the other containers.
      if (image && !isNullNode(image.value) && scalarText(image.value) !== '') continue;
      if (image) edits.push(fillEmpty(text, image.value as Scalar | null | undefined, image.pair, sidecar.image));
      else edits.push(...addPairs(text, named, [['image', sidecar.image]]));
    }
    if (append.length > 0)
      edits.push(
        appendItems(
          text,
          list.value,
          append.map((s) => ({ name: s.name, image: s.image })),
        ),
      );
  }
  if (secrets.length > 0) {
    const edit = mergePullSecrets(text, doc, podSpec, [], secrets, `${slot.field}.podTemplate.spec`, () => where);
    if (edit) edits.push(edit);
    added.secrets = edit !== undefined;
  }
  return edits;
}

export interface SidecarPinContext {
  readonly lock: LockPins;
  readonly imagePullSecrets: readonly string[];
  /** Told the field of each pod template whose pull secrets went in with the sidecars (for render's report). */
  readonly pullSecretsAdded?: (field: string) => void;
}

/**
 * Pins the sidecars the plan says the operator creates for one resource (its `sidecar` sites): for each pod
 * template, a container named as the operator names the sidecar, holding the pinned image (pull secrets merged in
 * the same edit when they go there too). Returns the slots it edited (their pull secrets are handled); none when
 * the resource has no sidecar.
 */
export function pinSidecars(
  work: Work,
  ctx: SidecarPinContext,
  kind: ElasticKind,
  resource: ElasticResource,
  where: string,
  sites: readonly ImageSite[],
): Set<YAMLMap> {
  const handled = new Set<YAMLMap>();
  const sidecars: Sidecar[] = [];
  for (const site of sites) {
    if (site.kind !== 'sidecar' || site.computed?.what !== 'sidecar') continue;
    const which = site.computed.which;
    const field = `spec.monitoring.${which}`;
    sidecars.push({ name: monitoringSidecarName(which, kind.kind), image: ctx.lock.pin(site.after, where, field) });
    if (resource.podTemplateSlots.length === 0) {
      ctx.lock.missing.push({
        image: site.after,
        where,
        field,
        why: 'the resource has no pod template to pin the sidecar in',
      });
    }
  }
  if (sidecars.length === 0) return handled;
  for (const slot of resource.podTemplateSlots) {
    const added = { secrets: false };
    work.edits.push(...slotEdits(work, slot, sidecars, ctx.imagePullSecrets, where, added));
    if (added.secrets) ctx.pullSecretsAdded?.(`${slot.field}.podTemplate.spec.imagePullSecrets`);
    handled.add(slot.parent);
  }
  return handled;
}
