/**
 * `verify --lock-output FILE` (the lock from what the mirror serves) and `verify --lock FILE` (drift: is every
 * locked image still served at its digest, does its tag still point there). Both ask the mirror through the same
 * registry client verify uses; see docs/mirror-and-verify.md ("The images lock").
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { parseReference } from '../image/reference.js';
import { escapeControl, safeJson } from '../text/escape.js';
import type { RegistryClient } from '../registry/client.js';
import { mapLimit } from '../registry/pool.js';
import { verifyImage, type ImageResult } from '../registry/verify-image.js';
import { lockKey, makeLock, readLock, writeLock, type LockedImage, type LockedPlatform } from './lock-file.js';

export type ClientFor = (image: string) => RegistryClient;

/** `--lock-output FILE` must be a file in an existing directory (checked before the mirror is asked anything). */
export function checkLockOutput(path: string): void {
  const dir = dirname(resolve(path));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // not there
  }
  if (!isDir) throw new UsageError(`--lock-output ${path}: ${dir} is not a directory.`);
  try {
    if (statSync(path).isDirectory())
      throw new UsageError(`--lock-output ${path}: it is a directory; name the lock file to write.`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // absent: written new
  }
}

/** The platform of a single-manifest image, from its config blob (os/architecture[/variant]); undefined when unknown. */
async function singlePlatform(
  image: string,
  digest: string,
  client: RegistryClient,
): Promise<LockedPlatform | undefined> {
  const ref = parseReference(image);
  if (!ref) return undefined;
  const manifest = await client.manifest(ref.path, digest);
  if (!manifest.ok) return undefined;
  let configDigest: string | undefined;
  try {
    configDigest = (JSON.parse(manifest.value.body.toString('utf8')) as { config?: { digest?: string } }).config
      ?.digest;
  } catch {
    return undefined;
  }
  if (!configDigest) return undefined;
  const config = await client.blob(ref.path, configDigest);
  if (!config.ok) return undefined;
  try {
    const c = JSON.parse(config.value.toString('utf8')) as { os?: unknown; architecture?: unknown; variant?: unknown };
    if (typeof c.os !== 'string' || typeof c.architecture !== 'string') return undefined;
    const platform = `${c.os}/${c.architecture}${typeof c.variant === 'string' && c.variant ? `/${c.variant}` : ''}`;
    return /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/.test(platform) ? { platform, digest } : undefined;
  } catch {
    return undefined;
  }
}

/** The name a lock records: the image without a digest, unless the digest is all that names it (no tag). */
function withoutDigest(image: string): string {
  const ref = parseReference(image);
  if (ref && ref.tag === undefined && ref.digest !== undefined) return image;
  const at = image.indexOf('@');
  return at < 0 ? image : image.slice(0, at);
}

/**
 * Writes the lock for images all found present (`results`, every one `present`); `sourceOf` gives each image's
 * upstream name (null when it cannot be told). Returns the number of images locked.
 */
export async function writeLockFrom(
  path: string,
  results: readonly ImageResult[],
  sourceOf: ReadonlyMap<string, string | null>,
  clientFor: ClientFor,
  jobs: number,
): Promise<number> {
  const images = await mapLimit([...results], jobs, async (r): Promise<LockedImage> => {
    const platforms: LockedPlatform[] = r.platforms
      .filter((p) => p.digest !== null)
      .map((p) => ({ platform: p.platform, digest: p.digest! }));
    if (r.platforms.length === 0) {
      const single = await singlePlatform(r.image, r.digest!, clientFor(r.image));
      if (single) platforms.push(single);
    }
    return { image: withoutDigest(r.image), source: sourceOf.get(r.image) ?? null, digest: r.digest!, platforms };
  });
  const lock = makeLock(images);
  writeLock(path, lock);
  return lock.images.length;
}

export type DriftStatus =
  'locked' | 'drifted' | 'missing' | 'platform missing' | 'unauthorized' | 'unreachable' | 'invalid answer';

export interface DriftResult {
  readonly image: string;
  readonly status: DriftStatus;
  /** The digest the lock holds. */
  readonly locked: string;
  /** The digest the tag points to now (null when the mirror did not say). */
  readonly current: string | null;
  readonly detail: string | null;
}

async function driftOf(entry: LockedImage, client: RegistryClient): Promise<DriftResult> {
  const base = { image: entry.image, locked: entry.digest };
  const ref = parseReference(entry.image)!;
  // Still served at its digest, with every platform the index lists (what a pod pulling name:tag@digest gets).
  const byDigestOnly = ref.tag === undefined && ref.digest !== undefined;
  const pinned = await verifyImage(byDigestOnly ? entry.image : `${lockKey(entry.image)}@${entry.digest}`, client, []);
  if (pinned.status !== 'present') {
    const status: DriftStatus = pinned.status === 'missing' ? 'missing' : pinned.status;
    return {
      ...base,
      status,
      current: null,
      detail: `${entry.digest} is not served: ${pinned.detail ?? pinned.status}`,
    };
  }
  const served = new Set(pinned.platforms.map((p) => p.digest));
  const gone = entry.platforms.filter((p) => pinned.platforms.length > 0 && !served.has(p.digest));
  if (gone.length > 0) {
    return {
      ...base,
      status: 'platform missing',
      current: null,
      detail: `the index ${entry.digest} no longer lists ${gone.map((p) => `${p.platform} ${p.digest}`).join(', ')}`,
    };
  }
  // Named by digest alone: no tag that could move.
  if (byDigestOnly) return { ...base, status: 'locked', current: entry.digest, detail: null };
  const byTag = await client.manifest(ref.path, ref.tag ?? 'latest');
  if (!byTag.ok)
    return { ...base, status: byTag.status, current: null, detail: `the tag ${ref.tag ?? 'latest'}: ${byTag.detail}` };
  if (byTag.value.digest !== entry.digest) {
    return {
      ...base,
      status: 'drifted',
      current: byTag.value.digest,
      detail: `the tag ${ref.tag ?? 'latest'} now points to ${byTag.value.digest}; the lock has ${entry.digest} (a pinned render still pulls the locked digest; mirror the approved image again, or review the change and write a new lock)`,
    };
  }
  return { ...base, status: 'locked', current: byTag.value.digest, detail: null };
}

function table(results: readonly DriftResult[]): string {
  const rows = [
    ['IMAGE', 'STATUS', 'LOCKED', 'NOW'],
    ...results.map((r) => [r.image, r.status, r.locked, r.current ?? '-']),
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c]!.length)));
  return (
    rows
      .map(
        (row) =>
          `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]!.padEnd(widths[2]!)}  ${row[3]}`,
      )
      .join('\n') + '\n'
  );
}

/** `verify --lock FILE`: the report (stderr), the table or JSON (stdout) and whether everything is as locked. */
export async function verifyDrift(
  path: string,
  clientFor: ClientFor,
  jobs: number,
  format: 'text' | 'json',
  quiet: boolean,
  causes: (notServed: readonly DriftResult[]) => string = () => '',
): Promise<{ stderr: string; stdout: string; ok: boolean }> {
  const lock = readLock(path);
  const results = await mapLimit([...lock.images], jobs, (entry) => driftOf(entry, clientFor(entry.image)));
  const bad = results.filter((r) => r.status !== 'locked');
  let stderr = '';
  // The detail holds the registry's own words (an OpenSSL error ends in a line break): escaped, one line per image.
  for (const r of bad)
    stderr += `eck-airgap: ${escapeControl(r.image)}: ${r.status}: ${escapeControl(r.detail ?? '')}\n`;
  // What to do, once per cause, for the images not served (a drifted tag is no registry failure).
  stderr += causes(bad.filter((r) => r.status !== 'drifted'));
  if (bad.length > 0) {
    stderr += `eck-airgap: ${bad.length} of ${results.length} locked image${results.length === 1 ? '' : 's'} not as the lock ${path} says.\n`;
  } else if (!quiet) {
    stderr += `eck-airgap: all ${results.length} locked image${results.length === 1 ? '' : 's'} served at their locked digests (${path}).\n`;
  }
  const stdout = format === 'json' ? `${safeJson(results)}\n` : table(results);
  return { stderr, stdout, ok: bad.length === 0 };
}
