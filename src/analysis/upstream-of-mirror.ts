/**
 * The upstream name of an image that is already on the mirror (rendered output), where that can be told:
 * - a `mirrors` destination: the prefix is taken off and the source registry put back
 *   (`my.registry/dockerhub/library/nginx:1.27` → `docker.io/library/nginx:1.27`);
 * - the operator image `<registry>/<operator repository>/eck-operator…` → `docker.elastic.co/eck/eck-operator…`;
 * - any other image on the mirror, when there is exactly one source registry: without `repository`, the same
 *   path on it, for an ECK image name or an image of an Elastic resource (a plain workload's own image on the
 *   mirror may never have come from the source registry); with `repository` (which keeps only the last path element), the path of the ECK image of that
 *   name (`elastic/kibana-ubi` → `kibana/kibana-ubi`), when there is exactly one (the Agent's by tag: before 9
 *   `beats/`, from 9 `elastic-agent/`).
 * Anything else is ambiguous: undefined (the caller says so on stderr).
 */
import { AGENT_IMAGE_PATH_FROM_9, ELASTIC_KINDS, KNOWN_IMAGE_PATHS, OPERATOR_SOURCE_REPOSITORY } from '../eck/kinds.js';
import { kindImageFor, NEWEST_RELEASE, type OperatorRelease } from '../eck/release.js';
import { isOperatorImage, registryParts } from '../image/relocate.js';
import { lastPathElement, parseMirrorTarget, type ImageReference } from '../image/reference.js';
import type { Settings } from '../config/settings.js';

/** Every image path some known operator release names by itself. */
const KNOWN_PATHS = KNOWN_IMAGE_PATHS;
const AGENT = ELASTIC_KINDS.find((k) => k.kind === 'Agent')!;

function directory(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

/** The upstream path of a flattened `<repository>/<name>` image, from the ECK image names. */
function unflatten(name: string, tag: string | undefined, release: OperatorRelease): string | undefined {
  const matches = new Set<string>();
  let best = -1;
  for (const path of KNOWN_PATHS) {
    const base = lastPathElement(path);
    if (name !== base && !name.startsWith(`${base}-`)) continue;
    if (base.length > best) {
      best = base.length;
      matches.clear();
    }
    if (base.length === best) matches.add(directory(path));
  }
  if (matches.size === 2 && matches.has('beats') && matches.has(directory(AGENT_IMAGE_PATH_FROM_9))) {
    const major = Number(/^(\d+)\./.exec(tag ?? '')?.[1]);
    if (!Number.isFinite(major)) return undefined;
    // The operator release says whether 9.x Agents moved to elastic-agent/ (3.0.0 on) or stayed in beats/.
    const from9 = kindImageFor(AGENT, release)?.pathFrom9 !== undefined;
    return `${major >= 9 && from9 ? directory(AGENT_IMAGE_PATH_FROM_9) : 'beats'}/${name}`;
  }
  return matches.size === 1 ? `${[...matches][0]}/${name}` : undefined;
}

/** True for `<dir>/<name>[-suffix]` where `<dir>/<name>` is an ECK image path. */
function isKnownPath(path: string): boolean {
  return KNOWN_PATHS.some((known) => {
    const base = lastPathElement(known);
    const name = lastPathElement(path);
    return directory(path) === directory(known) && (name === base || name.startsWith(`${base}-`));
  });
}

export function upstreamOfMirrorImage(
  ref: ImageReference,
  settings: Settings,
  repository: string | undefined,
  ofElasticResource: boolean,
  release: OperatorRelease = NEWEST_RELEASE,
): ImageReference | undefined {
  const keep = {
    ...(ref.tag !== undefined ? { tag: ref.tag } : {}),
    ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
  };
  const mirror = registryParts(settings.registry);
  let best: { source: string; rest: string; prefixLength: number } | undefined;
  for (const [source, destination] of Object.entries(settings.mirrors)) {
    const target = parseMirrorTarget(destination);
    if (!target || target.domain !== ref.domain) continue;
    if (ref.domain === mirror.domain && (target.prefix === '' || target.prefix === mirror.prefix)) continue; // cannot tell it from the mirror itself
    if (target.prefix !== '' && !ref.path.startsWith(`${target.prefix}/`)) continue;
    if (best && best.prefixLength >= target.prefix.length) continue;
    best = {
      source,
      rest: target.prefix === '' ? ref.path : ref.path.slice(target.prefix.length + 1),
      prefixLength: target.prefix.length,
    };
  }
  if (best) return { domain: best.source, path: best.rest, ...keep };
  if (ref.domain !== mirror.domain || settings.sourceRegistries.length !== 1) return undefined;
  // Under a mirror with a path (`harbor.corp/elastic`), only what lies below it came from the mirror's rules.
  if (mirror.prefix !== '') {
    if (!ref.path.startsWith(`${mirror.prefix}/`)) return undefined;
    ref = { ...ref, path: ref.path.slice(mirror.prefix.length + 1) };
  }
  const sourceRegistry = settings.sourceRegistries[0]!;
  const name = lastPathElement(ref.path);
  if (isOperatorImage(ref) && ref.path === `${settings.operatorRepository}/${name}`) {
    return { domain: sourceRegistry, path: `${OPERATOR_SOURCE_REPOSITORY}/${name}`, ...keep };
  }
  if (repository === undefined || repository === '') {
    return ofElasticResource || isKnownPath(ref.path) ? { domain: sourceRegistry, path: ref.path, ...keep } : undefined;
  }
  if (ref.path !== `${repository}/${name}`) return undefined;
  const path = unflatten(name, ref.tag, release);
  return path ? { domain: sourceRegistry, path, ...keep } : undefined;
}
