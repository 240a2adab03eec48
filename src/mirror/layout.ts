/**
 * The directory `mirror --to-dir` writes and `mirror --from-dir` reads: one OCI image layout (blobs shared by
 * every image) whose refs are the upstream names (`docker.elastic.co/kibana/kibana:8.16.1`; an image pinned by
 * digest as `…/heartbeat:sha256:…`, since a ref may not hold `@`), plus `eck-airgap-images.json`, a small
 * manifest of what it holds: each image's upstream name, ref in the layout and digest (and the upstream digest when
 * skopeo had to convert a Docker-format image to OCI, so that a rerun knows the image is already there).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';

export const MANIFEST_FILE = 'eck-airgap-images.json';

export interface LayoutEntry {
  /** The upstream name, as `images` lists it. */
  readonly source: string;
  /** Its ref in the OCI layout (`oci:DIR:ref`). */
  readonly ref: string;
  /** The digest of its top manifest in the layout. */
  readonly digest: string;
  /** The source's digest when it was copied, when it differs (skopeo converts Docker-format images to OCI). */
  readonly upstream?: string;
  /** The image's cosign signature manifests carried with it (src/signatures/carry.ts; absent in older records). */
  readonly signatures?: readonly { readonly signs: string; readonly tag: string; readonly digest: string; readonly ref?: string }[];
}

export interface LayoutManifest {
  readonly format: 'eck-airgap-images/v1';
  readonly images: LayoutEntry[];
}

/** The ref an upstream name gets in the layout: the name as skopeo copies it, `@` written `:`. */
export function layoutRef(skopeoSource: string): string {
  return skopeoSource.replace('@', ':');
}

/** The digest of each ref in the layout's index.json. */
export function layoutDigests(dir: string): Map<string, string> {
  const map = new Map<string, string>();
  const file = join(dir, 'index.json');
  if (!existsSync(file)) return map;
  const index = JSON.parse(readFileSync(file, 'utf8')) as { manifests?: { digest?: string; annotations?: Record<string, string> }[] };
  for (const m of index.manifests ?? []) {
    const ref = m.annotations?.['org.opencontainers.image.ref.name'];
    if (ref && m.digest) map.set(ref, m.digest);
  }
  return map;
}

export function readLayoutManifest(dir: string, required: boolean): LayoutManifest | undefined {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) {
    if (!required) return undefined;
    throw new InputError(`${file}: not found; --from-dir needs a directory written by eck-airgap mirror --to-dir.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message}).`);
  }
  const m = json as Partial<LayoutManifest> | null;
  const valid =
    m?.format === 'eck-airgap-images/v1' &&
    Array.isArray(m.images) &&
    m.images.every((e) => typeof e?.source === 'string' && typeof e.ref === 'string' && typeof e.digest === 'string' && (e.upstream === undefined || typeof e.upstream === 'string'));
  if (!valid) throw new InputError(`${file}: not an eck-airgap image manifest (format eck-airgap-images/v1 with images [{source, ref, digest}]).`);
  return m as LayoutManifest;
}

/** Writes the manifest (merged with what the directory already holds), atomically. */
export function writeLayoutManifest(dir: string, entries: readonly LayoutEntry[]): void {
  const bySource = new Map<string, LayoutEntry>();
  for (const e of readLayoutManifest(dir, false)?.images ?? []) bySource.set(e.source, e);
  for (const e of entries) bySource.set(e.source, e);
  const images = [...bySource.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  const manifest: LayoutManifest = { format: 'eck-airgap-images/v1', images };
  const file = join(dir, MANIFEST_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
