/**
 * The edits render makes to one resource: move images, write `spec.image` where the operator would use its
 * default, merge pull secrets into pod templates, and point the operator's configuration at the mirror.
 */
import type { Document, Scalar, YAMLMap } from 'yaml';
import type { ElasticKind } from '../eck/kinds.js';
import { defaultImage, NamingError, type ContainerSettings } from '../eck/naming.js';
import { InputError } from '../errors.js';
import { relocate } from '../image/relocate.js';
import { parseReference, registryKey } from '../image/reference.js';
import type { Settings } from '../config/settings.js';
import { readElasticResource } from '../sites/elastic-resource.js';
import { containerImages, type ContainerImage } from '../sites/pod-spec.js';
import type { WorkloadPodSpec } from '../sites/workload.js';
import { visitResource } from '../sites/visit-resource.js';
import { addPair, fillEmpty, replaceScalar } from '../yaml/edit-builders.js';
import { managersOfPod, type OperatorModel } from '../operator/operator-model.js';
import type { ResourceId } from '../sites/resource-id.js';
import { checkKindInRelease, stackVersionWarning } from '../operator/resource-checks.js';
import { findPair, type AnyNode } from '../yaml/node-lookup.js';
import type { TextEdit } from '../yaml/text-edit.js';
import { planManager, planOperatorFlags, planSettingsData } from './plan-operator.js';
import { mergePullSecrets } from './pull-secrets.js';
import type { Report } from './report.js';

export interface RenderContext {
  readonly settings: Settings;
  /** Where the operator pulls stack images from once rendered (the mirror, with the effective repository/suffix). */
  readonly container: ContainerSettings;
  /** The operator of the stream: its release, its settings and where they are written. */
  readonly operator: OperatorModel;
  /** Registries images end up on (the mirror and every `mirrors` destination). */
  readonly mirrorDomains: ReadonlySet<string>;
  readonly report: Report;
}

export interface DocumentWork {
  readonly text: string;
  readonly doc: Document;
  /** `document 3 (chart/templates/x.yaml)`. */
  readonly label: string;
  readonly edits: TextEdit[];
}

/** Moves one image; returns the image as it will be after render. */
function moveImage(work: DocumentWork, ctx: RenderContext, where: string, node: Scalar, image: string, field: string): string {
  let result: ReturnType<typeof relocate>;
  try {
    result = relocate(image, ctx.settings);
  } catch (error) {
    // A moved name too long for a reference: said with the resource and field it is written in.
    if (error instanceof InputError) throw new InputError(`${where}, ${field}: ${error.message}`);
    throw error;
  }
  switch (result.kind) {
    case 'moved':
      work.edits.push(replaceScalar(work.text, node, result.target));
      ctx.report.add({ kind: 'moved', where, field, from: image, to: result.target });
      return result.target;
    case 'on-mirror':
      ctx.report.add({ kind: 'on-mirror', where, field, from: image });
      return image;
    case 'not-covered':
      ctx.report.add({ kind: 'left', where, field, from: image });
      return image;
    case 'invalid':
      throw new InputError(`${where}: ${field} "${image}" is not a valid image reference.`);
  }
}

function moveContainers(work: DocumentWork, ctx: RenderContext, where: string, containers: readonly ContainerImage[]): string[] {
  return containers.map((c) => moveImage(work, ctx, where, c.node, c.image, c.field));
}

function addSecrets(work: DocumentWork, ctx: RenderContext, where: string, parent: YAMLMap, path: string[], field: string): void {
  const names = ctx.settings.imagePullSecrets;
  if (names.length === 0) return;
  const edit = mergePullSecrets(work.text, work.doc, parent, path, names, field, () => where);
  if (edit) {
    work.edits.push(edit);
    ctx.report.add({ kind: 'pull-secrets', where, field: [field, ...path, 'imagePullSecrets'].join('.') });
  }
}

function planElastic(work: DocumentWork, ctx: RenderContext, root: YAMLMap, kind: ElasticKind, where: string): void {
  const resource = readElasticResource(kind, root, work.doc, () => where);
  checkKindInRelease(kind, ctx.container, where, ctx.operator.releaseFrom);
  const warning = stackVersionWarning(resource.version, ctx.container, where);
  if (warning) ctx.report.warn(warning);
  // The operator treats an empty spec.image (`image:`, `image: ~`, `image: ""`) as unset and uses its default.
  const imageIsSet = resource.image !== undefined && resource.image.value !== '';
  if (resource.image && imageIsSet) {
    moveImage(work, ctx, where, resource.image, resource.image.value as string, 'spec.image');
  } else if (ctx.settings.setDefaultImages) {
    if (!resource.spec) throw new InputError(`${where}: has no spec, so the operator's image for it cannot be computed (spec.version is missing).`);
    let image: string;
    try {
      image = defaultImage(kind, { version: resource.version, type: resource.beatType }, ctx.container);
    } catch (error) {
      if (error instanceof NamingError) throw new InputError(`${where}: cannot compute the operator's image: ${error.message}.`);
      throw error;
    }
    // Written here, it must read back as an image reference next time (a long registry could outgrow the 255 of a name).
    if (!parseReference(image)) throw new InputError(`${where}: the operator's image would be ${image}, which is not a valid image reference (its name is longer than 255 characters?). Use a shorter registry or repository.`);
    // An empty `image` written in spec itself is filled in place; one reached through a merge key is overridden.
    const written = findPair(resource.spec, 'image', work.doc);
    if (written && !written.merged) {
      work.edits.push(
        resource.image
          ? replaceScalar(work.text, resource.image, image)
          : fillEmpty(work.text, written.value as Scalar | null | undefined, written.pair, image),
      );
    } else {
      work.edits.push(addPair(work.text, resource.spec, 'image', image, resource.versionPair));
    }
    ctx.report.add({ kind: 'set', where, field: 'spec.image', to: image });
  }
  moveContainers(work, ctx, where, resource.containers);
  for (const slot of resource.podTemplateSlots) addSecrets(work, ctx, where, slot.parent, ['podTemplate', 'spec'], slot.field);
}

function planWorkload(work: DocumentWork, ctx: RenderContext, found: WorkloadPodSpec | undefined, id: ResourceId, where: string): void {
  if (!found) return;
  const images = moveContainers(work, ctx, where, containerImages(found.podSpec, found.field, work.doc, () => where));
  const pullsFromMirror = images.some((image) => {
    const ref = parseReference(image);
    return ref !== undefined && ctx.mirrorDomains.has(registryKey(ref.domain));
  });
  // The manager's args first: an argument appended at the end of the pod spec goes before a new pod-spec key.
  const managers = work.text.includes('eck-operator') ? managersOfPod(found, work.doc, where, id) : [];
  for (const manager of managers) planManager(work, ctx, manager, where);
  if (managers.length === 0) planOperatorFlags(work, ctx, found.podSpec, where);
  if (pullsFromMirror) addSecrets(work, ctx, where, found.podSpec, [], found.field);
}

/** Plans the edits for one resource (and, for a `kind: List`, for each of its items), through the one visitor. */
export function planResource(work: DocumentWork, ctx: RenderContext, node: AnyNode): void {
  visitResource(node, work.doc, work.label, {
    elastic: (r, kind) => planElastic(work, ctx, r.root, kind, r.where),
    workload: (r, _kind, pod) => planWorkload(work, ctx, pod, r.id, r.where),
    settingsData: (r, kind) => planSettingsData(work, ctx, r.root, kind, r.id, r.where),
  });
}
