/**
 * The ECK operator's image naming, replicated: the image it pulls for a resource whose `spec.image` is unset,
 * given its container registry, repository and suffix (`--container-registry`, `--container-repository`,
 * `--container-suffix` / `--ubi-only`) and its release. Follows ECK's pkg/controller/common/container
 * (ImageRepository, AgentImageFor, the Package Registry tag rules) at each release tag; the differences between
 * releases are data in kinds.ts (RELEASE_LINES and each kind's `images`), not branches here.
 */

import {
  DEFAULT_CONTAINER_REGISTRY,
  KNOWN_BEAT_TYPES,
  MONITORING_SIDECARS,
  type ElasticKind,
  type KindImage,
} from './kinds.js';
import { firstReleaseOf, kindImageFor, NEWEST_RELEASE, type OperatorRelease } from './release.js';
import { isBelow, isBelowMinFor, parseVersion, type StackVersion } from './version.js';
import { UBI_SUFFIX } from './suffixes.js';

export interface ContainerSettings {
  registry: string;
  repository?: string;
  suffix?: string;
  /** The operator release whose naming rules apply; the newest known release when unset. */
  release?: OperatorRelease;
  /**
   * The suffix `-ubi` was written as `container-suffix`, not set by `ubi-only`. Only operator 2.10 tells the two
   * apart (UBI mode there is `-ubi8` everywhere, a written `-ubi` is appended like any suffix); from 2.11 on the
   * operator itself treats the suffix `-ubi` as UBI mode.
   */
  literalSuffix?: boolean;
} // UBI mode iff suffix === '-ubi' (and not literalSuffix)

/**
 * The one builder of container settings: the parts that are set, nothing else (an unset repository, suffix or release
 * is absent, never `undefined`). Every place that says where the operator pulls from builds it here.
 */
export function containerSettingsOf(parts: {
  registry: string;
  repository?: string | undefined;
  suffix?: string | undefined;
  literalSuffix?: boolean | undefined;
  release?: OperatorRelease | undefined;
}): ContainerSettings {
  return {
    registry: parts.registry,
    ...(parts.repository ? { repository: parts.repository } : {}),
    ...(parts.suffix !== undefined ? { suffix: parts.suffix } : {}),
    ...(parts.literalSuffix ? { literalSuffix: true } : {}),
    ...(parts.release !== undefined ? { release: parts.release } : {}),
  };
}

/**
 * The one UBI-mode rule: UBI mode is the suffix `-ubi` not written as a literal `container-suffix` (the operator's
 * `ubi-only`, eck-airgap's `ubiOnly` / `--suffix=-ubi`). Operator 2.10 alone names a literal `-ubi` otherwise.
 */
export function isUbiMode(settings: {
  readonly suffix?: string | undefined;
  readonly literalSuffix?: boolean | undefined;
}): boolean {
  return settings.suffix === UBI_SUFFIX && !settings.literalSuffix;
}

/** The last element of an image path (`elasticsearch/elasticsearch` → `elasticsearch`), as the operator's Image.Name(). */
function lastPathElement(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The image of a resource cannot be computed; the message says what is missing. */
export class NamingError extends Error {
  override name = 'NamingError';
}

export { UBI_SUFFIX } from './suffixes.js';
/** The UBI suffix of 7.x before 7.17.16 and 8.x before 8.12.0 (and of every image under operator 2.10). */
export const OLD_UBI_SUFFIX = '-ubi8';
/** A suffix not appended to images marked Wolfi-based in the kind table. */
export const WOLFI_SUFFIX = '-wolfi';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and parses `spec.version`, or throws a NamingError naming the problem. */
export function specVersion(spec: unknown): StackVersion {
  const raw = isObject(spec) ? spec['version'] : undefined;
  if (raw === undefined || raw === null || raw === '') throw new NamingError('spec.version is missing');
  return versionFrom(raw, 'spec.version');
}

function versionFrom(raw: unknown, where: string): StackVersion {
  const parsed = typeof raw === 'string' ? parseVersion(raw) : undefined;
  if (!parsed) {
    const shown = typeof raw === 'string' ? raw : String(raw);
    throw new NamingError(
      `${where} ${JSON.stringify(shown)} is not a valid version (expected MAJOR.MINOR.PATCH, e.g. 8.16.1)`,
    );
  }
  return parsed;
}

/** How the release names this kind, or a NamingError when the release does not manage it. */
export function kindImage(kind: ElasticKind, release: OperatorRelease = NEWEST_RELEASE): KindImage {
  const image = kindImageFor(kind, release);
  if (!image) {
    throw new NamingError(
      `${kind.kind} is managed by ECK operator ${firstReleaseOf(kind)} and later, not by operator release ${release.version}`,
    );
  }
  return image;
}

/** The default image path (no registry, no suffix) the operator uses for this kind at this version. */
export function defaultImagePath(
  kind: ElasticKind,
  spec: unknown,
  version: StackVersion,
  release: OperatorRelease = NEWEST_RELEASE,
): string {
  const image = kindImage(kind, release);
  if (image.path.includes('<type>')) {
    const type = isObject(spec) ? spec['type'] : undefined;
    if (type === undefined || type === null || type === '') {
      throw new NamingError(`${kind.kind} spec.type is missing: set spec.type (or spec.image)`);
    }
    if (typeof type !== 'string' || !KNOWN_BEAT_TYPES.includes(type)) {
      throw new NamingError(`Beat type ${JSON.stringify(type)} has no default image: set spec.image`);
    }
    return image.path.replace('<type>', type);
  }
  // The operator switches on the major number alone (AgentImageFor: Major < 9), so 9.0.0-SNAPSHOT and other
  // 9.0.0 pre-releases already use the 9.x path, although semver puts them below 9.0.0.
  if (image.pathFrom9 !== undefined && version.major >= 9) return image.pathFrom9;
  return image.path;
}

/**
 * The UBI suffix for a version: `-ubi8` for 7.x below 7.17.16 and 8.x below 8.12.0, else `-ubi`.
 * The operator's thresholds are `version.MinFor(...)`: pre-releases of 7.17.16 / 8.12.0 already get `-ubi`.
 */
export function ubiSuffixFor(version: StackVersion): string {
  if (version.major === 7 && isBelowMinFor(version, 7, 17, 16)) return OLD_UBI_SUFFIX;
  if (version.major === 8 && isBelowMinFor(version, 8, 12, 0)) return OLD_UBI_SUFFIX;
  return UBI_SUFFIX;
}

/** Whether the image exists only as a UBI image at this version (Maps before 8.16.0; MinFor, as the operator). */
function alwaysUbi(image: KindImage, version: StackVersion): boolean {
  if (image.alwaysUbi === 'every-version') return true;
  return image.alwaysUbi === 'below-8.16.0' && isBelowMinFor(version, 8, 16, 0);
}

/** The suffix appended to the image name (after the path, before `:`), for every kind but PackageRegistry. */
function nameSuffix(
  release: OperatorRelease,
  image: KindImage,
  path: string,
  version: StackVersion,
  configured: string,
  literal: boolean,
): string {
  const { line } = release;
  // From 2.11 the operator itself treats a written suffix -ubi as UBI mode; 2.10 appends it as written.
  const ubiMode = isUbiMode({ suffix: configured, literalSuffix: literal && line.ubiSuffix === 'ubi8-everywhere' });
  if (line.suffixRule === 'unless-path-ends-with-it') {
    // 2.10: --ubi-only sets suffix -ubi8 for everything; a suffix the default path already ends with is not added.
    const suffix = ubiMode && line.ubiSuffix === 'ubi8-everywhere' ? OLD_UBI_SUFFIX : configured;
    return path.endsWith(suffix) ? '' : suffix;
  }
  let suffix = '';
  if (ubiMode || alwaysUbi(image, version)) suffix = ubiSuffixFor(version);
  // From operator 3.0.0 on, UBI is the default image of stack 9.x: no suffix at all in UBI mode.
  if (ubiMode && version.major >= 9 && line.ubiOn9 === 'drop') suffix = '';
  if (!ubiMode && !(configured === WOLFI_SUFFIX && image.wolfiBased)) suffix += configured;
  return suffix;
}

/**
 * PackageRegistry: the `lite` variant; the operator ignores `repository` here. In UBI mode the name carries no
 * suffix and the tag is `lite-<v>-ubi`, with floors for versions that have no UBI image (plain semver here:
 * 8.19.8-SNAPSHOT is below 8.19.8). Otherwise `<path><suffix>:lite-<v>` (`-wolfi` included, as operator 3.3–3.5
 * do), `lite-8.15.1` below 8.15.1.
 */
function packageRegistryImage(
  registry: string,
  image: KindImage,
  path: string,
  version: StackVersion,
  configured: string,
): string {
  if (configured === UBI_SUFFIX) {
    let tag = `lite-${version.text}-ubi`;
    if (isBelow(version, 8, 19, 8)) tag = 'lite-8.19.8-ubi';
    else if (version.major === 9 && version.minor <= 1 && isBelow(version, 9, 1, 8)) tag = 'lite-9.1.8-ubi';
    else if (version.major === 9 && version.minor >= 2 && isBelow(version, 9, 2, 2)) tag = 'lite-9.2.2-ubi';
    return `${registry}/${path}:${tag}`;
  }
  const suffix = configured === WOLFI_SUFFIX && image.wolfiBased ? '' : configured;
  const tag = isBelow(version, 8, 15, 1) ? 'lite-8.15.1' : `lite-${version.text}`;
  return `${registry}/${path}${suffix}:${tag}`;
}

/** `<registry>/<path><suffix>:<version>` by the release's rules, for an already resolved path. */
function imageFor(image: KindImage, path: string, version: StackVersion, settings: ContainerSettings): string {
  const configured = settings.suffix ?? '';
  const release = settings.release ?? NEWEST_RELEASE;
  if (image.packageRegistryTags) return packageRegistryImage(settings.registry, image, path, version, configured);
  const repository = settings.repository ?? '';
  const repositoryPath = repository === '' ? path : `${repository}/${lastPathElement(path)}`;
  return `${settings.registry}/${repositoryPath}${nameSuffix(release, image, path, version, configured, settings.literalSuffix === true)}:${version.text}`;
}

/** The image the operator pulls for a resource of this kind when spec.image is unset. spec is the plain JS value of the resource's spec. */
export function defaultImage(kind: ElasticKind, spec: unknown, settings: ContainerSettings): string {
  const release = settings.release ?? NEWEST_RELEASE;
  const image = kindImage(kind, release);
  const version = specVersion(spec);
  return imageFor(image, defaultImagePath(kind, spec, version, release), version, settings);
}

/** Image of a stack-monitoring sidecar ('metrics' -> beats/metricbeat, 'logs' -> beats/filebeat) at a version, same rules. */
export function monitoringSidecarImage(
  which: 'metrics' | 'logs',
  version: string,
  settings: ContainerSettings,
): string {
  const parsed = versionFrom(version, 'version');
  const path = MONITORING_SIDECARS[which];
  return imageFor({ from: '', path }, path, parsed, settings);
}

/** The upstream (source) name of the same image: what one must copy into the mirror, e.g. docker.elastic.co/elasticsearch/elasticsearch-ubi:8.16.1 (repository NOT applied: the upstream path). */
export function upstreamImage(
  kind: ElasticKind,
  spec: unknown,
  settings: Omit<ContainerSettings, 'registry' | 'repository'>,
  sourceRegistry: string = DEFAULT_CONTAINER_REGISTRY,
): string {
  const upstream = containerSettingsOf({
    registry: sourceRegistry,
    suffix: settings.suffix,
    literalSuffix: settings.literalSuffix,
    release: settings.release,
  });
  return defaultImage(kind, spec, upstream);
}
