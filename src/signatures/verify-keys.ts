/**
 * The `verify --key` hook: loads the keys (before anything is asked of the mirror), checks the signatures of
 * every image verify found present, and says what it found: a SIGNATURE column, a `signature` member in JSON,
 * one stderr line per image not signed. See docs/mirror-and-verify.md, "Signatures".
 */
import { parseReference } from '../image/reference.js';
import type { RegistryClient } from '../registry/client.js';
import { mapLimit } from '../registry/pool.js';
import type { ImageResult } from '../registry/verify-image.js';
import { UsageError } from '../errors.js';
import { escapeControl } from '../text/escape.js';
import { loadPublicKey, type PublicKey } from './cosign.js';
import { checkSignatures, exemptBy, registrySource, type SignatureResult } from './check.js';

export interface KeyFlags {
  key?: string[];
  allowUnsigned?: string[];
}

export function loadKeys(flags: KeyFlags): PublicKey[] {
  if ((flags.allowUnsigned?.length ?? 0) > 0 && (flags.key?.length ?? 0) === 0)
    throw new UsageError('--allow-unsigned needs --key: it exempts images from the signature check --key asks for.');
  for (const p of flags.allowUnsigned ?? []) {
    if (!p.endsWith('*') && !parseReference(p))
      throw new UsageError(
        `--allow-unsigned ${p}: not an image repository or reference (e.g. docker.elastic.co/beats/elastic-agent, or a prefix ending in *).`,
      );
  }
  return (flags.key ?? []).map(loadPublicKey);
}

export interface SignatureOutcome {
  readonly byImage: Map<string, SignatureResult>;
  readonly report: string;
  readonly failed: number;
}

export async function verifySignatures(
  results: readonly ImageResult[],
  sourceOf: ReadonlyMap<string, string>,
  clientFor: (image: string) => RegistryClient,
  keys: readonly PublicKey[],
  flags: KeyFlags,
  jobs: number,
): Promise<SignatureOutcome> {
  const present = results.filter((r) => r.status === 'present' && r.digest !== null);
  const checked = await mapLimit(present, jobs, (r) => {
    const upstream = sourceOf.get(r.image) ?? r.image;
    const digests: [string, string][] = [['manifest', r.digest!]];
    for (const p of r.platforms)
      if (p.digest !== null && p.digest !== r.digest) digests.push([`${p.platform} manifest`, p.digest]);
    const path = parseReference(r.image)?.path ?? '';
    return checkSignatures(
      { image: r.image, upstream, digests },
      registrySource(clientFor(r.image), path),
      keys,
      exemptBy(flags.allowUnsigned ?? [], upstream),
    );
  });
  const byImage = new Map(checked.map((s) => [s.image, s]));
  let report = '';
  let failed = 0;
  for (const s of checked) {
    if (s.status === 'signed') continue;
    if (s.exempt) {
      report += `eck-airgap: ${s.image}: unsigned, exempt (--allow-unsigned matches ${s.upstream})\n`;
      continue;
    }
    failed++;
    report += `eck-airgap: ${s.image}: ${s.status}: ${escapeControl(s.detail ?? '')} (upstream ${s.upstream})\n`;
  }
  if (failed > 0)
    report += `eck-airgap: ${failed} of ${checked.length} image${checked.length === 1 ? '' : 's'} not signed by ${keys.map((k) => k.file).join(' or ')}.\n`;
  return { byImage, report, failed };
}

/** The SIGNATURE column's text. */
export function signatureCell(s: SignatureResult | undefined): string {
  if (!s) return '-';
  return s.exempt ? 'unsigned (exempt)' : s.status;
}
