/** `--output text`: one `source -> target` line per image, sorted. */
import type { MirrorPair } from '../analysis/mirror-pairs.js';

export function formatText(pairs: readonly MirrorPair[]): string {
  return pairs.map((p) => `${p.source} -> ${p.target}\n`).join('');
}
