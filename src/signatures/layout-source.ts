/**
 * Signatures read from a carried directory (`mirror --to-dir`): for `verify --dir --key` (the lead wires the
 * flag), the same judgement as on the mirror, before anything is loaded into it. The `.sig` tags are the layout
 * refs `<upstream repository>:sha256-HEX.sig`; blobs are read bounded, never through a link.
 */
import { createHash } from 'node:crypto';
import { layoutDigests } from '../mirror/layout.js';
import type { Outcome } from '../registry/client.js';
import { digestsOf, layoutBlob } from './carry.js';
import { checkSignatures, type SignatureResult, type SignatureSource } from './check.js';
import { repositoryOf, type PublicKey } from './cosign.js';

export function layoutSource(dir: string, upstream: string): SignatureSource {
  const repo = repositoryOf(upstream) ?? upstream;
  const refs = layoutDigests(dir);
  const missing = (what: string): Outcome<never> => ({ ok: false, status: 'missing', detail: `${what} not in ${dir}` });
  return {
    label: `${dir}: ${repo}`,
    manifest: (tag) => {
      const digest = refs.get(`${repo}:${tag}`);
      const body = digest ? layoutBlob(dir, digest) : undefined;
      if (!digest || !body) return Promise.resolve(missing(`${repo}:${tag}`));
      if (`sha256:${createHash('sha256').update(body).digest('hex')}` !== digest)
        return Promise.resolve({
          ok: false,
          status: 'invalid answer',
          detail: `${digest}: the blob in ${dir} does not hash to its name`,
        });
      return Promise.resolve({ ok: true, value: { digest, body } });
    },
    blob: (digest) => {
      const b = layoutBlob(dir, digest);
      return Promise.resolve(b ? { ok: true, value: b } : missing(digest));
    },
  };
}

/** Judges one image of a --to-dir record (its top manifest and each platform) with the keys. */
export async function checkLayoutImage(
  dir: string,
  entry: { source: string; digest: string },
  keys: readonly PublicKey[],
  exempt: boolean,
): Promise<SignatureResult> {
  const body = layoutBlob(dir, entry.digest);
  const digests: [string, string][] = [['manifest', entry.digest]];
  try {
    const index = body
      ? (JSON.parse(body.toString('utf8')) as {
          manifests?: { digest?: unknown; platform?: { os?: string; architecture?: string; variant?: string } }[];
        })
      : {};
    for (const m of Array.isArray(index.manifests) ? index.manifests : []) {
      // attestation entries (platform unknown/unknown) are not pulled, and not signed by cosign --recursive
      if (typeof m?.digest !== 'string' || m.platform?.os === 'unknown' || !digestsOf(body!).includes(m.digest))
        continue;
      digests.push([
        `${m.platform?.os ?? '?'}/${m.platform?.architecture ?? '?'}${m.platform?.variant ? `/${m.platform.variant}` : ''} manifest`,
        m.digest,
      ]);
    }
  } catch {
    // not JSON: the top manifest alone is judged (and its blob's problems reported there)
  }
  return checkSignatures(
    { image: entry.source, upstream: entry.source, digests },
    layoutSource(dir, entry.source),
    keys,
    exempt,
  );
}
