/**
 * The one judgement of "would every image a pod pulls come from the mirror?": `check` runs it on the stream it
 * reads, `render --strict` and `template --strict` on the stream they produced. Images the operator names itself
 * (defaults, monitoring sidecars) are named as the operator in the cluster will name them: from the operator's
 * settings in the stream, else `operatorRegistry`, else docker.elastic.co.
 */
import { planUses } from './collect-image-uses.js';
import { describeUse } from './describe-use.js';
import type { ImageUse } from './image-use.js';
import { findOffenders, type Offender } from './offenders.js';
import { operatorOfRelease, type ParsedDocument } from './read-release.js';
import {
  pullsFromNow,
  type OperatorModel,
  type OperatorSettingKey,
  type UnseenSource,
} from '../operator/operator-model.js';
import { DEFAULT_CONTAINER_REGISTRY } from '../eck/kinds.js';
import { containerSettingsOf, type ContainerSettings } from '../eck/naming.js';
import { mirrorDomains } from '../image/relocate.js';
import { registryKey } from '../image/reference.js';
import { moveFlags } from './move-flags.js';
import type { Settings } from '../config/settings.js';

export interface Judgement {
  readonly uses: readonly ImageUse[];
  readonly offenders: readonly Offender[];
  /** The accepted registries, sorted, for messages. */
  readonly where: string;
  readonly allowed: ReadonlySet<string>;
  readonly warnings: readonly string[];
  readonly operator: OperatorModel;
  /** The registry the operator's own defaults and sidecars were named on. */
  readonly operatorRegistry: string;
  readonly settings: Settings;
  /** Settings sources the operator reads that the stream does not hold (and nobody vouched for): the images it pulls cannot be known. */
  readonly unseen: readonly { readonly source: UnseenSource; readonly keys: readonly OperatorSettingKey[] }[];
}

/** Where the operator in the cluster pulls its defaults and sidecars from: as the stream says, else as configured. */
function operatorContainer(
  operator: OperatorModel,
  settings: Settings,
  operatorRegistry: string | undefined,
): ContainerSettings {
  if (operator.inStream) return pullsFromNow(operator);
  return containerSettingsOf({
    registry: operatorRegistry ?? DEFAULT_CONTAINER_REGISTRY,
    repository: settings.repository,
    suffix: settings.suffix,
    release: operator.release,
  });
}

/** The accepted registries: the mirror, every `mirrors` destination, and `allow` (already checked host names). */
export function acceptedRegistries(settings: Settings, allow: readonly string[] = []): Set<string> {
  const allowed = new Set<string>([...allow, ...allow.map(registryKey)]);
  for (const domain of mirrorDomains(settings)) if (domain !== '') allowed.add(domain);
  return allowed;
}

export function judgeRelease(
  parsed: readonly ParsedDocument[],
  settings: Settings,
  options: { readonly allow?: readonly string[]; readonly operatorRegistry?: string | undefined } = {},
): Judgement {
  const allowed = acceptedRegistries(settings, options.allow);
  const operator = operatorOfRelease(parsed, settings.eckVersion, settings.vouchedSources);
  const container = operatorContainer(operator, settings, options.operatorRegistry);
  const warnings = [...operator.warnings];
  const { uses, settings: settingSites } = planUses(parsed, container, operator.releaseFrom, warnings, operator);
  const offenders = findOffenders(uses, allowed);
  return {
    uses,
    offenders,
    where: [...allowed].sort().join(', '),
    allowed,
    warnings,
    operator,
    operatorRegistry: container.registry,
    settings,
    // The plan's unseen setting sites: the sources the operator reads that the stream does not hold.
    unseen: settingSites.flatMap((s) => (s.unseen ? [{ source: s.unseen, keys: s.keys }] : [])),
  };
}

/** One line per offender: `image (registry): Kind ns/name, field (reason) [document …]`. */
export function offenderLines(judgement: Judgement): string[] {
  return judgement.offenders.map(
    (o) => `${o.use.image} (${o.registry}): ${describeUse(o.use.usedBy)} [${o.use.where}]`,
  );
}

/**
 * What to do about the offenders, fitted to what was seen: images the operator names itself in a stream without
 * the operator's settings point at the operator's registry; images the chart writes point at the mirror.
 */
export function offenderAdvice(judgement: Judgement, how: { readonly rendered: boolean }): string {
  const own = judgement.offenders.filter(
    (o) => o.use.usedBy.reason === 'operator-default' || o.use.usedBy.reason === 'monitoring-sidecar',
  );
  const written = judgement.offenders.length - own.length;
  const parts: string[] = [];
  if (own.length > 0 && !judgement.operator.inStream) {
    parts.push(
      `${own.length} of them the ECK operator names itself (defaults, monitoring sidecars), and this stream holds no operator settings, ` +
        `so they were named as the operator pulling from ${judgement.operatorRegistry} would name them. ` +
        `If the operator in the cluster already pulls from the mirror, say so: check --operator-registry ${judgement.settings.registry || 'MIRROR'}; ` +
        `otherwise set the operator's container registry to the mirror (its --container-registry / container-registry in eck.yaml, ` +
        `or render the operator's chart with eck-airgap).`,
    );
  } else if (own.length > 0) {
    parts.push(
      `${own.length} of them the ECK operator names itself from its settings in this stream (container-registry in eck.yaml): point them at the mirror, or render the operator's chart with eck-airgap.`,
    );
  }
  if (written > 0) {
    const sources = new Set(judgement.settings.sourceRegistries.map(registryKey));
    const registries = [...new Set(judgement.offenders.filter((o) => !own.includes(o)).map((o) => o.registry))].sort();
    const onSource = registries.filter((r) => sources.has(registryKey(r)));
    const others = registries.filter((r) => !sources.has(registryKey(r)));
    if (onSource.length > 0) {
      parts.push(
        `Images written on ${onSource.join(', ')} are not rendered yet: render with eck-airgap (${how.rendered ? 'these were not on a path render rewrites' : 'render, template or the Helm post-renderer'}).`,
      );
    }
    if (others.length > 0) {
      const mirror = judgement.settings.registry || 'my.registry';
      const images = judgement.offenders.filter((o) => !own.includes(o) && others.includes(o.registry));
      parts.push(
        `Move the other registries to the mirror too: ${moveFlags(
          images.map((o) => o.use.image),
          mirror,
        )}` +
          (how.rendered
            ? '.'
            : ' (then render again), or accept a registry the cluster can reach with check --allow REGISTRY.'),
      );
    }
  }
  return parts.join(' ');
}

/** Why a judgement cannot pass while the operator reads settings sources the stream does not hold, and what to do. */
export function unseenAdvice(judgement: Judgement): string {
  const n = judgement.unseen.length;
  return (
    `the operator reads ${n === 1 ? 'a settings source' : `${n} settings sources`} the stream does not hold ` +
    `(${judgement.unseen.map((u) => u.source.id).join(', ')}; listed on stdout), so the images it pulls cannot be known. ` +
    'Put them in the stream, or vouch that they set none of container-registry, container-repository, container-suffix and ' +
    'ubi-only with --vouch-source SOURCE (vouchedSources).'
  );
}
