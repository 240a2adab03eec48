/**
 * `check --lock FILE`, the hermetic gate: every image the release would pull (operator defaults, monitoring
 * sidecars, hooks and the operator's own image included, as collect-image-uses lists them) must be pinned by digest
 * to a digest the lock holds for its repository.
 */
import { parseReference } from '../image/reference.js';
import type { ImageUse } from '../analysis/image-use.js';
import type { LockPins } from './pins.js';

export interface Unpinned {
  readonly use: ImageUse;
  readonly why: string;
}

export function unpinnedUses(uses: readonly ImageUse[], pins: LockPins): Unpinned[] {
  const found: Unpinned[] = [];
  for (const use of uses) {
    const ref = parseReference(use.image);
    if (!ref?.digest) {
      found.push({ use, why: 'not pinned by digest' });
      continue;
    }
    if (!pins.holds(use.image))
      found.push({
        use,
        why: `pinned to ${ref.digest}, a digest the lock does not hold for ${ref.domain}/${ref.path}`,
      });
  }
  return found;
}
