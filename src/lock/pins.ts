/**
 * The lock as render and check use it: the digest each mirror image is pinned to, and whether a reference is
 * pinned to a digest the lock holds.
 */
import { formatReference, parseReference, registryKey } from '../image/reference.js';
import { lockKey, readLock, type ImagesLock, type LockedImage } from './lock-file.js';

export interface MissingPin {
  readonly image: string;
  readonly where: string;
  readonly field: string;
  readonly why: string;
}

/** Name without tag or digest, registry in its comparable form: how check matches a repository. */
function repositoryKey(image: string): string | undefined {
  const ref = parseReference(image);
  return ref ? `${registryKey(ref.domain)}/${ref.path}` : undefined;
}

export class LockPins {
  private readonly byKey = new Map<string, LockedImage>();
  /** Every digest the lock holds for a repository (index and platform manifests). */
  private readonly digests = new Map<string, Set<string>>();
  /** Images render needed and the lock does not hold: render fails naming all of them. */
  readonly missing: MissingPin[] = [];

  constructor(
    readonly lock: ImagesLock,
    readonly path: string,
  ) {
    for (const image of lock.images) {
      this.byKey.set(lockKey(image.image)!, image);
      const repo = repositoryKey(image.image)!;
      const set = this.digests.get(repo) ?? new Set<string>();
      set.add(image.digest);
      for (const p of image.platforms) set.add(p.digest);
      this.digests.set(repo, set);
    }
  }

  static read(path: string): LockPins {
    return new LockPins(readLock(path), path);
  }

  entry(image: string): LockedImage | undefined {
    const key = lockKey(image);
    return key === undefined ? undefined : this.byKey.get(key);
  }

  /**
   * The image as render writes it with the lock: `name:tag@sha256:…` with the digest the lock holds for name:tag.
   * An image already pinned keeps its digest when the lock holds it. Anything else is recorded in `missing` (render
   * fails naming them all) and the image is returned as it was.
   */
  pin(image: string, where: string, field: string): string {
    const ref = parseReference(image);
    // Already pinned: kept when the lock holds that digest for its repository.
    if (ref?.digest !== undefined && this.holds(image)) return image;
    const entry = this.entry(image);
    if (!ref || !entry) {
      this.missing.push({
        image,
        where,
        field,
        why:
          ref?.digest !== undefined
            ? `pinned to ${ref.digest}, a digest the lock does not hold for it`
            : 'not in the lock',
      });
      return image;
    }
    if (ref.digest !== undefined) {
      this.missing.push({
        image,
        where,
        field,
        why: `pinned to ${ref.digest}, a digest the lock does not hold for it (the lock has ${entry.digest})`,
      });
      return image;
    }
    return `${image}@${entry.digest}`;
  }

  /** Whether a reference is pinned by digest to a digest the lock holds for its repository. */
  holds(image: string): boolean {
    const ref = parseReference(image);
    if (!ref?.digest) return false;
    return (
      this.digests.get(repositoryKey(formatReference({ domain: ref.domain, path: ref.path }))!)?.has(ref.digest) ??
      false
    );
  }

  /** The one paragraph render prints when images are missing from the lock. */
  missingMessage(): string {
    const lines = this.missing.map((m) => `  ${m.image} (${m.where}, ${m.field}): ${m.why}`);
    return (
      `render --lock ${this.path}: ${this.missing.length} image${this.missing.length === 1 ? '' : 's'} the release pulls from the mirror ` +
      `cannot be pinned:\n${lines.join('\n')}\nCopy them to the mirror (eck-airgap mirror) and write the lock again with ` +
      `eck-airgap verify --lock-output ${this.path}; nothing was written.`
    );
  }
}
