/**
 * Checks a carry (a `mirror --to-dir` directory) on its own, no registry contacted: its record
 * `eck-airgap-images.json` says the carry is complete, and every image it names is whole and intact in the OCI
 * layout — the ref is in index.json with the record's digest, the manifest (or index, and every child manifest
 * of it) is there and hashes to its digest, and every blob it references (config, layers) is a regular file of the
 * size the manifest gives that hashes to its digest. Used by `verify --dir`, by `mirror --from-dir` before it pushes
 * anything, and by `mirror --to-dir` to know an image is already there (or needs repair).
 *
 * Nothing of the carry is trusted: digests are checked for shape before they become paths, files are read only as
 * regular files (never through a link), manifests are size-capped, blobs are read no further than their size, and
 * an index's fan-out is capped.
 */
import { carryDirError } from './carry-dir-error.js';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeStderr, writeStdout } from '../io/write-output.js';
import { InputError, UsageError } from '../errors.js';
import { escapeControls } from './text.js';
import { CarryFileError, isRealDirectory, lstatOrUndefined, openRegular, readRegular } from './carry-files.js';
import {
  MANIFEST_CAP,
  MANIFEST_FILE,
  readIndex,
  readLayoutManifest,
  validDigest,
  type IndexEntry,
  type LayoutManifest,
} from './layout.js';

/** At most this many children in one index (Elastic's images have two platforms; a hostile index may have 100,000). */
export const MAX_CHILDREN = 256;

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
const MANIFEST_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
]);

interface Descriptor {
  digest?: unknown;
  size?: unknown;
  mediaType?: unknown;
  urls?: unknown;
}

/** One blob store: each blob checked once (shared by images), its problem or undefined. */
export class CarryBlobs {
  private readonly checked = new Map<string, Promise<string | undefined>>();
  /** Blobs found there but wrong (other bytes, other size, not a regular file): removed before a repair. */
  readonly damaged = new Set<string>();
  readonly blobDir: string;

  constructor(readonly dir: string) {
    this.blobDir = join(dir, 'blobs', 'sha256');
  }

  path(digest: string): string {
    return join(this.blobDir, digest.slice('sha256:'.length));
  }

  /** Is the blob there, a regular file of `size` bytes, hashing to `digest`? */
  blob(digest: string, size: number | undefined): Promise<string | undefined> {
    const key = `${digest} ${size ?? ''}`;
    let pending = this.checked.get(key);
    if (!pending) {
      pending = this.hash(digest, size).then((problem) => {
        // only inside real directories of the carry: a repair never removes anything through a link
        if (
          problem &&
          isRealDirectory(join(this.dir, 'blobs')) &&
          isRealDirectory(this.blobDir) &&
          lstatOrUndefined(this.path(digest))
        )
          this.damaged.add(digest);
        return problem;
      });
      this.checked.set(key, pending);
    }
    return pending;
  }

  private async hash(digest: string, size: number | undefined): Promise<string | undefined> {
    if (!isRealDirectory(join(this.dir, 'blobs')) || !isRealDirectory(this.blobDir))
      return `blobs/sha256 is not a directory of the carry (missing, or a link)`;
    let opened: { fd: number; size: number };
    try {
      opened = openRegular(this.path(digest));
    } catch (error) {
      if (error instanceof CarryFileError)
        return lstatOrUndefined(this.path(digest))
          ? `blob ${digest}: ${error.message.slice(this.path(digest).length + 2).replace(/\.$/, '')}`
          : `blob ${digest} is not in the carry`;
      throw error;
    }
    if (size !== undefined && opened.size !== size) {
      closeSync(opened.fd);
      return `blob ${digest} is ${opened.size} bytes, not the ${size} its manifest gives (truncated or replaced)`;
    }
    const hash = createHash('sha256');
    await new Promise<void>((done, fail) => {
      const stream = createReadStream('', {
        fd: opened.fd,
        start: 0,
        end: Math.max(0, opened.size - 1),
        autoClose: true,
      });
      if (opened.size === 0) {
        stream.destroy();
        done();
        return;
      }
      stream.on('data', (chunk) => hash.update(chunk));
      stream.on('end', () => done());
      stream.on('error', fail);
    });
    const got = `sha256:${hash.digest('hex')}`;
    return got === digest ? undefined : `blob ${digest} holds other bytes (they hash to ${got})`;
  }

  /** A manifest or index blob: checked like any blob, then parsed. */
  async manifest(
    digest: string,
    size: number | undefined,
  ): Promise<{ json: Record<string, unknown> } | { problem: string }> {
    const problem = await this.blob(digest, size);
    if (problem) return { problem };
    let body: Buffer;
    try {
      body = readRegular(this.path(digest), MANIFEST_CAP);
    } catch (error) {
      if (error instanceof CarryFileError) return { problem: `manifest ${digest}: ${error.message}` };
      throw error;
    }
    // read again: it must still be the bytes just hashed
    if (`sha256:${createHash('sha256').update(body).digest('hex')}` !== digest)
      return { problem: `manifest ${digest} changed while it was read` };
    try {
      const json = JSON.parse(body.toString('utf8')) as unknown;
      if (typeof json !== 'object' || json === null || Array.isArray(json))
        return { problem: `manifest ${digest} is not a JSON object` };
      return { json: json as Record<string, unknown> };
    } catch {
      return { problem: `manifest ${digest} is not JSON` };
    }
  }
}

const sizeOf = (d: Descriptor): number | undefined =>
  typeof d.size === 'number' && Number.isSafeInteger(d.size) && d.size >= 0 ? d.size : undefined;

/** Every problem of one image (manifest or index with its children) in the layout; empty when whole and intact. */
export async function checkImageTree(
  blobs: CarryBlobs,
  digest: string,
  size: number | undefined,
  depth = 0,
): Promise<string[]> {
  const read = await blobs.manifest(digest, size);
  if ('problem' in read) return [read.problem];
  const json = read.json;
  const mediaType = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  if (Array.isArray(json.manifests) || (mediaType && INDEX_TYPES.has(mediaType))) {
    if (!Array.isArray(json.manifests)) return [`index ${digest} has no manifests list`];
    if (depth > 0) return [`index ${digest} is nested in another index`];
    const children = json.manifests as unknown[];
    if (children.length === 0) return [`index ${digest} lists no manifest`];
    if (children.length > MAX_CHILDREN)
      return [`index ${digest} lists ${children.length} manifests, more than the ${MAX_CHILDREN} eck-airgap reads`];
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const c of children) {
      const d = (typeof c === 'object' && c !== null ? c : {}) as Descriptor;
      if (!validDigest(d.digest)) {
        problems.push(`index ${digest} lists an entry without a sha256 digest`);
        continue;
      }
      if (seen.has(d.digest)) continue;
      seen.add(d.digest);
      problems.push(...(await checkImageTree(blobs, d.digest, sizeOf(d), depth + 1)));
    }
    return problems;
  }
  if (mediaType !== undefined && !MANIFEST_TYPES.has(mediaType))
    return [
      `manifest ${digest} has media type ${JSON.stringify(mediaType).slice(0, 120)}, not an OCI or Docker image manifest`,
    ];
  const config = json.config as Descriptor | undefined;
  const layers = json.layers;
  if (typeof config !== 'object' || config === null || !validDigest(config.digest) || !Array.isArray(layers))
    return [`manifest ${digest} is not an image manifest (config and layers)`];
  const problems: string[] = [];
  for (const d of [config, ...(layers as unknown[])] as Descriptor[]) {
    if (typeof d !== 'object' || d === null || !validDigest(d.digest)) {
      problems.push(`manifest ${digest} lists a layer without a sha256 digest`);
      continue;
    }
    if (d.urls !== undefined) {
      // skopeo fetches such a layer from its URLs first: a carry must hold every blob itself
      problems.push(
        `manifest ${digest} gives layer ${d.digest} external URLs (skopeo would fetch it from a host the carry names); refused`,
      );
      continue;
    }
    const problem = await blobs.blob(d.digest, sizeOf(d));
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Every problem of one image of the record: its ref in index.json with the record's digest, then its tree. */
export async function checkCarriedImage(
  blobs: CarryBlobs,
  index: ReadonlyMap<string, IndexEntry>,
  ref: string,
  digest: string,
): Promise<string[]> {
  const entry = index.get(ref);
  if (!entry) return [`ref ${ref} is not in the layout's index.json`];
  if (entry.duplicate)
    return [
      `index.json lists ref ${ref} more than once, or without a sha256 digest (which one skopeo would push is not for the carry to decide)`,
    ];
  if (entry.digest !== digest) return [`index.json gives ref ${ref} the digest ${entry.digest}, the record ${digest}`];
  if (
    entry.mediaType !== undefined &&
    entry.mediaType !== 'application/vnd.oci.image.manifest.v1+json' &&
    entry.mediaType !== 'application/vnd.oci.image.index.v1+json'
  ) {
    return [
      `index.json gives ref ${ref} the media type ${JSON.stringify(entry.mediaType).slice(0, 120)}; skopeo copies only OCI manifests and indexes out of a layout`,
    ];
  }
  return checkImageTree(blobs, digest, entry.size);
}

export interface CarryImage {
  readonly source: string;
  readonly ref: string;
  readonly digest: string | null;
  readonly status: 'present' | 'missing' | 'damaged';
  readonly problems: string[];
}

export interface CarryReport {
  readonly dir: string;
  readonly record: LayoutManifest;
  readonly images: CarryImage[];
  /** Problems of the carry as a whole (the record says it is incomplete, or does not say). */
  readonly general: string[];
}

/** Checks the whole carry. Throws InputError when it has no readable record or layout. */
export async function checkCarry(dir: string): Promise<CarryReport> {
  if (!isRealDirectory(dir) && !lstatOrUndefined(dir)) throw new InputError(`${dir}: no such directory.`);
  const record = readLayoutManifest(dir, true)!;
  let index: Map<string, IndexEntry>;
  try {
    // skopeo reads oci-layout too: a FIFO or a link there would hang or mislead it
    let layout: unknown;
    try {
      layout = JSON.parse(readRegular(join(dir, 'oci-layout'), 64 * 1024).toString('utf8'));
    } catch (error) {
      if (error instanceof CarryFileError) throw error;
    }
    if (typeof (layout as { imageLayoutVersion?: unknown } | undefined)?.imageLayoutVersion !== 'string')
      throw new CarryFileError(`${join(dir, 'oci-layout')}: not an OCI layout marker ({"imageLayoutVersion": …}).`);
    index = readIndex(dir);
  } catch (error) {
    if (error instanceof CarryFileError)
      throw new InputError(
        `${error.message} The carry's OCI layout cannot be read; write it again with mirror --to-dir.`,
      );
    throw error;
  }
  const blobs = new CarryBlobs(dir);
  const images: CarryImage[] = [];
  const count = new Map<string, number>();
  for (const e of record.images) count.set(e.source, (count.get(e.source) ?? 0) + 1);
  for (const e of record.images) {
    const problems =
      count.get(e.source)! > 1
        ? [`the record lists ${e.source} more than once (which one is meant is not for the carry to decide)`]
        : await checkCarriedImage(blobs, index, e.ref, e.digest);
    // the image's cosign signature manifests (mirror carries them): each under its ref, whole and hashed
    for (const sig of count.get(e.source)! > 1 ? [] : (e.signatures ?? [])) {
      if (sig.ref === undefined) problems.push(`its signature ${sig.tag} has no ref in the carry`);
      else
        for (const p of await checkCarriedImage(blobs, index, sig.ref, sig.digest))
          problems.push(`its signature ${sig.ref}: ${p}`);
    }
    images.push({
      source: e.source,
      ref: e.ref,
      digest: e.digest,
      status: problems.length === 0 ? 'present' : 'damaged',
      problems,
    });
  }
  const carried = new Set(record.images.map((e) => e.source));
  for (const m of record.missing ?? []) {
    if (!carried.has(m.source))
      images.push({
        source: m.source,
        ref: m.ref,
        digest: null,
        status: 'missing',
        problems: [`not in the carry: ${m.reason}`],
      });
  }
  const general: string[] = [];
  if (record.complete === undefined)
    general.push(
      `${join(dir, MANIFEST_FILE)} does not say the carry is complete (written by an older eck-airgap); write it again with mirror --to-dir`,
    );
  else if (!record.complete && (record.missing ?? []).length === 0)
    general.push(
      `${join(dir, MANIFEST_FILE)} says the carry is not complete (an interrupted mirror --to-dir?); run it again, it resumes`,
    );
  if (record.images.length === 0 && (record.missing ?? []).length === 0)
    general.push(`${join(dir, MANIFEST_FILE)} lists no image`);
  return {
    dir,
    record,
    images: images.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)),
    general,
  };
}

export const carryProblems = (report: CarryReport): number =>
  report.general.length + report.images.filter((i) => i.status !== 'present').length;

/** `verify --dir DIR`: exit 0 when the carry is complete and intact, 1 naming each problem. */
export async function verifyCarryCommand(
  given: string,
  flags: { output?: string; quiet?: boolean },
  files: readonly string[],
): Promise<number> {
  const format = flags.output ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`--output ${format}: unknown format; use text or json.`);
  if (files.length > 0)
    throw new UsageError(
      `verify --dir reads no manifests (the carry's record says what it holds); remove ${files.join(' ')}.`,
    );
  const dir = resolve(given);
  const missing = carryDirError('--dir', given);
  if (missing) throw missing;
  const report = await checkCarry(dir);
  let err = '';
  for (const g of report.general) err += `eck-airgap: ${escapeControls(g)}.\n`;
  for (const i of report.images)
    if (i.status !== 'present')
      err += `eck-airgap: ${escapeControls(i.source)}: ${i.status}: ${escapeControls(i.problems.join('; '))}.\n`;
  const bad = carryProblems(report);
  const n = report.images.length;
  if (bad > 0)
    err += `eck-airgap: carry ${given}: not ready to cross: ${report.images.filter((i) => i.status !== 'present').length} of ${n} image${n === 1 ? '' : 's'} missing or damaged${report.general.length > 0 ? ', the record incomplete' : ''}.\n`;
  else if (!flags.quiet)
    err += `eck-airgap: carry ${given}: complete and intact, ${n} image${n === 1 ? '' : 's'} (every manifest and blob hashed).\n`;
  writeStderr(err);
  if (format === 'json') {
    await writeStdout(
      `${JSON.stringify({ complete: bad === 0, problems: report.general, images: report.images }, null, 2)}\n`,
    );
  } else {
    const rows = [
      ['IMAGE', 'STATUS', 'DIGEST'],
      ...report.images.map((i) => [escapeControls(i.source), i.status, i.digest ?? '-']),
    ];
    const widths = [0, 1].map((c) => Math.max(...rows.map((row) => row[c]!.length)));
    await writeStdout(
      rows.map((row) => `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`).join('\n') + '\n',
    );
  }
  return bad > 0 ? 1 : 0;
}
