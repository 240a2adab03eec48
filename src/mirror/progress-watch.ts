/**
 * Where `mirror`'s progress figures (src/mirror/progress.ts) come from: the blobs an image has (its config and
 * layer descriptors, with their sizes, from the source's manifests: `skopeo inspect --raw` of the top manifest and
 * of each platform manifest of an index, or the carry's own blob files for --from-dir), and which of them the
 * destination holds now. Nothing is read until the copy has run for one interval, so a short copy costs nothing.
 */
import { join } from 'node:path';
import type { RegistryClient } from '../registry/client.js';
import { mapLimit } from '../registry/pool.js';
import { lstatOrUndefined, readRegular } from './carry-files.js';
import { MAX_CHILDREN } from './check-carry.js';
import { bytesBeingWritten, type Stage } from './layout-stage.js';
import { MANIFEST_CAP, readIndex, validDigest } from './layout.js';
import { parseObject } from './registry-holds.js';
import type { Figures, Watch } from './progress.js';
import { inspectDigest, type SkopeoOptions } from './skopeo.js';

interface Blob {
  readonly digest: string;
  readonly size: number;
}

type ReadManifest = (digest: string | undefined) => Promise<Buffer | undefined>;

/** The config and layer blobs under a top manifest (deduplicated), or undefined when a manifest cannot be read. */
async function blobsOf(read: ReadManifest): Promise<Blob[] | undefined> {
  const top = parseObject(await read(undefined));
  if (!top) return undefined;
  const manifests: Record<string, unknown>[] = [];
  if (Array.isArray(top.manifests)) {
    const children = (top.manifests as { digest?: unknown }[]).map((c) => c?.digest).filter(validDigest);
    if (children.length > MAX_CHILDREN) return undefined;
    for (const d of new Set(children)) {
      const child = parseObject(await read(d));
      if (!child) return undefined;
      manifests.push(child);
    }
  } else manifests.push(top);
  const blobs = new Map<string, number>();
  for (const m of manifests) {
    const descriptors = [m.config, ...(Array.isArray(m.layers) ? (m.layers as unknown[]) : [])] as {
      digest?: unknown;
      size?: unknown;
    }[];
    for (const d of descriptors)
      if (validDigest(d?.digest) && typeof d.size === 'number' && d.size >= 0) blobs.set(d.digest, d.size);
  }
  return [...blobs].map(([digest, size]) => ({ digest, size }));
}

/** `docker://host/repo` of a `docker://host/repo:tag` or `…@digest` reference. */
function repositoryOf(ref: string): string {
  const body = ref.slice('docker://'.length);
  const at = body.indexOf('@');
  const name = at >= 0 ? body.slice(0, at) : body;
  const colon = name.lastIndexOf(':');
  return `docker://${colon > name.lastIndexOf('/') ? name.slice(0, colon) : name}`;
}

/** The source's manifests: through skopeo for `docker://`, from the carry's files for `oci:DIR:ref`. */
function sourceReader(options: SkopeoOptions, from: string, signal: AbortSignal | undefined): ReadManifest {
  if (from.startsWith('oci:')) {
    const rest = from.slice('oci:'.length);
    const colon = rest.indexOf(':');
    const dir = rest.slice(0, colon);
    const ref = rest.slice(colon + 1);
    return (digest) => {
      try {
        const d = digest ?? readIndex(dir).get(ref)?.digest;
        if (!validDigest(d)) return Promise.resolve(undefined);
        return Promise.resolve(readRegular(join(dir, 'blobs', 'sha256', d.slice(7)), MANIFEST_CAP));
      } catch {
        return Promise.resolve(undefined);
      }
    };
  }
  return async (digest) => {
    const r = await inspectDigest(options, digest ? `${repositoryOf(from)}@${digest}` : from, 'source', {
      timeoutMs: 30_000,
      ...(signal ? { signal } : {}),
    });
    return 'raw' in r ? r.raw : undefined;
  };
}

/** Polls over the image's blobs once they are known; `held` says which the destination has. */
function watchWith(
  read: ReadManifest,
  held: (blobs: readonly Blob[]) => Promise<Set<string> | undefined>,
  writing: () => number | undefined,
): Watch {
  let blobs: Promise<Blob[] | undefined> | undefined;
  return async (): Promise<Figures | undefined> => {
    blobs ??= blobsOf(read).catch(() => undefined);
    const list = await blobs;
    const have = await held(list ?? []);
    if (!have) return undefined;
    const done = (list ?? []).filter((b) => have.has(b.digest));
    const w = writing();
    return {
      doneBlobs: list ? done.length : have.size,
      doneBytes: done.reduce((n, b) => n + b.size, 0),
      ...(list ? { totalBlobs: list.length, totalBytes: list.reduce((n, b) => n + b.size, 0) } : {}),
      ...(w ? { writingBytes: w } : {}),
    };
  };
}

/** --to-dir: a blob is done when its file in the carry's blobs/sha256 is a regular file of its size. */
export function layoutWatch(
  options: SkopeoOptions,
  from: string,
  carry: string,
  stage: () => Stage | undefined,
  signal?: AbortSignal,
): Watch {
  return watchWith(
    sourceReader(options, from, signal),
    (blobs) => {
      const have = new Set<string>();
      for (const b of blobs) {
        try {
          const s = lstatOrUndefined(join(carry, 'blobs', 'sha256', b.digest.slice(7)));
          if (s?.isFile() && s.size === b.size) have.add(b.digest);
        } catch {
          // not readable: not counted
        }
      }
      return Promise.resolve(have);
    },
    () => {
      const s = stage();
      return s ? bytesBeingWritten(s) : undefined;
    },
  );
}

/**
 * Into a registry: a blob is done when the mirror answers HEAD for it in the target repository (once there, it is
 * not asked again). When the mirror cannot be asked (TLS not verified, credentials refused) nothing is claimed.
 */
export function registryWatch(
  options: SkopeoOptions,
  from: string,
  client: RegistryClient,
  repository: string,
  signal?: AbortSignal,
): Watch {
  const seen = new Set<string>();
  return watchWith(
    sourceReader(options, from, signal),
    async (blobs) => {
      let unknown = false;
      await mapLimit(
        blobs.filter((b) => !seen.has(b.digest)),
        4,
        async (b) => {
          const answer = await client.hasBlob(repository, b.digest);
          if (answer.ok) seen.add(b.digest);
          else if (answer.status !== 'missing') unknown = true;
        },
      );
      return unknown || blobs.length === 0 ? undefined : seen;
    },
    () => undefined,
  );
}
