/**
 * Is one image on its registry, with every platform a pull needs? The manifest is fetched by digest when the
 * reference has one (that is what a pod pulling `name:tag@digest` gets), else by tag (`latest` when none). An
 * index (OCI index or Docker manifest list) is followed into its platforms: each required platform must be a
 * child of the index, and that child's manifest must be in the repository (an index can be present while a
 * platform's manifest is not). Without `--platform`, every platform the index lists is required (attestation
 * entries, platform `unknown/unknown`, are not). A single manifest's platform is read from its config blob, only
 * when platforms are asked for.
 *
 * Nothing counts that was not read and hashed: the top manifest and every child followed are fetched (GET) and
 * their bytes hashed against the digest asked for and the one announced (client.manifest); each must be a real
 * OCI / Docker manifest or index. An index with no entry for a wanted platform, an empty index, or one of
 * attestations only is `platform missing`. The children of one index are fetched once per distinct digest,
 * CHILD_JOBS at a time; an index of more than MAX_INDEX_ENTRIES entries is refused (`invalid answer`).
 */
import { parseReference } from '../image/reference.js';
import { mapLimit } from './pool.js';
import type { Descriptor, Outcome, RegistryClient, Manifest } from './client.js';

export type Status = 'present' | 'missing' | 'platform missing' | 'unauthorized' | 'unreachable' | 'invalid answer';

export interface PlatformResult {
  readonly platform: string;
  readonly status: 'present' | 'missing' | 'unauthorized' | 'unreachable' | 'invalid answer';
  readonly digest: string | null;
}

export interface ImageResult {
  readonly image: string;
  readonly status: Status;
  /** The digest of the top manifest's bytes as received (null when none was read). */
  readonly digest: string | null;
  readonly platforms: PlatformResult[];
  /** Why, when not present. */
  readonly detail: string | null;
}

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** Child manifests of one index fetched at a time. */
export const CHILD_JOBS = 4;

export function parsePlatform(text: string): Platform | undefined {
  const m = /^([a-z0-9]+)\/([a-z0-9_]+)(?:\/([a-z0-9]+))?$/.exec(text);
  if (!m) return undefined;
  return { os: m[1]!, architecture: m[2]!, ...(m[3] ? { variant: m[3] } : {}) };
}

const show = (p: Partial<Platform> | undefined): string =>
  `${p?.os ?? '?'}/${p?.architecture ?? '?'}${p?.variant ? `/${p.variant}` : ''}`;

function matches(wanted: Platform, have: Partial<Platform> | undefined): boolean {
  if (!have) return false;
  return (
    have.os === wanted.os &&
    have.architecture === wanted.architecture &&
    (wanted.variant === undefined || have.variant === wanted.variant)
  );
}

/** Attestation entries (BuildKit's `unknown/unknown`, `vnd.docker.reference.type: attestation-manifest`) are no platform. */
function isAttestation(d: Descriptor): boolean {
  return (
    d.platform?.os === 'unknown' ||
    d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    d.platform === undefined
  );
}

const SEVERE = ['invalid answer', 'unauthorized', 'unreachable'] as const;

export async function verifyImage(
  image: string,
  client: RegistryClient,
  platforms: readonly Platform[],
): Promise<ImageResult> {
  const ref = parseReference(image);
  if (!ref) return { image, status: 'unreachable', digest: null, platforms: [], detail: 'not a valid image reference' };
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const top = await client.manifest(ref.path, reference);
  if (!top.ok) return { image, status: top.status, digest: null, platforms: [], detail: top.detail };
  const { digest, shape } = top.value;

  if (shape.kind === 'index') {
    const children = shape.manifests.filter((c) => !isAttestation(c));
    if (children.length === 0) {
      const why =
        shape.manifests.length === 0
          ? 'the index is empty'
          : `the index lists no platform (${shape.manifests.length} entr${shape.manifests.length === 1 ? 'y' : 'ies'}, attestations or without a platform)`;
      const wanted = platforms.map((p) => ({ platform: show(p), status: 'missing' as const, digest: null }));
      return { image, status: 'platform missing', digest, platforms: wanted, detail: why };
    }
    const wanted: Platform[] = [];
    const seen = new Set<string>();
    for (const p of platforms.length > 0 ? platforms : children.map((c) => c.platform!)) {
      if (!seen.has(show(p))) {
        seen.add(show(p));
        wanted.push(p);
      }
    }
    const chosen = wanted.map((p) => children.find((c) => matches(p, c.platform)));
    // each distinct child once, a few at a time
    const digests = [...new Set(chosen.filter((c): c is Descriptor => c !== undefined).map((c) => c.digest))];
    const fetched = new Map<string, Outcome<Manifest>>();
    await mapLimit(digests, CHILD_JOBS, async (d) => {
      fetched.set(d, await client.manifest(ref.path, d));
    });
    const results: PlatformResult[] = [];
    const problems: string[] = [];
    wanted.forEach((p, i) => {
      const child = chosen[i];
      if (!child) {
        results.push({ platform: show(p), status: 'missing', digest: null });
        const listed = [...new Set(children.map((c) => show(c.platform)))];
        problems.push(
          `${show(p)} is not in the index (it lists ${listed.slice(0, 20).join(', ')}${listed.length > 20 ? ', …' : ''})`,
        );
        return;
      }
      const there = fetched.get(child.digest)!;
      if (there.ok && there.value.shape.kind === 'manifest') {
        results.push({ platform: show(p), status: 'present', digest: child.digest });
      } else if (there.ok) {
        results.push({ platform: show(p), status: 'invalid answer', digest: child.digest });
        problems.push(`the ${show(p)} entry ${child.digest} is an index itself, not an image manifest`);
      } else {
        results.push({ platform: show(p), status: there.status, digest: child.digest });
        problems.push(
          there.status === 'missing'
            ? `the ${show(p)} manifest ${child.digest} is listed in the index but not in the repository`
            : `the ${show(p)} manifest ${child.digest}: ${there.detail}`,
        );
      }
    });
    const worst = SEVERE.find((s) => results.some((r) => r.status === s));
    if (worst) return { image, status: worst, digest, platforms: results, detail: problems.join('; ') };
    if (problems.length > 0)
      return { image, status: 'platform missing', digest, platforms: results, detail: problems.join('; ') };
    return { image, status: 'present', digest, platforms: results, detail: null };
  }

  if (platforms.length === 0) return { image, status: 'present', digest, platforms: [], detail: null };
  // a single manifest: its platform is in its config (fetched and hashed)
  const configDigest = shape.config.digest;
  const config = await client.blob(ref.path, configDigest);
  if (!config.ok) {
    const status = config.status === 'missing' ? 'platform missing' : config.status;
    return { image, status, digest, platforms: [], detail: config.detail };
  }
  let have: Platform | undefined;
  try {
    const c = JSON.parse(config.value.toString('utf8')) as {
      os?: unknown;
      architecture?: unknown;
      variant?: unknown;
    } | null;
    if (c && typeof c.os === 'string' && typeof c.architecture === 'string')
      have = {
        os: c.os,
        architecture: c.architecture,
        ...(typeof c.variant === 'string' && c.variant ? { variant: c.variant } : {}),
      };
  } catch {
    // not JSON: platform unknown
  }
  const results: PlatformResult[] = platforms.map((p) => ({
    platform: show(p),
    status: matches(p, have) ? 'present' : 'missing',
    digest: matches(p, have) ? digest : null,
  }));
  const absent = results.filter((r) => r.status !== 'present').map((r) => r.platform);
  if (absent.length === 0) return { image, status: 'present', digest, platforms: results, detail: null };
  return {
    image,
    status: 'platform missing',
    digest,
    platforms: results,
    detail: `a single-platform image (${have ? show(have) : 'platform unknown'}); ${absent.join(', ')} not there`,
  };
}
