/**
 * Is one image on its registry, with every platform a pull needs? The manifest is fetched by digest when the
 * reference has one (that is what a pod pulling `name:tag@digest` gets), else by tag (`latest` when none). An
 * index (OCI index or Docker manifest list) is followed into its platforms: each required platform must be a
 * child of the index, and that child's manifest must be in the repository (an index can be present while a
 * platform's manifest is not). Without `--platform`, every platform the index lists is required (attestation
 * entries, platform `unknown/unknown`, are not). A single manifest's platform is read from its config blob, only
 * when platforms are asked for.
 */
import { parseReference } from '../image/reference.js';
import { MANIFEST_TYPES, type RegistryClient } from './client.js';

export type Status = 'present' | 'missing' | 'platform missing' | 'unauthorized' | 'unreachable';

export interface PlatformResult {
  readonly platform: string;
  readonly status: 'present' | 'missing' | 'unauthorized' | 'unreachable';
  readonly digest: string | null;
}

export interface ImageResult {
  readonly image: string;
  readonly status: Status;
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

export function parsePlatform(text: string): Platform | undefined {
  const m = /^([a-z0-9]+)\/([a-z0-9_]+)(?:\/([a-z0-9]+))?$/.exec(text);
  if (!m) return undefined;
  return { os: m[1]!, architecture: m[2]!, ...(m[3] ? { variant: m[3] } : {}) };
}

const show = (p: Partial<Platform> | undefined): string => `${p?.os ?? '?'}/${p?.architecture ?? '?'}${p?.variant ? `/${p.variant}` : ''}`;

function matches(wanted: Platform, have: Partial<Platform> | undefined): boolean {
  if (!have) return false;
  return have.os === wanted.os && have.architecture === wanted.architecture && (wanted.variant === undefined || have.variant === wanted.variant);
}

interface IndexChild {
  digest?: string;
  mediaType?: string;
  platform?: { os?: string; architecture?: string; variant?: string };
}

export async function verifyImage(image: string, client: RegistryClient, platforms: readonly Platform[]): Promise<ImageResult> {
  const ref = parseReference(image);
  if (!ref) return { image, status: 'unreachable', digest: null, platforms: [], detail: 'not a valid image reference' };
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const top = await client.manifest(ref.path, reference);
  if (!top.ok) return { image, status: top.status, digest: null, platforms: [], detail: top.detail };
  const { mediaType, digest, body } = top.value;
  const json = JSON.parse(body.toString('utf8')) as { manifests?: IndexChild[]; config?: { digest?: string } };

  if (mediaType === MANIFEST_TYPES.ociIndex || mediaType === MANIFEST_TYPES.dockerList || Array.isArray(json.manifests)) {
    const children = (json.manifests ?? []).filter((c) => c.platform?.os !== 'unknown');
    const wanted: Platform[] =
      platforms.length > 0
        ? [...platforms]
        : children.map((c) => ({ os: c.platform?.os ?? '?', architecture: c.platform?.architecture ?? '?', ...(c.platform?.variant ? { variant: c.platform.variant } : {}) }));
    const results: PlatformResult[] = [];
    const problems: string[] = [];
    for (const p of wanted) {
      const child = children.find((c) => matches(p, c.platform));
      if (!child?.digest) {
        results.push({ platform: show(p), status: 'missing', digest: null });
        problems.push(`${show(p)} is not in the index (it lists ${children.map((c) => show(c.platform)).join(', ') || 'nothing'})`);
        continue;
      }
      const there = await client.hasManifest(ref.path, child.digest);
      if (there.ok) {
        results.push({ platform: show(p), status: 'present', digest: child.digest });
      } else {
        results.push({ platform: show(p), status: there.status, digest: child.digest });
        problems.push(there.status === 'missing' ? `the ${show(p)} manifest ${child.digest} is listed in the index but not in the repository` : there.detail);
      }
    }
    const worst = results.find((r) => r.status === 'unauthorized' || r.status === 'unreachable');
    if (worst) return { image, status: worst.status, digest, platforms: results, detail: problems.join('; ') };
    if (problems.length > 0) return { image, status: 'platform missing', digest, platforms: results, detail: problems.join('; ') };
    return { image, status: 'present', digest, platforms: results, detail: null };
  }

  if (platforms.length === 0) return { image, status: 'present', digest, platforms: [], detail: null };
  // a single manifest: its platform is in its config
  const configDigest = json.config?.digest;
  if (!configDigest) return { image, status: 'platform missing', digest, platforms: [], detail: 'a single manifest without a config: its platform is unknown' };
  const config = await client.blob(ref.path, configDigest);
  if (!config.ok) {
    const status = config.status === 'missing' ? 'platform missing' : config.status;
    return { image, status, digest, platforms: [], detail: config.detail };
  }
  let have: Platform | undefined;
  try {
    const c = JSON.parse(config.value.toString('utf8')) as { os?: string; architecture?: string; variant?: string };
    if (c.os && c.architecture) have = { os: c.os, architecture: c.architecture, ...(c.variant ? { variant: c.variant } : {}) };
  } catch {
    // not JSON: platform unknown
  }
  const results: PlatformResult[] = platforms.map((p) => ({ platform: show(p), status: matches(p, have) ? 'present' : 'missing', digest: matches(p, have) ? digest : null }));
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
