/**
 * Parallel copies into one `--to-dir` layout. skopeo (containers/image 5.23, `oci:DIR:ref`) reads the layout's
 * index.json when a copy starts and writes it back, with its own ref added, when the copy ends: two copies into one
 * layout at a time would lose one of the refs. So each image is copied into a **stage** of its own, a private OCI
 * layout inside the carry (`DIR/.eck-airgap-stage-XXXXXX`, made with mkdtemp), with `--dest-shared-blob-dir
 * DIR/blobs`: its blobs (layers, configs, manifests) go straight into the carry's one `blobs/sha256` (skopeo writes
 * each to a temporary file in the stage and renames it into place once its digest is checked; a blob already there
 * is reused), only its index.json stays in the stage. Once the image is checked, its ref is merged into the
 * carry's index.json (atomically: src/io/write-atomic.ts) under `IndexLock`, the one lock every reader and writer
 * of the carry's index.json in this process holds (the signature copies write it directly, one at a time). The
 * carry's format does not change: one layout, one index.json, shared blobs.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CarryFileError, lstatOrUndefined, readRegular, writeAtomic } from './carry-files.js';
import { INDEX_CAP } from './layout.js';

export const STAGE_PREFIX = '.eck-airgap-stage-';
const REF = 'org.opencontainers.image.ref.name';

/** One lock for the carry's index.json: whatever reads or writes it runs inside `run`, one at a time. */
export class IndexLock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => T | Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export interface Stage {
  /** The stage's own layout directory. */
  readonly dir: string;
  /** skopeo's `--dest-shared-blob-dir`: the carry's blobs directory. */
  readonly sharedBlobDir: string;
  /** The skopeo destination for `ref`. */
  destination(ref: string): string;
  /** Removes the stage (its index.json and skopeo's temporary files); the blobs stay in the carry. */
  discard(): void;
}

export function openStage(carry: string): Stage {
  const dir = mkdtempSync(join(carry, STAGE_PREFIX));
  return {
    dir,
    sharedBlobDir: join(carry, 'blobs'),
    destination: (ref) => `oci:${dir}:${ref}`,
    discard: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Bytes skopeo is writing in the stage right now (its `oci-put-blob*` temporary files). */
export function bytesBeingWritten(stage: Stage): number {
  let names: string[];
  try {
    names = readdirSync(stage.dir);
  } catch {
    return 0;
  }
  let bytes = 0;
  for (const name of names) {
    if (!name.startsWith('oci-put-blob')) continue;
    const s = lstatOrUndefinedQuiet(join(stage.dir, name));
    if (s?.isFile()) bytes += s.size;
  }
  return bytes;
}

function lstatOrUndefinedQuiet(path: string): ReturnType<typeof lstatOrUndefined> {
  try {
    return lstatOrUndefined(path);
  } catch {
    return undefined;
  }
}

/** Stages a killed run left (directories only; a link of that name is removed, never followed). */
export function removeStages(carry: string): void {
  let names: string[];
  try {
    names = readdirSync(carry);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(STAGE_PREFIX)) continue;
    rmSync(join(carry, name), { recursive: true, force: true });
  }
}

type Descriptor = Record<string, unknown> & { annotations?: Record<string, unknown> };

function manifestsOf(file: string): Descriptor[] | undefined {
  if (!lstatOrUndefined(file)) return undefined;
  const json = JSON.parse(readRegular(file, INDEX_CAP).toString('utf8')) as { manifests?: unknown } | null;
  if (typeof json !== 'object' || json === null || !Array.isArray(json.manifests))
    throw new CarryFileError(`${file}: not an OCI image index (no manifests list).`);
  return json.manifests as Descriptor[];
}

/**
 * The stage's descriptor of `ref` into the carry's index.json (replacing an older one of that ref), written
 * atomically; the carry's `oci-layout` is written when it is not there. Call it inside the IndexLock.
 */
export function mergeStage(carry: string, stage: Stage, ref: string): void {
  const staged = (manifestsOf(join(stage.dir, 'index.json')) ?? []).find((d) => d.annotations?.[REF] === ref);
  if (!staged) throw new CarryFileError(`${stage.dir}/index.json: skopeo wrote no ref ${ref}.`);
  const kept = (manifestsOf(join(carry, 'index.json')) ?? []).filter((d) => d.annotations?.[REF] !== ref);
  writeAtomic(join(carry, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [...kept, staged] }));
  if (!lstatOrUndefined(join(carry, 'oci-layout')))
    writeAtomic(join(carry, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
}
