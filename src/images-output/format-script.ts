/**
 * `--output script`: a POSIX shell script with one `skopeo copy --all docker://SRC docker://DST` per image
 * (`--all` copies every architecture of a multi-arch image and the list itself), `set -eu`, words quoted for the
 * shell, and a header comment saying what produced it. skopeo refuses a reference with both a tag and a digest:
 * a pinned source is copied by its digest, to the target's tag (or its digest when it has no tag).
 */
import type { MirrorPair } from '../analysis/mirror-pairs.js';
import { shellQuote } from './shell-quote.js';
import { skopeoDestination, skopeoSource } from './skopeo-reference.js';

export function formatScript(pairs: readonly MirrorPair[], producedBy: string): string {
  const lines = [
    '#!/bin/sh',
    `# Copies every image the release pulls into the mirror. Written by ${producedBy.replaceAll('\n', ' ')}.`,
    '# Needs skopeo, logged in to the source registries and the mirror (skopeo login).',
    'set -eu',
  ];
  for (const pair of pairs) {
    const source = shellQuote(`docker://${skopeoSource(pair.source)}`);
    const target = shellQuote(`docker://${skopeoDestination(pair.target)}`);
    lines.push(`skopeo copy --all ${source} ${target}`);
  }
  return `${lines.join('\n')}\n`;
}
