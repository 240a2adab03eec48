/**
 * The edits render makes to one resource: move images, write `spec.image` where the operator would use its
 * default, merge pull secrets into pod templates, and point the operator's configuration at the mirror.
 */
import type { Document, Scalar, YAMLMap } from 'yaml';
import type { ElasticKind } from '../eck/kinds.js';
import { defaultImage, NamingError, UBI_SUFFIX, type ContainerSettings } from '../eck/naming.js';
import { InputError } from '../errors.js';
import { relocate } from '../image/relocate.js';
import { parseReference, registryKey } from '../image/reference.js';
import type { Settings } from '../config/settings.js';
import { operatorConfigEdits, readOperatorSettings, wantedChanges } from '../operator/operator-config.js';
import { readElasticResource } from '../sites/elastic-resource.js';
import { operatorFlagSites } from '../sites/operator-args.js';
import { containerImages, type ContainerImage } from '../sites/pod-spec.js';
import type { WorkloadPodSpec } from '../sites/workload.js';
import { visitResource } from '../sites/visit-resource.js';
import { addPair, appendItems, fillEmpty, replaceScalar } from '../yaml/edit-builders.js';
import { configReadBy, managersOfPod, parseBool, type ManagerContainer, type OperatorModel, type OperatorSettingKey } from '../operator/operator-model.js';
import type { ResourceId } from '../sites/resource-id.js';
import { checkKindInRelease, stackVersionWarning } from '../operator/resource-checks.js';
import { findPair, type AnyNode } from '../yaml/node-lookup.js';
import type { TextEdit } from '../yaml/text-edit.js';
import { mergePullSecrets } from './pull-secrets.js';
import type { LockPins } from '../lock/pins.js';
import { pinSidecars } from '../lock/sidecars.js';
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
  /** `--lock`: every image pulled from the mirror is written pinned to the digest the lock holds (src/lock/). */
  readonly lock?: LockPins;
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
    case 'moved': {
      const to = ctx.lock ? ctx.lock.pin(result.target, where, field) : result.target;
      work.edits.push(replaceScalar(work.text, node, to));
      ctx.report.add({ kind: 'moved', where, field, from: image, to });
      return to;
    }
    case 'on-mirror': {
      const to = ctx.lock ? ctx.lock.pin(image, where, field) : image;
      if (to !== image) work.edits.push(replaceScalar(work.text, node, to));
      ctx.report.add({ kind: 'on-mirror', where, field, from: image });
      return to;
    }
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
      if (ctx.lock) image = ctx.lock.pin(image, where, 'spec.image');
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
  } else if (ctx.lock) {
    // The operator's default is pulled by tag unless render writes it: a lock cannot pin what is not written.
    ctx.lock.missing.push({ image: "the operator's default image", where, field: 'spec.image', why: 'not written (setDefaultImages is false), so it cannot be pinned; drop --no-set-default-images or set spec.image' });
  }
  moveContainers(work, ctx, where, resource.containers);
  const pinned = ctx.lock ? pinSidecars(work, { container: ctx.container, lock: ctx.lock, imagePullSecrets: ctx.settings.imagePullSecrets, pullSecretsAdded: (field) => ctx.report.add({ kind: 'pull-secrets', where, field }) }, kind, resource, where) : undefined;
  for (const slot of resource.podTemplateSlots) if (!pinned?.has(slot.parent)) addSecrets(work, ctx, where, slot.parent, ['podTemplate', 'spec'], slot.field);
}

/** The operator's `--container-registry=…` style flags follow the same settings as its ConfigMap. */
function planOperatorFlags(work: DocumentWork, ctx: RenderContext, podSpec: YAMLMap, where: string): void {
  const ubi = ctx.container.suffix === UBI_SUFFIX && !ctx.container.literalSuffix;
  for (const site of operatorFlagSites(podSpec, work.doc)) {
    // In UBI mode the ConfigMap says `ubi-only: true` and has no `container-suffix`; the operator refuses both at
    // once, so a suffix flag is emptied (an empty suffix is the operator's default).
    const suffix = ubi ? '' : ctx.container.suffix;
    const want = site.key === 'container-registry' ? ctx.container.registry : site.key === 'container-repository' ? ctx.container.repository : suffix;
    if (want === undefined || want === site.value) continue;
    work.edits.push(replaceScalar(work.text, site.node, site.inline ? `--${site.key}=${want}` : want));
    ctx.report.add({ kind: 'operator-config', where, field: `--${site.key}`, from: site.value, to: want });
  }
}

function planWorkload(work: DocumentWork, ctx: RenderContext, found: WorkloadPodSpec | undefined, id: ResourceId, where: string): void {
  if (!found) return;
  const images = moveContainers(work, ctx, where, containerImages(found.podSpec, found.field, work.doc, () => where));
  const pullsFromMirror = images.some((image) => {
    const ref = parseReference(image);
    return ref !== undefined && ctx.mirrorDomains.has(registryKey(ref.domain));
  });
  // The manager's args first: an argument appended at the end of the pod spec goes before a new pod-spec key.
  const managers = work.text.includes('eck-operator') ? managersOfPod(found, { doc: work.doc, label: work.label }, where, id) : [];
  for (const manager of managers) planManager(work, ctx, manager, where);
  if (managers.length === 0) planOperatorFlags(work, ctx, found.podSpec, where);
  if (pullsFromMirror) addSecrets(work, ctx, where, found.podSpec, [], found.field);
}

/**
 * The operator's manager container: every flag and environment variable that sets where it pulls from is made
 * to say the mirror (and the repository, suffix and UBI mode of the configuration); when no source the manager
 * reads sets one of them, it is added to its args.
 */
function planManager(work: DocumentWork, ctx: RenderContext, manager: ManagerContainer, where: string): void {
  const want = ctx.container;
  const ubi = want.suffix === UBI_SUFFIX && !want.literalSuffix;
  const wantText = (key: OperatorSettingKey): string | undefined => {
    switch (key) {
      case 'container-registry':
        return want.registry;
      case 'container-repository':
        return want.repository;
      case 'container-suffix':
        return ubi ? '' : want.suffix;
      case 'ubi-only':
        return ubi ? 'true' : want.suffix !== undefined ? 'false' : undefined;
    }
  };
  const note = (field: string, from: string, to: string): void => {
    ctx.report.add({ kind: 'operator-config', where, field, from, to });
  };
  for (const site of manager.flags) {
    const value = wantText(site.key);
    if (value === undefined) continue;
    if (site.key === 'ubi-only') {
      const now = parseBool(site.value) ?? false;
      if (ubi && !now) {
        work.edits.push(replaceScalar(work.text, site.node, '--ubi-only'));
        note('--ubi-only', site.value, 'true');
      } else if (!ubi && want.suffix !== '') {
        // The operator refuses a suffix while --ubi-only is given at all (even =false): the flag becomes the suffix.
        const text = `--container-suffix=${want.suffix}`;
        work.edits.push(replaceScalar(work.text, site.node, text));
        note('--ubi-only', site.value, text);
      }
      continue;
    }
    if (value === site.value) continue;
    work.edits.push(replaceScalar(work.text, site.node, site.inline ? `--${site.key}=${value}` : value));
    note(`--${site.key}`, site.value, value);
  }
  for (const site of manager.env) {
    const value = wantText(site.key);
    // An entry without a value (or an empty one) is unset for the operator: it sets nothing.
    if (value === undefined || !site.valueNode || site.value === '') continue;
    if (site.key === 'ubi-only') {
      const now = parseBool(site.value) ?? false;
      if (ubi && !now) {
        work.edits.push(replaceScalar(work.text, site.valueNode, 'true'));
        note(`env ${site.name}`, site.value, 'true');
      } else if (!ubi && want.suffix !== '') {
        work.edits.push(replaceScalar(work.text, site.nameNode, 'CONTAINER_SUFFIX'), replaceScalar(work.text, site.valueNode, want.suffix!));
        note(`env ${site.name}`, site.value, `CONTAINER_SUFFIX=${want.suffix}`);
      }
      continue;
    }
    if (value === site.value) continue;
    work.edits.push(replaceScalar(work.text, site.valueNode, value));
    note(`env ${site.name}`, site.value, value);
  }
  // A setting no source of the manager sets (and no configuration file it reads): added to its args.
  if (configReadBy(ctx.operator, manager)) return;
  const setByManager = (key: OperatorSettingKey): boolean =>
    manager.flags.some((f) => f.key === key) || manager.env.some((e) => e.key === key && e.valueNode !== undefined && e.value !== '');
  const added: string[] = [];
  if (!setByManager('container-registry')) added.push(`--container-registry=${want.registry}`);
  if (want.repository !== undefined && !setByManager('container-repository')) added.push(`--container-repository=${want.repository}`);
  if (ubi && !setByManager('ubi-only')) added.push('--ubi-only');
  if (!ubi && want.suffix !== undefined && want.suffix !== '' && !setByManager('container-suffix') && !setByManager('ubi-only')) {
    added.push(`--container-suffix=${want.suffix}`);
  }
  if (added.length === 0) return;
  if (manager.argv) work.edits.push(appendItems(work.text, manager.argv, added));
  // Without args the image's default command runs (`manager`): args replace it, so it comes first.
  else work.edits.push(addPair(work.text, manager.container, 'args', ['manager', ...added]));
  note('args', '', added.join(' '));
}

function planOperatorConfig(work: DocumentWork, ctx: RenderContext, node: Scalar, where: string): void {
  const current = readOperatorSettings(String(node.value));
  const changes = wantedChanges(current, ctx.container);
  const edits = operatorConfigEdits(work.text, node, changes, where);
  if (edits.length > 0) {
    work.edits.push(...edits);
    ctx.report.add({ kind: 'operator-config', where, field: 'data["eck.yaml"]', from: current.registry, to: ctx.container.registry });
  }
}

/** Plans the edits for one resource (and, for a `kind: List`, for each of its items), through the one visitor. */
export function planResource(work: DocumentWork, ctx: RenderContext, node: AnyNode): void {
  visitResource(node, work.doc, work.label, {
    elastic: (r, kind) => planElastic(work, ctx, r.root, kind, r.where),
    workload: (r, _kind, pod) => planWorkload(work, ctx, pod, r.id, r.where),
    operatorConfig: (r, config) => planOperatorConfig(work, ctx, config, r.where),
  });
}
