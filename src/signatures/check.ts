/**
 * `verify --key`: are an image's signatures on the mirror Elastic's? For the image's top manifest (the index of a
 * multi-arch image) and each platform manifest verify checked (`cosign sign --recursive` signs them all, and
 * CRI-O/podman check the instance they pull as well as the index), the `sha256-HEX.sig` tag must hold a
 * simple-signing layer whose signature verifies with one of the keys and whose payload names that digest and the
 * upstream repository the image was relocated from. Per digest the best finding counts, per image the worst:
 *   signed          a signature verifies, names the digest and the upstream identity;
 *   wrong identity  one verifies and names the digest, but another repository;
 *   wrong digest    one verifies but names another manifest (a signature moved from another image);
 *   bad signature   signatures are there, none verifies with the keys (or they are malformed, or too large);
 *   unsigned        no signature at all;
 *   unreachable / unauthorized  the mirror would not say.
 *   invalid answer  the mirror's answer was not what it claimed (bytes not hashing to their digest, no manifest).
 * No transparency log is consulted (there is none inside the gap).
 */
import { createHash } from 'node:crypto';
import { parseReference } from '../image/reference.js';
import type { Outcome, RegistryClient } from '../registry/client.js';
import {
  LIMITS,
  parsePayload,
  repositoryOf,
  SIGNATURE_ANNOTATION,
  signatureTag,
  SIMPLE_SIGNING,
  verifiesWith,
  type PublicKey,
} from './cosign.js';

export type SignatureStatus =
  | 'signed'
  | 'unsigned'
  | 'bad signature'
  | 'wrong identity'
  | 'wrong digest'
  | 'unreachable'
  | 'unauthorized'
  | 'invalid answer';

/** Best first: per digest the first reached wins. */
const BEST: SignatureStatus[] = ['signed', 'wrong identity', 'wrong digest', 'bad signature', 'unsigned'];
/** Worst first: per image the first present wins. */
const WORST: SignatureStatus[] = [
  'invalid answer',
  'unreachable',
  'unauthorized',
  'bad signature',
  'wrong digest',
  'wrong identity',
  'unsigned',
  'signed',
];

export interface DigestFinding {
  readonly what: string;
  readonly digest: string;
  readonly status: SignatureStatus;
  readonly detail: string | null;
  /** Digests of the signature manifests read (the .sig tags). */
  readonly signatureManifest: string | null;
}

export interface SignatureResult {
  readonly image: string;
  readonly upstream: string;
  readonly status: SignatureStatus;
  readonly exempt: boolean;
  readonly detail: string | null;
  readonly digests: DigestFinding[];
}

interface SigManifest {
  layers?: { mediaType?: unknown; digest?: unknown; size?: unknown; annotations?: Record<string, unknown> }[];
}

/** Where signatures are read: a registry repository, or a carried directory (src/signatures/layout-source.ts). */
export interface SignatureSource {
  /** For messages: `host/repository` or the directory's ref prefix. */
  readonly label: string;
  manifest(tag: string): Promise<Outcome<{ readonly digest: string; readonly body: Buffer }>>;
  blob(digest: string): Promise<Outcome<Buffer>>;
}

export function registrySource(client: RegistryClient, repository: string): SignatureSource {
  return {
    label: `${client.domain}/${repository}`,
    manifest: (tag) => client.manifest(repository, tag),
    blob: (digest) => client.blob(repository, digest),
  };
}

async function judgeDigest(
  source: SignatureSource,
  digest: string,
  what: string,
  identity: string,
  keys: readonly PublicKey[],
): Promise<DigestFinding> {
  const finding = (status: SignatureStatus, detail: string | null, manifest: string | null = null): DigestFinding => ({
    what,
    digest,
    status,
    detail,
    signatureManifest: manifest,
  });
  const tag = signatureTag(digest);
  if (!tag) return finding('bad signature', `${digest} is not a sha256 digest; cosign signs sha256 manifests only`);
  const got = await source.manifest(tag);
  if (!got.ok) {
    if (got.status === 'missing') return finding('unsigned', `no signature: ${source.label}:${tag} is not there`);
    return finding(got.status, `${source.label}:${tag}: ${got.detail}`);
  }
  const sigManifest = got.value.digest;
  if (got.value.body.length > LIMITS.sigManifest)
    return finding(
      'bad signature',
      `${tag}: ${got.value.body.length} bytes, more than a signature manifest (${LIMITS.sigManifest})`,
      sigManifest,
    );
  let parsed: SigManifest;
  try {
    parsed = JSON.parse(got.value.body.toString('utf8')) as SigManifest;
  } catch {
    return finding('bad signature', `${tag} is not JSON`, sigManifest);
  }
  const layers = Array.isArray(parsed?.layers) ? parsed.layers.filter((l) => l?.mediaType === SIMPLE_SIGNING) : [];
  if (layers.length === 0) return finding('unsigned', `${tag} holds no ${SIMPLE_SIGNING} layer`, sigManifest);
  if (layers.length > LIMITS.layers)
    return finding(
      'bad signature',
      `${tag} holds ${layers.length} signatures, more than ${LIMITS.layers}`,
      sigManifest,
    );
  const reasons: string[] = [];
  let best: { status: SignatureStatus; detail: string } | undefined;
  const consider = (status: SignatureStatus, detail: string): void => {
    if (!best || BEST.indexOf(status) < BEST.indexOf(best.status)) best = { status, detail };
  };
  for (const [i, layer] of layers.entries()) {
    const n = `signature ${i + 1} of ${layers.length}`;
    const b64 = layer.annotations?.[SIGNATURE_ANNOTATION];
    if (typeof b64 !== 'string' || b64.length > (LIMITS.signature * 4) / 3 + 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
      reasons.push(`${n}: no valid ${SIGNATURE_ANNOTATION} annotation`);
      continue;
    }
    const blobDigest = layer.digest;
    if (
      typeof blobDigest !== 'string' ||
      !/^sha256:[a-f0-9]{64}$/.test(blobDigest) ||
      (typeof layer.size === 'number' && layer.size > LIMITS.payload)
    ) {
      reasons.push(`${n}: payload not a small sha256 blob`);
      continue;
    }
    const blob = await source.blob(blobDigest);
    if (!blob.ok) {
      if (blob.status !== 'missing') return finding(blob.status, `${n}: ${blob.detail}`, sigManifest);
      reasons.push(`${n}: its payload ${blobDigest} is not in the repository`);
      continue;
    }
    const payload = blob.value;
    if (
      payload.length > LIMITS.payload ||
      `sha256:${createHash('sha256').update(payload).digest('hex')}` !== blobDigest
    ) {
      reasons.push(`${n}: the payload served is not ${blobDigest}`);
      continue;
    }
    const signature = Buffer.from(b64, 'base64');
    const key = keys.find((k) => verifiesWith(k, payload, signature));
    if (!key) {
      reasons.push(`${n}: verifies with none of the keys (${keys.map((k) => k.file).join(', ')})`);
      continue;
    }
    const claims = parsePayload(payload);
    if (!claims) {
      reasons.push(`${n}: verifies, but its payload is not a cosign simple-signing payload`);
      continue;
    }
    if (claims.digest !== digest) {
      consider('wrong digest', `${n} (key ${key.file}) names ${claims.digest}, not ${digest}`);
      continue;
    }
    if (repositoryOf(claims.identity) !== identity) {
      consider('wrong identity', `${n} (key ${key.file}) names ${claims.identity}, not ${identity}`);
      continue;
    }
    consider('signed', `key ${key.file}`);
    break;
  }
  if (best)
    return finding(
      best.status,
      best.status === 'signed' ? best.detail : [best.detail, ...reasons].join('; '),
      sigManifest,
    );
  return finding('bad signature', reasons.join('; '), sigManifest);
}

export interface ToCheck {
  readonly image: string;
  readonly upstream: string;
  /** Top manifest first, then each platform manifest: [what, digest]. */
  readonly digests: readonly (readonly [string, string])[];
}

export async function checkSignatures(
  check: ToCheck,
  source: SignatureSource,
  keys: readonly PublicKey[],
  exempt: boolean,
): Promise<SignatureResult> {
  const identity = repositoryOf(check.upstream) ?? check.upstream;
  const digests: DigestFinding[] = [];
  for (const [what, digest] of check.digests) digests.push(await judgeDigest(source, digest, what, identity, keys));
  const status = WORST.find((s) => digests.some((d) => d.status === s)) ?? 'unsigned';
  const bad = digests.filter((d) => d.status === status && status !== 'signed');
  const detail = bad.length === 0 ? null : bad.map((d) => `${d.what} ${d.digest}: ${d.detail ?? status}`).join('; ');
  // an exemption covers only the absence of signatures: a signature that is there and wrong is never waved through
  return {
    image: check.image,
    upstream: check.upstream,
    status,
    exempt: exempt && status === 'unsigned',
    detail,
    digests,
  };
}

/**
 * `--allow-unsigned PATTERN`: upstream names an image may be unsigned under. PATTERN is a repository
 * (`docker.elastic.co/beats/elastic-agent`: any tag), a repository and tag, or either ending in `*` (a prefix).
 */
export function exemptBy(patterns: readonly string[], upstream: string): boolean {
  return patterns.some((p) => {
    if (p.endsWith('*')) return upstream.startsWith(p.slice(0, -1));
    if (upstream === p) return true;
    const ref = parseReference(p);
    return (
      ref !== undefined &&
      ref.tag === undefined &&
      ref.digest === undefined &&
      repositoryOf(upstream) === `${ref.domain}/${ref.path}`
    );
  });
}
