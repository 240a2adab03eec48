/**
 * The ECK operator's image naming, replicated: the image it pulls for a resource whose `spec.image` is unset,
 * given its container registry, repository and suffix (`--container-registry`, `--container-repository`,
 * `--container-suffix` / `--ubi-only`). Follows ECK's pkg/controller/common/container (ImageRepository,
 * AgentImageFor, the Package Registry tag rules) and the rules of issue 2.
 */

import {
  AGENT_IMAGE_PATH_FROM_9,
  DEFAULT_CONTAINER_REGISTRY,
  KNOWN_BEAT_TYPES,
  MONITORING_SIDECARS,
  type ElasticKind,
} from './kinds.js';
import { isBelow, isBelowMinFor, parseVersion, type StackVersion } from './version.js';
import { lastPathElement } from '../image/reference.js';

export interface ContainerSettings {
  registry: string;
  repository?: string;
  suffix?: string;
} // UBI mode iff suffix === '-ubi'

/** The image of a resource cannot be computed; the message says what is missing. */
export class NamingError extends Error {
  override name = 'NamingError';
}

/** `--ubi-only` is the same as this suffix. */
export const UBI_SUFFIX = '-ubi';
/** The UBI suffix of 7.x before 7.17.16 and 8.x before 8.12.0. */
export const OLD_UBI_SUFFIX = '-ubi8';
/** A suffix dropped for images that are already Wolfi-based. */
export const WOLFI_SUFFIX = '-wolfi';

// Kinds whose naming differs from `<registry>/<path><suffix>:<version>` (names as in kinds.ts).
const BEAT = 'Beat';
const AGENT = 'Agent';
const MAPS = 'ElasticMapsServer';
const ENTERPRISE_SEARCH = 'EnterpriseSearch';
const PACKAGE_REGISTRY = 'PackageRegistry';
/** Not a kind: the stack-monitoring sidecars, named by the plain rules. */
const SIDECAR = 'stack-monitoring sidecar';
/** Images already built on Wolfi: a configured `-wolfi` suffix is not appended to them. */
const WOLFI_BASED_KINDS: ReadonlySet<string> = new Set([ENTERPRISE_SEARCH, PACKAGE_REGISTRY]);

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

/** The default image path (no registry, no suffix) the operator uses for this kind at this version. */
export function defaultImagePath(kind: ElasticKind, spec: unknown, version: StackVersion): string {
  if (kind.kind === BEAT) {
    const type = isObject(spec) ? spec['type'] : undefined;
    if (type === undefined || type === null || type === '') {
      throw new NamingError('Beat spec.type is missing: set spec.type (or spec.image)');
    }
    if (typeof type !== 'string' || !KNOWN_BEAT_TYPES.includes(type)) {
      throw new NamingError(`Beat type ${JSON.stringify(type)} has no default image: set spec.image`);
    }
    return `beats/${type}`;
  }
  if (kind.kind === AGENT) {
    // The operator switches on the major number alone (AgentImageFor: Major < 9), so 9.0.0-SNAPSHOT and other
    // 9.0.0 pre-releases already use elastic-agent/elastic-agent, although semver puts them below 9.0.0.
    return version.major < 9 ? kind.imagePath : AGENT_IMAGE_PATH_FROM_9;
  }
  return kind.imagePath;
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

/** Maps server images before 8.16.0 (MinFor, as the operator) exist only as UBI images. */
function isOlderMapsServer(kindName: string, version: StackVersion): boolean {
  return kindName === MAPS && isBelowMinFor(version, 8, 16, 0);
}

/** The suffix appended to the image name (after the path, before `:`), for every kind but PackageRegistry. */
function nameSuffix(kindName: string, version: StackVersion, configured: string): string {
  const ubiMode = configured === UBI_SUFFIX;
  let suffix = '';
  if (ubiMode || isOlderMapsServer(kindName, version)) suffix = ubiSuffixFor(version);
  // From 9.0.0 on UBI is the default image: no suffix at all in UBI mode.
  if (ubiMode && version.major >= 9) suffix = '';
  if (!ubiMode && !(configured === WOLFI_SUFFIX && WOLFI_BASED_KINDS.has(kindName))) suffix += configured;
  return suffix;
}

/**
 * PackageRegistry: the `lite` variant; the operator ignores `repository` here. In UBI mode the name carries no
 * suffix, as issue 2 specifies and the operator's own tests expect (one operator revision appends `-ubi` to the
 * name for 8.x at or above 8.19.8 while its tests do not; the tests and the issue agree, so they win).
 * Non-UBI: `<path><suffix>:lite-<v>`, `lite-8.15.1` below 8.15.1. UBI: `<path>:lite-<v>-ubi`, with floors for
 * versions that have no UBI image (plain semver here: 8.19.8-SNAPSHOT is below 8.19.8).
 */
function packageRegistryImage(registry: string, path: string, version: StackVersion, configured: string): string {
  if (configured === UBI_SUFFIX) {
    let tag = `lite-${version.text}-ubi`;
    if (isBelow(version, 8, 19, 8)) tag = 'lite-8.19.8-ubi';
    else if (version.major === 9 && version.minor <= 1 && isBelow(version, 9, 1, 8)) tag = 'lite-9.1.8-ubi';
    else if (version.major === 9 && version.minor >= 2 && isBelow(version, 9, 2, 2)) tag = 'lite-9.2.2-ubi';
    return `${registry}/${path}:${tag}`;
  }
  const suffix = configured === WOLFI_SUFFIX ? '' : configured;
  const tag = isBelow(version, 8, 15, 1) ? 'lite-8.15.1' : `lite-${version.text}`;
  return `${registry}/${path}${suffix}:${tag}`;
}

/** `<registry>/<path><suffix>:<version>` by the operator's rules, for an already resolved path. */
function imageFor(kindName: string, path: string, version: StackVersion, settings: ContainerSettings): string {
  const configured = settings.suffix ?? '';
  if (kindName === PACKAGE_REGISTRY) return packageRegistryImage(settings.registry, path, version, configured);
  const repository = settings.repository ?? '';
  const repositoryPath = repository === '' ? path : `${repository}/${lastPathElement(path)}`;
  return `${settings.registry}/${repositoryPath}${nameSuffix(kindName, version, configured)}:${version.text}`;
}

/** The image the operator pulls for a resource of this kind when spec.image is unset. spec is the plain JS value of the resource's spec. */
export function defaultImage(kind: ElasticKind, spec: unknown, settings: ContainerSettings): string {
  const version = specVersion(spec);
  return imageFor(kind.kind, defaultImagePath(kind, spec, version), version, settings);
}

/** Image of a stack-monitoring sidecar ('metrics' -> beats/metricbeat, 'logs' -> beats/filebeat) at a version, same rules. */
export function monitoringSidecarImage(which: 'metrics' | 'logs', version: string, settings: ContainerSettings): string {
  const parsed = versionFrom(version, 'version');
  const path = MONITORING_SIDECARS[which];
  return imageFor(SIDECAR, path, parsed, settings);
}

/** The upstream (source) name of the same image: what one must copy into the mirror, e.g. docker.elastic.co/elasticsearch/elasticsearch-ubi:8.16.1 (repository NOT applied: the upstream path). */
export function upstreamImage(
  kind: ElasticKind,
  spec: unknown,
  settings: Omit<ContainerSettings, 'registry' | 'repository'>,
  sourceRegistry: string = DEFAULT_CONTAINER_REGISTRY,
): string {
  const upstream: ContainerSettings = { registry: sourceRegistry };
  if (settings.suffix !== undefined) upstream.suffix = settings.suffix;
  return defaultImage(kind, spec, upstream);
}
