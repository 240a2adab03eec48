/**
 * Every image the release pulls once the operator has done its work, as `images` and `check` list them: the
 * plan's sites (src/plan/resource-sites.ts: the same step render edits from) of every resource of the stream,
 * `kind: List` items too, each as an image use. Operator defaults and sidecars are named with the container
 * settings given (where the operator pulls from).
 */
import type { ContainerSettings } from '../eck/naming.js';
import type { Parsed } from '../stream/read-stream.js';
import type { ImageSite } from '../plan/image-site.js';
import { planSites } from '../plan/plan-stream.js';
import type { PlanContext } from '../plan/resource-sites.js';
import type { ImageUse } from './image-use.js';
import type { OperatorModel } from '../operator/operator-model.js';
import type { SettingSite } from '../plan/setting-sites.js';

/**
 * The image a site is listed by: what the cluster pulls as written (images maps it to the mirror itself, check
 * judges it as it is), or as the operator names it with the settings given.
 */
export function useOfSite(site: ImageSite): ImageUse {
  const computedByOperator = site.kind === 'default-image' || site.kind === 'sidecar';
  return {
    image: computedByOperator ? site.after : site.before!,
    usedBy: {
      kind: site.resource.kind ?? 'resource',
      namespace: site.resource.namespace ?? null,
      name: site.resource.name ?? null,
      field: site.field,
      reason: site.reason,
    },
    where: site.document,
    ...(site.computed ? { computed: site.computed } : {}),
  };
}

/**
 * The images pulled by the resources of the stream, operator defaults and sidecars named with `container` (its
 * release included); `warnings` collects what the operator release says about the resources.
 */
export function collectImageUses(
  parsed: readonly Parsed[],
  container: ContainerSettings,
  releaseFrom = 'the default',
  warnings: string[] = [],
): ImageUse[] {
  return planUses(parsed, container, releaseFrom, warnings).uses;
}

/**
 * The image uses and, with the operator given, the operator's setting sites as they read (nothing is written):
 * one walk of the plan.
 */
export function planUses(
  parsed: readonly Parsed[],
  container: ContainerSettings,
  releaseFrom: string,
  warnings: string[],
  operator?: OperatorModel,
): { uses: ImageUse[]; settings: readonly SettingSite[] } {
  const ctx: PlanContext = {
    container,
    writeDefaults: false,
    releaseFrom,
    warn: (w) => warnings.push(w),
    ...(operator ? { operator } : {}),
  };
  const plan = planSites(parsed, ctx);
  return { uses: plan.images.map(useOfSite), settings: plan.settings };
}
