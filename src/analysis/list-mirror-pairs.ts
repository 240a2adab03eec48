/**
 * The one entry point that lists what a release pulls, as (source → target) pairs for the mirror: read the
 * inputs once, take the operator from them (release and settings, the same model render uses), collect every
 * image use (operator defaults and stack-monitoring sidecars included) and pair each with its place on the
 * mirror. `eck-airgap images` prints its result; other commands (mirroring, verifying) consume it too.
 */
import type { Settings } from '../config/settings.js';
import type { ContainerSettings } from '../eck/naming.js';
import { pullsFromAfterRender, pullsFromNow, type OperatorModel } from '../operator/operator-model.js';
import type { ImageSite } from '../plan/image-site.js';
import { planSites } from '../plan/plan-stream.js';
import type { RenderInput } from '../stream/read-stream.js';
import { useOfSite } from './collect-image-uses.js';
import type { ImageUse } from './image-use.js';
import { planMirror, type MirrorPlanResult } from './mirror-pairs.js';
import { operatorOfRelease, readRelease } from './read-release.js';

export interface ReleaseMirrorPlan extends MirrorPlanResult {
  /** The operator the pairs are named for (its release, where that came from, its settings). */
  readonly operator: OperatorModel;
  /** Where the operator pulls from once rendered (the mirror, repository, suffix, release). */
  readonly container: ContainerSettings;
  /** Warnings about the release and its resources (one line each, no prefix). */
  readonly warnings: readonly string[];
  /** The plan the pairs come from: every image site, `after` its final name (what render writes or the operator pulls). */
  readonly sites: readonly ImageSite[];
}

/**
 * Every (source → target) pair the inputs need on the mirror. `extraUses` (e.g. the diagnostics image) are
 * listed too. Throws InputError / UsageError (exit 1 / 2) as the images command does.
 */
export function listMirrorPairs(
  inputs: readonly RenderInput[],
  settings: Settings,
  extraUses: readonly ImageUse[] = [],
): ReleaseMirrorPlan {
  const parsed = readRelease(inputs);
  const operator = operatorOfRelease(parsed, settings.eckVersion, settings.vouchedSources);
  const container = pullsFromAfterRender(operator, settings);
  const warnings = [...operator.warnings];
  const { images: sites } = planSites(parsed, {
    container,
    containerBefore: pullsFromNow(operator),
    mirror: settings,
    writeDefaults: settings.setDefaultImages,
    releaseFrom: operator.releaseFrom,
    warn: (warning) => warnings.push(warning),
  });
  const uses = sites.map(useOfSite);
  uses.push(...extraUses);
  return { ...planMirror(uses, settings, container), operator, container, warnings, sites };
}
