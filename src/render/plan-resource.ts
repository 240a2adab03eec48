/**
 * The edits render makes to one resource: the plan's image sites (src/plan, the same step `images` and `check`
 * list from) become edits — images moved, `spec.image` written where the operator would use its default — then
 * pull secrets merged into pod templates and the operator's configuration pointed at the mirror.
 */
import type { Document, YAMLMap } from 'yaml';
import type { ElasticKind } from '../eck/kinds.js';
import { type ContainerSettings } from '../eck/naming.js';
import { parseReference, registryKey } from '../image/reference.js';
import type { Settings } from '../config/settings.js';
import { containerImages } from '../sites/pod-spec.js';
import type { WorkloadPodSpec } from '../sites/workload.js';
import { visitResource, type Visited } from '../sites/visit-resource.js';
import type { ImageSite } from '../plan/image-site.js';
import { containerSites, elasticSites, workloadSettings, type PlanContext } from '../plan/resource-sites.js';
import { addPair, fillEmpty, replaceScalar } from '../yaml/edit-builders.js';
import type { OperatorModel } from '../operator/operator-model.js';
import type { AnyNode } from '../yaml/node-lookup.js';
import type { TextEdit } from '../yaml/text-edit.js';
import { applySettingSites } from './plan-operator.js';
import { configFileSites, type SettingContext } from '../plan/setting-sites.js';
import { mergePullSecrets } from '../yaml/pull-secrets.js';
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
  /** The plan's context for the operator's setting sites (src/plan/setting-sites.ts), written. */
  readonly settingSites: SettingContext;
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
      ctx.lock?.missing.push({
        image: "the operator's default image",
        where,
        field: 'spec.image',
        why: 'not written (setDefaultImages is false), so it cannot be pinned; drop --no-set-default-images or set spec.image',
      });
      return;
    }
    const w = site.write;
    const image = pin(site.after);
    work.edits.push(
      w.how === 'replace'
        ? replaceScalar(work.text, w.node, image)
        : w.how === 'fill'
          ? fillEmpty(work.text, w.node, w.pair, image)
          : addPair(work.text, w.spec, 'image', image, w.afterPair),
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
      if (to !== site.before && site.write?.how === 'replace')
        work.edits.push(replaceScalar(work.text, site.write.node, to));
      ctx.report.add({ kind: 'on-mirror', where, field, from: site.before! });
      return;
    }
    default:
      ctx.report.add({ kind: 'left', where, field, from: site.before! });
  }
}

function addSecrets(
  work: DocumentWork,
  ctx: RenderContext,
  where: string,
  parent: YAMLMap,
  path: string[],
  field: string,
): void {
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
    ? pinSidecars(
        work,
        {
          lock: ctx.lock,
          imagePullSecrets: ctx.settings.imagePullSecrets,
          pullSecretsAdded: (field) => ctx.report.add({ kind: 'pull-secrets', where, field }),
        },
        kind,
        resource,
        where,
        sites,
      )
    : undefined;
  for (const slot of resource.podTemplateSlots)
    if (!pinned?.has(slot.parent)) addSecrets(work, ctx, where, slot.parent, ['podTemplate', 'spec'], slot.field);
}

function planWorkload(
  work: DocumentWork,
  ctx: RenderContext,
  found: WorkloadPodSpec | undefined,
  visited: Visited,
): void {
  if (!found) return;
  const { where } = visited;
  const sites = containerSites(
    ctx.plan,
    visited,
    containerImages(found.podSpec, found.field, work.doc, () => where),
    'container',
  );
  for (const site of sites) applySite(work, ctx, site);
  const images = sites.map((site) => site.after);
  const pullsFromMirror = images.some((image) => {
    const ref = parseReference(image);
    return ref !== undefined && ctx.mirrorDomains.has(registryKey(ref.domain));
  });
  // The operator's settings (the manager's flags and env, the flags added, other containers' setting flags) before
  // the pull secrets: an argument appended at the end of the pod spec goes before a new pod-spec key.
  applySettingSites(work, ctx, workloadSettings(ctx.settingSites, visited, found, sites));
  if (pullsFromMirror) addSecrets(work, ctx, where, found.podSpec, [], found.field);
}

/** Plans the edits for one resource (and, for a `kind: List`, for each of its items), through the one visitor. */
export function planResource(work: DocumentWork, ctx: RenderContext, node: AnyNode): void {
  visitResource(node, work.doc, work.label, {
    elastic: (r, kind) => planElastic(work, ctx, r, kind),
    workload: (r, _kind, pod) => planWorkload(work, ctx, pod, r),
    settingsData: (r, kind) => applySettingSites(work, ctx, configFileSites(ctx.settingSites, r, kind)),
  });
}
