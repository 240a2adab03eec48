/**
 * `--output skopeo`: a source file for `skopeo sync --src yaml --dest docker FILE DEST` (skopeo-sync(1)), grouped
 * by source registry: `<registry>: { images: { <path>: [<tag or digest>, …] } }`. Only `images` with exact
 * references is used, never `images-by-tag-regex` or `images-by-semver` (they list a repository's tags and may
 * copy more than the release pulls); an empty list would copy every tag, so an image with neither tag nor digest
 * is listed as `latest`, the tag it is pulled by. A pinned image is listed by its digest only (skopeo takes a
 * tag or a digest, and the digest is what the mirror must hold). Every string is double-quoted, so tags like
 * `8.10` stay strings.
 *
 * skopeo sync writes each image to `DEST/<last path element>`; the header says which DEST gives the targets, and
 * when the targets lie in several directories of the mirror (no `repository` set), that one sync cannot place
 * them and `--output script` should be used instead.
 */
import type { MirrorPair } from '../analysis/mirror-pairs.js';
import { lastPathElement, parseReference } from '../image/reference.js';

const q = (text: string): string => JSON.stringify(text);

/** The reference skopeo sync copies for a source: its digest, else its tag, else `latest`. */
function syncReference(digest: string | undefined, tag: string | undefined): string {
  return digest ?? tag ?? 'latest';
}

/** The directories of the mirror the targets are in (what skopeo sync's DEST must be), or undefined when a target's name differs from its source's. */
export function syncDestinations(pairs: readonly MirrorPair[]): string[] | undefined {
  const destinations = new Set<string>();
  for (const pair of pairs) {
    const source = parseReference(pair.source);
    const target = parseReference(pair.target);
    if (!source || !target) return undefined;
    if (lastPathElement(source.path) !== lastPathElement(target.path)) return undefined;
    const dir = target.path.includes('/') ? `/${target.path.slice(0, target.path.lastIndexOf('/'))}` : '';
    destinations.add(`${target.domain}${dir}`);
  }
  return [...destinations].sort();
}

export function formatSkopeo(pairs: readonly MirrorPair[], producedBy: string): string {
  const registries = new Map<string, Map<string, Set<string>>>();
  for (const pair of pairs) {
    const ref = parseReference(pair.source);
    if (!ref) continue;
    const images = registries.get(ref.domain) ?? new Map<string, Set<string>>();
    registries.set(ref.domain, images);
    const refs = images.get(ref.path) ?? new Set<string>();
    images.set(ref.path, refs);
    refs.add(syncReference(ref.digest, ref.tag));
  }
  const destinations = syncDestinations(pairs) ?? [];
  const header = [
    `# Images to copy into the mirror, written by ${producedBy}.`,
    '# Source file for skopeo sync --src yaml (skopeo-sync(1)); exact tags and digests only.',
  ];
  if (destinations.length === 1) {
    header.push(`# Copy with: skopeo sync --all --src yaml --dest docker THIS-FILE ${destinations[0]}`);
  } else if (destinations.length > 1) {
    header.push(
      '# skopeo sync writes each image to DEST/<last path element>, but these targets lie in several directories',
      `# of the mirror (${destinations.join(', ')}): one sync cannot place them all.`,
      '# Use `eck-airgap images --output script` (one skopeo copy per image), or set `repository` so that they share one.',
    );
  }
  const lines = [...header];
  if (registries.size === 0) return `${lines.join('\n')}\n{}\n`;
  for (const registry of [...registries.keys()].sort()) {
    lines.push(`${q(registry)}:`, '  images:');
    const images = registries.get(registry)!;
    for (const path of [...images.keys()].sort()) {
      lines.push(`    ${q(path)}:`);
      for (const ref of [...images.get(path)!].sort()) lines.push(`      - ${q(ref)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
