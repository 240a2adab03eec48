/**
 * The edits render makes to one resource: move images, write `spec.image` where the operator would use its
 * default, merge pull secrets into pod templates, and point the operator's configuration at the mirror.
 */
import { isMap, isScalar, type Document, type Scalar, type YAMLMap } from 'yaml';
import { elasticKindOf } from '../eck/kinds.js';
import { defaultImage, NamingError, UBI_SUFFIX, type ContainerSettings } from '../eck/naming.js';
import { InputError } from '../errors.js';
import { relocate } from '../image/relocate.js';
import { parseReference, registryKey } from '../image/reference.js';
import type { Settings } from '../config/settings.js';
import { operatorConfigEdits, operatorConfigNode, readOperatorSettings, wantedChanges } from '../operator/operator-config.js';
import { readElasticResource } from '../sites/elastic-resource.js';
import { operatorFlagSites } from '../sites/operator-args.js';
import { containerImages, type ContainerImage } from '../sites/pod-spec.js';
import { describeResource, resourceIdOf } from '../sites/resource-id.js';
import { workloadPodSpec } from '../sites/workload.js';
import { isWorkloadKind } from '../sites/workload-kinds.js';
import { addPair, fillEmpty, replaceScalar } from '../yaml/edit-builders.js';
import { findPair, get, seqItems, type AnyNode } from '../yaml/node-lookup.js';
import type { TextEdit } from '../yaml/text-edit.js';
import { mergePullSecrets } from './pull-secrets.js';
import type { Report } from './report.js';

export interface RenderContext {
  readonly settings: Settings;
  /** Where the operator pulls stack images from once rendered (the mirror, with the effective repository/suffix). */
  readonly container: ContainerSettings;
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

function planElastic(work: DocumentWork, ctx: RenderContext, root: YAMLMap, where: string): boolean {
  const id = resourceIdOf(root, work.doc);
  const kind = elasticKindOf(id.apiVersion, id.kind);
  if (!kind) return false;
  const resource = readElasticResource(kind, root, work.doc, () => where);
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
  return true;
}

/** The operator's `--container-registry=…` style flags follow the same settings as its ConfigMap. */
function planOperatorFlags(work: DocumentWork, ctx: RenderContext, podSpec: YAMLMap, where: string): void {
  const ubi = ctx.container.suffix === UBI_SUFFIX;
  for (const site of operatorFlagSites(podSpec, work.doc)) {
    // In UBI mode the ConfigMap says `ubi-only: true` and has no `container-suffix`; the operator refuses both at
    // once, so a suffix flag is emptied (an empty suffix is the operator's default).
    const suffix = ubi ? '' : ctx.container.suffix;
    const want = site.flag === 'container-registry' ? ctx.container.registry : site.flag === 'container-repository' ? ctx.container.repository : suffix;
    if (want === undefined || want === site.value) continue;
    work.edits.push(replaceScalar(work.text, site.node, site.inline ? `--${site.flag}=${want}` : want));
    ctx.report.add({ kind: 'operator-config', where, field: `--${site.flag}`, from: site.value, to: want });
  }
}

function planWorkload(work: DocumentWork, ctx: RenderContext, root: YAMLMap, kind: string, where: string): boolean {
  if (!isWorkloadKind(kind)) return false;
  const found = workloadPodSpec(root, kind, work.doc, () => where);
  if (!found) return true;
  const images = moveContainers(work, ctx, where, containerImages(found.podSpec, found.field, work.doc, () => where));
  const pullsFromMirror = images.some((image) => {
    const ref = parseReference(image);
    return ref !== undefined && ctx.mirrorDomains.has(registryKey(ref.domain));
  });
  if (pullsFromMirror) addSecrets(work, ctx, where, found.podSpec, [], found.field);
  planOperatorFlags(work, ctx, found.podSpec, where);
  return true;
}

function planOperatorConfig(work: DocumentWork, ctx: RenderContext, root: YAMLMap, where: string): void {
  const node = operatorConfigNode(root, work.doc);
  if (!node) return;
  const current = readOperatorSettings(String(node.value));
  const changes = wantedChanges(current, ctx.container);
  const edits = operatorConfigEdits(work.text, node, changes, where);
  if (edits.length > 0) {
    work.edits.push(...edits);
    ctx.report.add({ kind: 'operator-config', where, field: 'data["eck.yaml"]', from: current.registry, to: ctx.container.registry });
  }
}

/** Plans the edits for one resource (and, for a `kind: List`, for each of its items). */
export function planResource(work: DocumentWork, ctx: RenderContext, node: AnyNode, depth = 0): void {
  if (!isMap(node)) return;
  const id = resourceIdOf(node, work.doc);
  const where = `${work.label}: ${describeResource(id)}`;
  const kind = id.kind ?? '';
  if (planElastic(work, ctx, node, where)) return;
  if (planWorkload(work, ctx, node, kind, where)) return;
  if (kind === 'ConfigMap') return planOperatorConfig(work, ctx, node, where);
  if ((kind === 'List' || kind.endsWith('List')) && depth < 8) {
    for (const item of seqItems(get(node, 'items', work.doc), work.doc)) planResource(work, ctx, item, depth + 1);
  }
}

/** The operator settings found in a document (its ConfigMap's `eck.yaml`), for the effective defaults. */
export function operatorSettingsIn(node: AnyNode, doc: Document): ReturnType<typeof readOperatorSettings> | undefined {
  if (!isMap(node)) return undefined;
  const config = operatorConfigNode(node, doc);
  if (config) return readOperatorSettings(String(config.value));
  const kind = get(node, 'kind', doc);
  if (isScalar(kind) && (kind.value === 'List' || String(kind.value).endsWith('List'))) {
    for (const item of seqItems(get(node, 'items', doc), doc)) {
      const found = operatorSettingsIn(item, doc);
      if (found) return found;
    }
  }
  return undefined;
}
