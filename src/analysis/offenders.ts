/**
 * For `eck-airgap check`: the images the release would pull from a registry that is neither the mirror, nor a
 * `mirrors` destination, nor allowed.
 */
import { parseReference } from '../image/reference.js';
import type { ImageUse } from './image-use.js';

export interface Offender {
  readonly use: ImageUse;
  /** The registry it would be pulled from (`docker.io` for Docker Hub short names). */
  readonly registry: string;
}

export function findOffenders(uses: readonly ImageUse[], allowed: ReadonlySet<string>): Offender[] {
  const offenders: Offender[] = [];
  for (const use of uses) {
    const registry = parseReference(use.image)?.domain ?? '(invalid reference)';
    if (!allowed.has(registry)) offenders.push({ use, registry });
  }
  return offenders;
}
