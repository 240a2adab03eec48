/**
 * The images lock (`apiVersion: eck-airgap/v1`, `kind: ImagesLock`): for each image the release pulls from the
 * mirror, the name render writes, the upstream name it was copied from, the digest the mirror serves for it (an
 * index's digest for a multi-arch image) and each platform's manifest digest. Written by `verify --lock-output`,
 * read by `render --lock`, `check --lock` and `verify --lock`. The format is documented in
 * docs/mirror-and-verify.md ("The images lock"); this module is its one reader and writer.
 *
 * Reading is bounded (a regular file, at most LOCK_MAX_BYTES, opened without following a link at its last
 * component) and checked with zod; every problem names the file and the line. Writing is atomic: a temporary file
 * next to the target, created exclusively (O_EXCL, never through an existing link), written, synced, renamed.
 */
import { writeAtomic } from '../io/write-atomic.js';
import { BoundedReadError, readBounded } from '../io/read-bounded.js';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { InputError, UsageError } from '../errors.js';
import { formatReference, parseReference } from '../image/reference.js';

export const LOCK_API_VERSION = 'eck-airgap/v1';
export const LOCK_KIND = 'ImagesLock';
/** A lock of a few hundred images is tens of kilobytes; 4 MiB is far beyond any release. */
export const LOCK_MAX_BYTES = 4 * 1024 * 1024;

export interface LockedPlatform {
  /** os/architecture[/variant], as the index lists it. */
  readonly platform: string;
  readonly digest: string;
}

export interface LockedImage {
  /** The name render writes (on the mirror), with its tag, without a digest (name@digest when it has no tag). */
  readonly image: string;
  /** The upstream name it was copied from (e.g. docker.elastic.co/…), or null when it cannot be told. */
  readonly source: string | null;
  /** The digest the mirror serves for `image` (an index's digest for a multi-arch image). */
  readonly digest: string;
  /** Each platform's manifest digest (empty for a single-platform image whose platform is not recorded). */
  readonly platforms: readonly LockedPlatform[];
}

export interface ImagesLock {
  readonly apiVersion: typeof LOCK_API_VERSION;
  readonly kind: typeof LOCK_KIND;
  /** Sorted by image; each image once. */
  readonly images: readonly LockedImage[];
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

const digest = z.string().regex(DIGEST, { message: 'not a sha256 digest (sha256: and 64 lowercase hex digits)' });
// name[:tag]; or name@digest for an image the release names by digest alone (no tag to lock).
const imageName = z.string().refine(
  (s) => {
    const ref = parseReference(s);
    return ref !== undefined && (ref.digest === undefined || ref.tag === undefined);
  },
  { message: 'not an image reference name[:tag] (or name@digest, without a tag)' },
);
const sourceName = z.string().refine((s) => parseReference(s) !== undefined, { message: 'not an image reference' });

const lockSchema = z.strictObject({
  apiVersion: z.literal(LOCK_API_VERSION, {
    message: `expected ${LOCK_API_VERSION} (the only lock format this eck-airgap reads)`,
  }),
  kind: z.literal(LOCK_KIND, { message: `expected ${LOCK_KIND}` }),
  images: z
    .array(
      z.strictObject({
        image: imageName,
        source: z.nullable(sourceName),
        digest,
        platforms: z.array(
          z.strictObject({
            platform: z.string().regex(PLATFORM, { message: 'not a platform (os/arch[/variant])' }),
            digest,
          }),
        ),
      }),
    )
    .max(100_000),
});

/** The key an image is looked up by: its normalized name and tag (`latest` when none), no digest. */
export function lockKey(image: string): string | undefined {
  const ref = parseReference(image);
  if (!ref) return undefined;
  // Named by digest alone: the digest is the key (there is no tag).
  if (ref.tag === undefined && ref.digest !== undefined)
    return formatReference({ domain: ref.domain, path: ref.path, digest: ref.digest });
  return formatReference({ domain: ref.domain, path: ref.path, tag: ref.tag ?? 'latest' });
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Builds a lock: images sorted by name, platforms by platform, each image once (the last entry of a name wins). */
export function makeLock(images: readonly LockedImage[]): ImagesLock {
  const byImage = new Map<string, LockedImage>();
  for (const i of images)
    byImage.set(i.image, { ...i, platforms: [...i.platforms].sort((a, b) => compare(a.platform, b.platform)) });
  return {
    apiVersion: LOCK_API_VERSION,
    kind: LOCK_KIND,
    images: [...byImage.values()].sort((a, b) => compare(a.image, b.image)),
  };
}

/** Every value here is an image reference, a digest or a platform: JSON strings are valid YAML and never ambiguous. */
const q = (s: string): string => JSON.stringify(s);

export function formatLock(lock: ImagesLock): string {
  const lines = [
    '# eck-airgap images lock: what the mirror served when `eck-airgap verify --lock-output` wrote it.',
    '# Format: docs/mirror-and-verify.md#the-images-lock. Use: render --lock, check --lock, verify --lock.',
    `apiVersion: ${lock.apiVersion}`,
    `kind: ${lock.kind}`,
  ];
  if (lock.images.length === 0) lines.push('images: []');
  else lines.push('images:');
  for (const i of lock.images) {
    lines.push(
      `  - image: ${q(i.image)}`,
      `    source: ${i.source === null ? 'null' : q(i.source)}`,
      `    digest: ${q(i.digest)}`,
    );
    if (i.platforms.length === 0) lines.push('    platforms: []');
    else {
      lines.push('    platforms:');
      for (const p of i.platforms) lines.push(`      - platform: ${q(p.platform)}`, `        digest: ${q(p.digest)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The lock's text: read bounded (io/read-bounded.ts), a regular file, never through a link at its last component. */
function readLockText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readBounded(path, { what: 'lock file', maxBytes: LOCK_MAX_BYTES, allowFifo: false, noFollow: true });
  } catch (error) {
    if (!(error instanceof BoundedReadError)) throw error;
    const hint =
      error.code === 'ENOENT' || error.code === 'ELOOP' ? '' : '; give the lock file verify --lock-output wrote';
    throw new InputError(`Cannot read ${error.message}${hint}.`);
  }
  const text = bytes.toString('utf8');
  if (Buffer.byteLength(text) !== bytes.length || text.includes('\uFFFD'))
    throw new InputError(`Cannot read lock file ${path}: not UTF-8 text.`);
  return text;
}

/** Parses and checks the text of a lock; `path` names it in messages (with the line of each problem). */
export function parseLock(text: string, path: string): ImagesLock {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    throw new InputError(
      `Lock file ${path}${at ? `, line ${at.line}` : ''}: not valid YAML (${error.message.split('\n')[0]}). Write it again with eck-airgap verify --lock-output.`,
    );
  }
  let values: unknown;
  try {
    values = doc.toJS({ maxAliasCount: 0 });
  } catch {
    throw new InputError(
      `Lock file ${path}: uses YAML aliases, which a lock never has. Write it again with eck-airgap verify --lock-output.`,
    );
  }
  const result = lockSchema.safeParse(values);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((issue) => {
      const line =
        lineOf(doc.getIn(issue.path as (string | number)[], true) as YamlNode | undefined, lineCounter) ??
        lineOfParent(doc, issue.path as (string | number)[], lineCounter);
      const key =
        issue.path.length > 0
          ? issue.path
              .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
              .join('')
              .replace(/^\./, '')
          : '';
      return `${line !== undefined ? `line ${line}: ` : ''}${key ? `${key}: ` : ''}${issue.message}`;
    });
    const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
    throw new InputError(
      `Lock file ${path} is not a valid ${LOCK_KIND}: ${problems.join('; ')}${more}. Write it again with eck-airgap verify --lock-output.`,
    );
  }
  const lock = result.data as ImagesLock;
  const seen = new Map<string, number>();
  for (const [index, image] of lock.images.entries()) {
    const key = lockKey(image.image)!;
    if (seen.has(key)) {
      const node = doc.getIn(['images', index], true) as YamlNode | undefined;
      const line = lineOf(node, lineCounter);
      throw new InputError(
        `Lock file ${path}${line !== undefined ? `, line ${line}` : ''}: ${image.image} is locked twice (images[${seen.get(key)}] and images[${index}]); a lock holds each image once.`,
      );
    }
    seen.set(key, index);
    const ref = parseReference(image.image)!;
    if (ref.digest !== undefined && ref.digest !== image.digest) {
      const line = lineOf(doc.getIn(['images', index, 'digest'], true) as YamlNode | undefined, lineCounter);
      throw new InputError(
        `Lock file ${path}${line !== undefined ? `, line ${line}` : ''}: images[${index}]: ${image.image} is named by its digest, but the lock says ${image.digest}.`,
      );
    }
  }
  return lock;
}

function lineOf(node: YamlNode | undefined, lines: LineCounter): number | undefined {
  const range = node && typeof node === 'object' && 'range' in node ? node.range : undefined;
  return range ? lines.linePos(range[0]).line : undefined;
}

/** For a missing key: the line of the nearest mapping or list above it. */
function lineOfParent(
  doc: ReturnType<typeof parseDocument>,
  path: (string | number)[],
  lines: LineCounter,
): number | undefined {
  for (let n = path.length - 1; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as YamlNode | undefined;
    if (node && (isMap(node) || isSeq(node))) return lineOf(node, lines);
  }
  return undefined;
}

/** Reads and checks a lock file (bounded, a regular file). */
export function readLock(path: string): ImagesLock {
  return parseLock(readLockText(path), path);
}

/**
 * Writes a lock atomically: a temporary file in the same directory, created exclusively (O_EXCL|O_NOFOLLOW), written
 * and synced, then renamed over `path`. A reader sees the old lock or the new one, never half of one.
 */
export function writeLock(path: string, lock: ImagesLock): void {
  try {
    writeAtomic(path, formatLock(lock));
  } catch (error) {
    throw new UsageError(
      `--lock-output ${path}: cannot write it (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
    );
  }
}
