/**
 * The flags that would move images nothing moves yet, for the advice of `check`, `images` and `render --strict`:
 * a registry holding an Elastic image (the operator, a repository of the kind table) gets `--source-registry HOST`,
 * which keeps the repository path (`elasticsearch/elasticsearch`, the operator's `eck/eck-operator`) the operator's
 * container-registry setting expects on the mirror; every other registry gets `--mirror HOST=MIRROR/FOLDER`.
 */
import { DOCKER_HUB_DOMAIN, parseReference, registryKey } from '../image/reference.js';
import { KNOWN_IMAGE_PATHS, OPERATOR_IMAGE_NAME } from '../eck/kinds.js';

/** A variant the operator or Elastic appends to an image name (`-ubi`, `-ubi8`, `-wolfi`, `-fips`). */
const VARIANT = '(?:-(?:ubi\\d*|wolfi|fips))*';
const KNOWN = new RegExp(
  `(?:^|/)(?:${[...KNOWN_IMAGE_PATHS].map((p) => p.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|')})${VARIANT}$`,
);
const OPERATOR = new RegExp(`(?:^|/)${OPERATOR_IMAGE_NAME}${VARIANT}$`);

/**
 * Whether a repository path (without the registry) looks like an Elastic image: it ends with a path of the kind
 * table (`kibana/kibana`, `beats/filebeat`, optionally below a prefix and with a variant suffix), or names the
 * operator image (`eck/eck-operator`, `elastic/eck-operator-ubi`).
 */
export function looksLikeElasticImage(path: string): boolean {
  return KNOWN.test(path) || OPERATOR.test(path);
}

/**
 * The folder of the mirror a registry's images are suggested to go to: `dockerhub` for Docker Hub (as the README's
 * examples name it), else the host's first label (`gcr`, `quay`; `registry.k8s.io` → `k8s`).
 */
function mirrorFolder(registry: string): string {
  if (registryKey(registry) === DOCKER_HUB_DOMAIN) return 'dockerhub';
  return registry
    .split(':')[0]!
    .replace(/^registry\./, '')
    .split('.')[0]!;
}

/** `--mirror docker.io=my.registry/dockerhub --mirror gcr.io=my.registry/gcr`: a --mirror for each registry, sorted. */
export function mirrorFlags(registries: readonly string[], mirror: string): string {
  return [...new Set(registries)]
    .sort()
    .map((r) => `--mirror ${r}=${mirror}/${mirrorFolder(r)}`)
    .join(' ');
}

/**
 * `--source-registry quay.io --mirror gcr.io=my.registry/gcr`: for the registries of these images (sorted), a
 * --source-registry where one of them looks like an Elastic image, else a --mirror. Unparsable references are left out.
 */
export function moveFlags(images: readonly string[], mirror: string): string {
  const elastic = new Set<string>();
  const registries = new Set<string>();
  for (const image of images) {
    const ref = parseReference(image);
    if (!ref) continue;
    registries.add(ref.domain);
    if (looksLikeElasticImage(ref.path)) elastic.add(ref.domain);
  }
  const sources = [...elastic].sort().map((r) => `--source-registry ${r}`);
  const mirrors = mirrorFlags(
    [...registries].filter((r) => !elastic.has(r)),
    mirror,
  );
  return [...sources, ...(mirrors ? [mirrors] : [])].join(' ');
}
