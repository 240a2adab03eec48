/**
 * The edits render makes to one resource: the plan's image sites (src/plan, the same step `images` and `check`
 * list from) become edits — images moved, `spec.image` written where the operator would use its default — then
 * pull secrets merged into pod templates and the operator's configuration pointed at the mirror.
 */
import type { Document, Scalar, YAMLMap } from 'yaml';
import type { ElasticKind } from '../eck/kinds.js';
import { UBI_SUFFIX, type ContainerSettings } from '../eck/naming.js';
import { parseReference, registryKey } from '../image/reference.js';
import type { Settings } from '../config/settings.js';
import { operatorConfigEdits, readOperatorSettings, wantedChanges } from '../operator/operator-config.js';
import { operatorFlagSites } from '../sites/operator-args.js';
import { containerImages } from '../sites/pod-spec.js';
import type { WorkloadPodSpec } from '../sites/workload.js';
import { visitResource, type Visited } from '../sites/visit-resource.js';
import type { ImageSite } from '../plan/image-site.js';
import { containerSites, elasticSites, type PlanContext } from '../plan/resource-sites.js';
import { addPair, appendItems, fillEmpty, replaceScalar } from '../yaml/edit-builders.js';
import { configReadBy, managersOfPod, parseBool, type ManagerContainer, type OperatorModel, type OperatorSettingKey } from '../operator/operator-model.js';
import type { AnyNode } from '../yaml/node-lookup.js';
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
  /** The plan's context: the same step `images` and `check` list from (src/plan/resource-sites.ts). */
  readonly plan: PlanContext;
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

/** The edit (and the report line) for one site of the plan; sites render writes nothing for make none. */
function applySite(work: DocumentWork, ctx: RenderContext, site: ImageSite): void {
  const { where, field } = site;
  // --lock: every image pulled from the mirror is written pinned to the digest the lock holds (src/lock/pins.ts)
  const pin = (image: string): string => (ctx.lock ? ctx.lock.pin(image, where, field) : image);
  if (site.kind === 'default-image') {
    if (!site.write) {
      // The operator's default is pulled by tag unless render writes it: a lock cannot pin what is not written.
      ctx.lock?.missing.push({ image: "the operator's default image", where, field: 'spec.image', why: 'not written (setDefaultImages is false), so it cannot be pinned; drop --no-set-default-images or set spec.image' });
      return;
    }
    const w = site.write;
    const image = pin(site.after);
    work.edits.push(
      w.how === 'replace' ? replaceScalar(work.text, w.node, image) : w.how === 'fill' ? fillEmpty(work.text, w.node, w.pair, image) : addPair(work.text, w.spec, 'image', image, w.afterPair),
    );
    ctx.report.add({ kind: 'set', where, field: 'spec.image', to: image });
    return;
  }
  if (site.kind === 'sidecar') return; // named by the operator from its settings (render points those at the mirror); pinned by pinSidecars with a lock
  switch (site.relocation) {
    case 'moved': {
      const to = pin(site.after);
      if (site.write?.how === 'replace') work.edits.push(replaceScalar(work.text, site.write.node, to));
      ctx.report.add({ kind: 'moved', where, field, from: site.before!, to });
      return;
    }
    case 'on-mirror': {
      const to = pin(site.before!);
      if (to !== site.before && site.write?.how === 'replace') work.edits.push(replaceScalar(work.text, site.write.node, to));
      ctx.report.add({ kind: 'on-mirror', where, field, from: site.before! });
      return;
    }
    default:
      ctx.report.add({ kind: 'left', where, field, from: site.before! });
  }
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

function planElastic(work: DocumentWork, ctx: RenderContext, visited: Visited, kind: ElasticKind): void {
  const { resource, sites } = elasticSites(ctx.plan, visited, kind);
  for (const site of sites) applySite(work, ctx, site);
  const where = visited.where;
  // --lock: the sidecars through podTemplate containers named as the operator names them, holding the pinned image
  const pinned = ctx.lock
    ? pinSidecars(work, { lock: ctx.lock, imagePullSecrets: ctx.settings.imagePullSecrets, pullSecretsAdded: (field) => ctx.report.add({ kind: 'pull-secrets', where, field }) }, kind, resource, where, sites)
    : undefined;
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

function planWorkload(work: DocumentWork, ctx: RenderContext, found: WorkloadPodSpec | undefined, visited: Visited): void {
  if (!found) return;
  const { id, where } = visited;
  const sites = containerSites(ctx.plan, visited, containerImages(found.podSpec, found.field, work.doc, () => where), 'container');
  for (const site of sites) applySite(work, ctx, site);
  const images = sites.map((site) => site.after);
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
    elastic: (r, kind) => planElastic(work, ctx, r, kind),
    workload: (r, _kind, pod) => planWorkload(work, ctx, pod, r),
    operatorConfig: (r, config) => planOperatorConfig(work, ctx, config, r.where),
  });
}
