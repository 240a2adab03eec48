/**
 * How skopeo's `docker://` transport takes a reference: it refuses one with both a tag and a digest. A pinned
 * source is copied by its digest (the exact bytes); the copy is written under the tag when there is one (pods
 * pulling `target:tag@digest` find the digest in that repository), else under the digest.
 */
import { formatReference, parseReference } from '../image/reference.js';

export function skopeoSource(image: string): string {
  const ref = parseReference(image);
  if (!ref) return image;
  return ref.digest !== undefined
    ? formatReference({ domain: ref.domain, path: ref.path, digest: ref.digest })
    : formatReference(ref);
}

export function skopeoDestination(image: string): string {
  const ref = parseReference(image);
  if (!ref) return image;
  return ref.tag !== undefined
    ? formatReference({ domain: ref.domain, path: ref.path, tag: ref.tag })
    : formatReference(ref);
}
