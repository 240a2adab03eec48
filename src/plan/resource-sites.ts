/**
 * The one step from a resource to its image sites (see image-site.ts): an Elastic resource's `spec.image` or the
 * operator's default, the stack-monitoring sidecars the operator creates (and only those), the containers of its
 * pod templates; a workload's containers (the operator's own image among them). Checks the resource against the
 * operator release first: a kind it does not manage, or a version it refuses, is an error (exit 1); a version it
 * may refuse, a warning.
 */
import { isScalar, type Scalar } from 'yaml';
import { monitoringSidecarName, type ElasticKind } from '../eck/kinds.js';
import { defaultImage, isUbiMode, monitoringSidecarImage, NamingError, type ContainerSettings } from '../eck/naming.js';
import { InputError } from '../errors.js';
import { parseReference } from '../image/reference.js';
import { isOperatorImage, relocate, type MirrorPlan } from '../image/relocate.js';
import { checkKindInRelease, stackVersionWarning, versionVerdict } from '../operator/resource-checks.js';
import { readElasticResource, type ElasticResource } from '../sites/elastic-resource.js';
import type { ContainerImage } from '../sites/pod-spec.js';
import type { Visited } from '../sites/visit-resource.js';
import { findPair } from '../yaml/node-lookup.js';
import { managersOfPod, type OperatorModel } from '../operator/operator-model.js';
import type { WorkloadPodSpec } from '../sites/workload.js';
import { workloadSettingSites, type SettingContext, type SettingSite } from './setting-sites.js';
import type { Computed, ImageSite, Reason, SiteRelocation, SiteWrite } from './image-site.js';

export interface PlanContext {
  /** Where the operator pulls its defaults and sidecars from once the plan is applied (render, images), or now (check). */
  readonly container: ContainerSettings;
  /** Where it pulls them from before render, when that differs (render and images): names each site's `before`. */
  readonly containerBefore?: ContainerSettings | undefined;
  /** The settings that move written images to the mirror (render, images); none for check, where nothing moves. */
  readonly mirror?: MirrorPlan | undefined;
  /** Render writes the operator's default into an unset spec.image. */
  readonly writeDefaults: boolean;
  /** Where the operator release came from, for messages. */
  readonly releaseFrom: string;
  readonly warn: (message: string) => void;
  /**
   * Collects the resources the operator refuses (one message each) so a run names all of them: the caller ends
   * with `endIfRefused`. Without it the first refusal throws.
   */
  readonly refusals?: string[];
  /**
   * The operator of the stream: with it, the plan holds the operator's setting sites too (setting-sites.ts), and
   * `writeSettings` (render) has them say the mirror.
   */
  readonly operator?: OperatorModel | undefined;
  readonly writeSettings?: boolean;
}

/** The context of the operator's setting sites, when the plan has the operator. */
export function settingContextOf(ctx: PlanContext): SettingContext | undefined {
  if (!ctx.operator) return undefined;
  return {
    operator: ctx.operator,
    container: ctx.container,
    write: ctx.writeSettings === true && ctx.mirror !== undefined,
    warn: ctx.warn,
  };
}

/**
 * The operator's setting sites of a workload: its manager containers' (found among its container sites: those
 * whose image is the operator's), else other containers' setting flags.
 */
export function workloadSettings(
  ctx: SettingContext,
  v: Visited,
  pod: WorkloadPodSpec,
  containers: readonly ImageSite[],
): SettingSite[] {
  const managers = containers.some((s) => s.kind === 'operator-image') ? managersOfPod(pod, v.doc, v.where, v.id) : [];
  return workloadSettingSites(ctx, v, pod, managers);
}

/** After the walk: every refused resource, one paragraph each, as one error (exit 1); nothing when none. */
export function endIfRefused(ctx: PlanContext): void {
  if (ctx.refusals && ctx.refusals.length > 0) throw new InputError(ctx.refusals.join('\neck-airgap: '));
}

function computeOrFail<T>(where: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof NamingError)
      throw new InputError(`${where}: cannot compute the operator's image: ${error.message}.`);
    throw error;
  }
}

function computeOrUndefined(compute: () => string): string | undefined {
  try {
    return compute();
  } catch (error) {
    if (error instanceof NamingError) return undefined;
    throw error;
  }
}

/** A written image: checked, and moved by the mirror settings when there are some. */
function writtenSite(
  ctx: PlanContext,
  v: Visited,
  kind: 'spec-image' | 'pod-template-container' | 'container',
  node: Scalar,
  image: string,
  field: string,
  computed?: Computed,
): ImageSite {
  const ref = parseReference(image);
  if (!ref) throw new InputError(`${v.where}: ${field} "${image}" is not a valid image reference.`);
  const reason: Reason = kind === 'spec-image' ? 'explicit' : isOperatorImage(ref) ? 'operator' : 'container';
  const siteKind = reason === 'operator' ? 'operator-image' : kind;
  let after = image;
  let relocation: SiteRelocation | undefined;
  let write: SiteWrite | undefined;
  if (ctx.mirror) {
    let result: ReturnType<typeof relocate>;
    try {
      result = relocate(image, ctx.mirror);
    } catch (error) {
      // A moved name too long for a reference: said with the resource and field it is written in.
      if (error instanceof InputError) throw new InputError(`${v.where}, ${field}: ${error.message}`);
      throw error;
    }
    if (result.kind === 'moved') {
      after = result.target;
      write = { how: 'replace', node };
    } else if (result.kind === 'on-mirror') {
      write = { how: 'replace', node }; // unchanged by render, unless a lock pins it in place
    }
    relocation = result.kind === 'invalid' ? 'not-covered' : result.kind;
  }
  return {
    kind: siteKind,
    reason,
    resource: v.id,
    document: v.label,
    where: v.where,
    field,
    before: image,
    after,
    ...(relocation ? { relocation } : {}),
    ...(write ? { write } : {}),
    ...(computed ? { computed } : {}),
  };
}

/** The sites of containers (a workload's, or a pod template's), in their order. */
export function containerSites(
  ctx: PlanContext,
  v: Visited,
  containers: readonly ContainerImage[],
  kind: 'pod-template-container' | 'container',
): ImageSite[] {
  // An empty image in an Elastic resource's pod template is no image of its own: the operator's container
  // defaulter fills it (the main container's or sidecar's default; an init container inherits the main image:
  // pkg/controller/common/container/defaulter.go WithImage, defaults/pod_template.go, v2.10.0..v3.5.0).
  const own = kind === 'pod-template-container' ? containers.filter((c) => c.image !== '') : containers;
  return own.map((c) => writtenSite(ctx, v, kind, c.node, c.image, c.field));
}

export interface ElasticPlan {
  readonly resource: ElasticResource;
  readonly sites: readonly ImageSite[];
}

/** The sites of one Elastic resource: spec.image or the default, the sidecars, the pod-template containers. */
export function elasticSites(ctx: PlanContext, v: Visited, kind: ElasticKind): ElasticPlan {
  const where = v.where;
  const resource = readElasticResource(kind, v.root, v.doc, () => where);
  checkKindInRelease(kind, ctx.container, where, ctx.releaseFrom);
  const monitored = resource.monitoring.metrics || resource.monitoring.logs;
  // ubi-only (not a written container-suffix -ubi) raises the operator's minimum stack version: isUbiMode.
  const verdict = versionVerdict(kind, resource.version, monitored, ctx.container.release, isUbiMode(ctx.container));
  if (verdict.refused) {
    if (!ctx.refusals) throw new InputError(`${where}: ${verdict.refused}`);
    ctx.refusals.push(`${where}: ${verdict.refused}`);
    return { resource, sites: [] };
  }
  if (verdict.unsure) ctx.warn(`${where}: ${verdict.unsure}`);
  const warning = stackVersionWarning(resource.version, ctx.container, where);
  if (warning) ctx.warn(warning);

  const sites: ImageSite[] = [];
  const spec = { version: resource.version, type: resource.beatType };
  const computed: Computed | undefined =
    resource.version !== undefined
      ? {
          what: 'default',
          kind,
          version: resource.version,
          ...(resource.beatType !== undefined ? { beatType: resource.beatType } : {}),
        }
      : undefined;
  // The operator treats an empty spec.image (`image:`, `image: ~`, `image: ""`) as unset and uses its default.
  if (resource.image && resource.image.value !== '') {
    sites.push(
      writtenSite(ctx, v, 'spec-image', resource.image, resource.image.value as string, 'spec.image', computed),
    );
  } else {
    if (!resource.spec)
      throw new InputError(
        `${where}: has no spec, so the operator's image for it cannot be computed (spec.version is missing).`,
      );
    const image = computeOrFail(where, () => defaultImage(kind, spec, ctx.container));
    // Written (or pulled), it must read as an image reference (a long registry could outgrow the 255 of a name).
    if (!parseReference(image))
      throw new InputError(
        `${where}: the operator's image would be ${image}, which is not a valid image reference (its name is longer than 255 characters?). Use a shorter registry or repository.`,
      );
    let write: SiteWrite | undefined;
    if (ctx.writeDefaults) {
      // An empty `image` written in spec itself is filled in place; one reached through a merge key is overridden.
      const written = findPair(resource.spec, 'image', v.doc);
      if (written && !written.merged) {
        write = resource.image
          ? { how: 'replace', node: resource.image }
          : {
              how: 'fill',
              pair: written.pair,
              node: isScalar(written.value) ? written.value : (written.value as null | undefined),
            };
      } else {
        write = {
          how: 'add',
          spec: resource.spec,
          ...(resource.versionPair ? { afterPair: resource.versionPair } : {}),
        };
      }
    }
    const before = ctx.containerBefore
      ? computeOrUndefined(() => defaultImage(kind, spec, ctx.containerBefore!))
      : image;
    sites.push({
      kind: 'default-image',
      reason: 'operator-default',
      resource: v.id,
      document: v.label,
      where,
      field: 'spec.image',
      ...(before !== undefined ? { before } : {}),
      after: image,
      ...(write ? { write } : {}),
      ...(computed ? { computed } : {}),
    });
  }
  for (const which of ['metrics', 'logs'] as const) {
    if (!resource.monitoring[which]) continue;
    // The operator keeps the image of a pod-template container named like the sidecar (PodTemplateBuilder.
    // WithContainers + the container defaulter, pkg/controller/common/defaults): that container is listed as
    // itself; the default sidecar is pulled only where some pod template does not name its own.
    const name = monitoringSidecarName(which, kind.kind);
    const ownImage = (slot: (typeof resource.podTemplateSlots)[number]): boolean =>
      slot.containers.some((c) => c.list === 'containers' && c.container === name && c.image !== '');
    if (resource.podTemplateSlots.length > 0 && resource.podTemplateSlots.every(ownImage)) continue;
    const version = resource.version;
    if (version === undefined)
      throw new InputError(
        `${where}: asks for stack monitoring but has no spec.version, so the sidecar image cannot be computed.`,
      );
    const image = computeOrFail(where, () => monitoringSidecarImage(which, version, ctx.container));
    const before = ctx.containerBefore
      ? computeOrUndefined(() => monitoringSidecarImage(which, version, ctx.containerBefore!))
      : image;
    sites.push({
      kind: 'sidecar',
      reason: 'monitoring-sidecar',
      resource: v.id,
      document: v.label,
      where,
      field: `spec.monitoring.${which}.elasticsearchRefs`,
      ...(before !== undefined ? { before } : {}),
      after: image,
      computed: { what: 'sidecar', which, version },
    });
  }
  sites.push(...containerSites(ctx, v, resource.containers, 'pod-template-container'));
  return { resource, sites };
}
