/**
 * The directory `mirror --to-dir` writes and `mirror --from-dir` / `verify --dir` read: one OCI image layout (blobs
 * shared by every image) whose refs are the upstream names (`docker.elastic.co/kibana/kibana:8.16.1`; an image pinned
 * by digest as `…/heartbeat:sha256:…`, since a ref may not hold `@`), plus its record `eck-airgap-images.json`:
 * each carried image's upstream name, ref and digest, whether the carry is complete, and what it lacks.
 *
 * The record is written atomically (src/mirror/carry-files.ts) at the start of a run (incomplete: everything
 * wanted is missing), after each image and at the end, so an interrupted run leaves a record that says what is
 * there and that the carry is not complete. Every file is read as a carried directory's author may have planted it:
 * regular files only, never through a link, size-capped.
 */
import { existsSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { CarryFileError, lstatOrUndefined, readRegular, writeAtomic } from './carry-files.js';

export const MANIFEST_FILE = 'eck-airgap-images.json';
export const FORMAT = 'eck-airgap-images/v1';
/** Caps on what is read from a carry. */
export const RECORD_CAP = 4 * 1024 * 1024;
export const INDEX_CAP = 16 * 1024 * 1024;
export const MANIFEST_CAP = 8 * 1024 * 1024;

export interface LayoutEntry {
  /** The upstream name, as `images` lists it. */
  readonly source: string;
  /** Its ref in the OCI layout (`oci:DIR:ref`). */
  readonly ref: string;
  /** The digest of its top manifest in the layout (with --preserve-digests: the upstream digest). */
  readonly digest: string;
  /**
   * The upstream digest when it differs: skopeo 1.9 cannot store a Docker manifest list unchanged in an OCI layout
   * and converts it to an OCI index (an unpinned image only), so a rerun knows it is already there.
   */
  readonly upstream?: string;
  /** The image's cosign signature manifests carried with it (src/signatures/carry.ts; absent in older records). */
  readonly signatures?: readonly {
    readonly signs: string;
    readonly tag: string;
    readonly digest: string;
    readonly ref?: string;
  }[];
}

export interface MissingEntry {
  readonly source: string;
  readonly ref: string;
  /** Why it is not in the carry. */
  readonly reason: string;
}

export interface LayoutManifest {
  readonly format: typeof FORMAT;
  /** True only when the run that wrote it carried every image it was asked for (and none is missing). */
  readonly complete?: boolean;
  readonly images: LayoutEntry[];
  readonly missing?: MissingEntry[];
}

/** The ref an upstream name gets in the layout: the name as skopeo copies it, `@` written `:`. */
export function layoutRef(skopeoSource: string): string {
  return skopeoSource.replace('@', ':');
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** A record's signature list: cosign's `sha256-<hex>.sig` tag of the manifest it signs, the signature manifest's digest, its ref in the layout. */
function validSignatures(list: unknown): boolean {
  if (list === undefined) return true;
  return (
    Array.isArray(list) &&
    list.length <= 1024 &&
    list.every(
      (s: { signs?: unknown; tag?: unknown; digest?: unknown; ref?: unknown } | null) =>
        typeof s === 'object' &&
        s !== null &&
        validDigest(s.signs) &&
        validDigest(s.digest) &&
        s.tag === `${String(s.signs).replace(':', '-')}.sig` &&
        (s.ref === undefined || typeof s.ref === 'string'),
    )
  );
}
export const validDigest = (d: unknown): d is string => typeof d === 'string' && DIGEST.test(d);

export interface IndexEntry {
  readonly digest: string;
  /** The ref is listed more than once (skopeo would pick one; which is not for the carry to decide). */
  readonly duplicate?: boolean;
  readonly mediaType?: string;
  readonly size?: number;
}

/** The layout's index.json: ref -> its descriptor. Throws CarryFileError when it is not an OCI index. */
export function readIndex(dir: string): Map<string, IndexEntry> {
  const file = join(dir, 'index.json');
  const map = new Map<string, IndexEntry>();
  if (!lstatOrUndefined(file)) return map;
  let json: unknown;
  try {
    json = JSON.parse(readRegular(file, INDEX_CAP).toString('utf8'));
  } catch (error) {
    if (error instanceof CarryFileError) throw error;
    throw new CarryFileError(`${file}: not valid JSON (truncated, or not written by skopeo).`);
  }
  const manifests = (json as { manifests?: unknown } | null)?.manifests;
  if (typeof json !== 'object' || json === null || !Array.isArray(manifests))
    throw new CarryFileError(`${file}: not an OCI image index (no manifests list).`);
  for (const m of manifests as unknown[]) {
    if (typeof m !== 'object' || m === null) continue;
    const d = m as { digest?: unknown; mediaType?: unknown; size?: unknown; annotations?: Record<string, unknown> };
    const ref = d.annotations?.['org.opencontainers.image.ref.name'];
    if (typeof ref !== 'string') continue;
    if (map.has(ref) || !validDigest(d.digest)) {
      map.set(ref, { digest: map.get(ref)?.digest ?? 'invalid', duplicate: true });
      continue;
    }
    map.set(ref, {
      digest: d.digest,
      ...(typeof d.mediaType === 'string' ? { mediaType: d.mediaType } : {}),
      ...(typeof d.size === 'number' ? { size: d.size } : {}),
    });
  }
  return map;
}

/** The digest of each ref in the layout's index.json (empty when there is none or it cannot be read). */
export function layoutDigests(dir: string): Map<string, string> {
  try {
    return new Map([...readIndex(dir)].map(([ref, e]) => [ref, e.digest]));
  } catch {
    return new Map();
  }
}

/** The record, or undefined when there is none (and it is not required). Throws InputError naming the file. */
export function readLayoutManifest(dir: string, required: boolean): LayoutManifest | undefined {
  const file = join(dir, MANIFEST_FILE);
  if (!lstatOrUndefined(file)) {
    if (!required) return undefined;
    throw new InputError(`${file}: not found; --from-dir needs a directory written by eck-airgap mirror --to-dir.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readRegular(file, RECORD_CAP).toString('utf8'));
  } catch (error) {
    if (error instanceof CarryFileError)
      throw new InputError(
        `${error.message} The carry's record must be a regular file written by eck-airgap mirror --to-dir.`,
      );
    throw new InputError(`${file}: not valid JSON (truncated, or not written by eck-airgap mirror --to-dir).`);
  }
  const m = json as Partial<LayoutManifest> | null;
  const valid =
    m?.format === FORMAT &&
    Array.isArray(m.images) &&
    m.images.every(
      (e) =>
        typeof e?.source === 'string' &&
        typeof e.ref === 'string' &&
        validDigest(e.digest) &&
        (e.upstream === undefined || validDigest(e.upstream)) &&
        validSignatures(e.signatures),
    ) &&
    (m.complete === undefined || typeof m.complete === 'boolean') &&
    (m.missing === undefined ||
      (Array.isArray(m.missing) &&
        m.missing.every(
          (e) => typeof e?.source === 'string' && typeof e.ref === 'string' && typeof e.reason === 'string',
        )));
  if (!valid)
    throw new InputError(
      `${file}: not an eck-airgap image manifest (format ${FORMAT} with images [{source, ref, digest}]).`,
    );
  return {
    format: FORMAT,
    ...(m.complete !== undefined ? { complete: m.complete } : {}),
    images: m.images!.map((e) => ({
      source: e.source,
      ref: e.ref,
      digest: e.digest,
      ...(e.upstream !== undefined ? { upstream: e.upstream } : {}),
      ...(e.signatures !== undefined ? { signatures: e.signatures } : {}),
    })),
    ...(m.missing !== undefined
      ? { missing: m.missing.map((e) => ({ source: e.source, ref: e.ref, reason: e.reason })) }
      : {}),
  };
}

const bySource = <T extends { source: string }>(a: T, b: T): number =>
  a.source < b.source ? -1 : a.source > b.source ? 1 : 0;

/** Writes the record atomically (never through a planted file or link); complete only when `final` and nothing is missing. */
export function writeLayoutManifest(
  dir: string,
  images: readonly LayoutEntry[],
  missing: readonly MissingEntry[],
  final: boolean,
): void {
  const manifest: LayoutManifest = {
    format: FORMAT,
    complete: final && missing.length === 0,
    images: [...images].sort(bySource),
    missing: [...missing].sort(bySource),
  };
  writeAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** skopeo's temporary blob files (`oci-put-blob*`) and our own temporary records, left behind by a run that was killed (regular files only; a link is never followed, nor removed). */
export function removeSkopeoLeftovers(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (
      !name.startsWith('oci-put-blob') &&
      !/^\.eck-airgap-images\.json\.\d+\.[0-9a-f]+\.tmp$/.test(name) &&
      !/^\.index\.json\.\d+\.[0-9a-f]+\.tmp$/.test(name)
    )
      continue;
    const path = join(dir, name);
    if (lstatOrUndefined(path)?.isFile()) unlinkSync(path);
  }
}

const LAYOUT_FILES = new Set(['oci-layout', 'index.json', 'blobs', MANIFEST_FILE]);

/**
 * Checks a --to-dir directory before anything is written into it: new or empty, or a carry eck-airgap wrote (its
 * record readable). Anything else (a file, a dangling link, an OCI layout of someone else, a truncated index.json
 * without a record) is an InputError naming it. Returns the record when there is one.
 */
export function prepareCarry(dir: string, given: string): LayoutManifest | undefined {
  const stats = lstatOrUndefined(dir);
  if (stats?.isSymbolicLink()) {
    if (!existsSync(dir))
      throw new InputError(`--to-dir ${given}: a symbolic link to nothing (dangling); give a new or empty directory.`);
    if (!statSync(dir).isDirectory())
      throw new InputError(
        `--to-dir ${given}: a symbolic link to something that is not a directory; give a new or empty directory.`,
      );
  } else if (stats && !stats.isDirectory()) {
    throw new InputError(`--to-dir ${given}: exists and is not a directory; give a new or empty directory.`);
  }
  if (!stats) return undefined;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new InputError(
      `--to-dir ${given}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a new or empty directory.`,
    );
  }
  // leftovers of killed runs (skopeo's, ours, and the fixed-name temporary record of earlier eck-airgap
  // versions): not content; never read, written or followed
  names = names.filter(
    (n) =>
      !n.startsWith('oci-put-blob') &&
      n !== `${MANIFEST_FILE}.tmp` &&
      !n.startsWith('.eck-airgap-stage-') &&
      !/^\.(eck-airgap-images|index)\.json\.\d+\.[0-9a-f]+\.tmp$/.test(n),
  );
  if (names.length === 0) return undefined;
  const record = names.includes(MANIFEST_FILE) ? readLayoutManifest(dir, true) : undefined;
  if (!record) {
    const foreign = names.filter((n) => LAYOUT_FILES.has(n)).length > 0 ? 'holds an OCI layout' : 'is not empty';
    throw new InputError(
      `--to-dir ${given}: ${foreign} but has no ${MANIFEST_FILE}, so eck-airgap did not write it (it would mix its images with content it cannot vouch for); give a new or empty directory.`,
    );
  }
  for (const name of ['oci-layout', 'index.json', 'blobs']) {
    const s = lstatOrUndefined(join(dir, name));
    if (s && (name === 'blobs' ? !s.isDirectory() : !s.isFile()))
      throw new InputError(
        `--to-dir ${given}: ${name} is not a regular ${name === 'blobs' ? 'directory' : 'file'} (a link?); give a new or empty directory.`,
      );
  }
  const blobs = join(dir, 'blobs', 'sha256');
  const b = lstatOrUndefined(blobs);
  if (b && !b.isDirectory())
    throw new InputError(
      `--to-dir ${given}: blobs/sha256 is not a regular directory (a link?); give a new or empty directory.`,
    );
  return record;
}

/**
 * A carry of ours whose index.json was cut short (skopeo killed while writing it): rebuilt from the record's
 * images whose manifest blob is there, so that a rerun resumes. Returns true when it was rebuilt.
 */
export function repairIndex(dir: string, record: LayoutManifest): boolean {
  try {
    readIndex(dir);
    return false;
  } catch {
    // rebuilt below
  }
  const manifests = [];
  for (const e of record.images) {
    try {
      const body = readRegular(join(dir, 'blobs', 'sha256', e.digest.slice(7)), MANIFEST_CAP);
      const mediaType = (JSON.parse(body.toString('utf8')) as { mediaType?: unknown }).mediaType;
      manifests.push({
        mediaType: typeof mediaType === 'string' ? mediaType : 'application/vnd.oci.image.manifest.v1+json',
        digest: e.digest,
        size: body.length,
        annotations: { 'org.opencontainers.image.ref.name': e.ref },
      });
    } catch {
      // not there: copied again
    }
  }
  writeAtomic(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
  return true;
}
