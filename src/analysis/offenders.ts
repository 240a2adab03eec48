/**
 * For `eck-airgap check`: the images the release would pull from a registry that is neither the mirror, nor a
 * `mirrors` destination, nor allowed.
 */
import { parseReference, registryKey } from '../image/reference.js';
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
    // Registries compare case-insensitively, :443 the same as no port (allowed holds registryKey forms too).
    if (!allowed.has(registry) && !allowed.has(registryKey(registry))) offenders.push({ use, registry });
  }
  return offenders;
}
