/**
 * For `eck-airgap images`: each image the release pulls, as a pair — its upstream name (what to copy, digest
 * kept) and its name on the mirror (after `repository` flattening) — with every place that uses it. Images no
 * rule covers, and mirror images whose upstream name cannot be told, are returned apart.
 */
import { DEFAULT_CONTAINER_REGISTRY } from '../eck/kinds.js';
import { containerSettingsOf, defaultImage, monitoringSidecarImage, type ContainerSettings } from '../eck/naming.js';
import type { Settings } from '../config/settings.js';
import { relocateReference } from '../image/relocate.js';
import { formatReference, parseReference, type ImageReference } from '../image/reference.js';
import type { Computed, ImageUse, UsedBy } from './image-use.js';
import { upstreamOfMirrorImage } from './upstream-of-mirror.js';

export interface MirrorPair {
  readonly source: string;
  readonly target: string;
  readonly usedBy: UsedBy[];
}

export interface Leftover {
  readonly image: string;
  readonly usedBy: UsedBy;
  readonly where: string;
}

export interface MirrorPlanResult {
  /** Sorted by source, then target; each pair once. */
  readonly pairs: MirrorPair[];
  /** On no source registry and no `mirrors` entry: not copied, named on stderr. */
  readonly notCovered: Leftover[];
  /** Already on the mirror, upstream name unknown: named on stderr. */
  readonly unknownOrigin: Leftover[];
}

/** The upstream name of an image the operator names by itself, on docker.elastic.co with the effective suffix. */
function upstreamComputed(computed: Computed, container: ContainerSettings): string | undefined {
  const upstream = containerSettingsOf({ ...container, registry: DEFAULT_CONTAINER_REGISTRY, repository: undefined });
  try {
    if (computed.what === 'sidecar') return monitoringSidecarImage(computed.which, computed.version, upstream);
    return defaultImage(computed.kind, { version: computed.version, type: computed.beatType }, upstream);
  } catch {
    return undefined;
  }
}

/** The name the operator would give this image on the mirror (undefined when it cannot be computed). */
function mirrorComputed(computed: Computed, container: ContainerSettings): string | undefined {
  try {
    if (computed.what === 'sidecar') return monitoringSidecarImage(computed.which, computed.version, container);
    return defaultImage(computed.kind, { version: computed.version, type: computed.beatType }, container);
  } catch {
    return undefined;
  }
}

function sameImage(a: ImageReference, b: string): boolean {
  const other = parseReference(b);
  return other !== undefined && formatReference(a) === formatReference(other);
}

type Resolved = { readonly source: string; readonly target: string } | 'not-covered' | 'unknown-origin';

function resolve(use: ImageUse, settings: Settings, container: ContainerSettings): Resolved {
  const { reason } = use.usedBy;
  if ((reason === 'operator-default' || reason === 'monitoring-sidecar') && use.computed) {
    const source = upstreamComputed(use.computed, container);
    return source ? { source, target: use.image } : 'unknown-origin';
  }
  const ref = parseReference(use.image);
  if (!ref) return 'not-covered';
  const relocation = relocateReference(ref, settings);
  if (relocation.kind === 'moved') return { source: formatReference(ref), target: relocation.target };
  if (relocation.kind !== 'on-mirror') return 'not-covered';
  // Already on the mirror: an Elastic resource's spec.image that is the operator's own name maps back exactly.
  if (reason === 'explicit' && use.computed) {
    const named = mirrorComputed(use.computed, container);
    if (named !== undefined && sameImage(ref, named) && ref.digest === undefined) {
      const source = upstreamComputed(use.computed, container);
      if (source) return { source, target: formatReference(ref) };
    }
  }
  const ofElasticResource = reason === 'explicit' || use.computed !== undefined || isElasticContainer(use);
  const upstream = upstreamOfMirrorImage(ref, settings, container.repository, ofElasticResource, container.release);
  return upstream ? { source: formatReference(upstream), target: formatReference(ref) } : 'unknown-origin';
}

/** Containers of an Elastic resource's pod templates (their field paths start below `spec.` with a pod template). */
function isElasticContainer(use: ImageUse): boolean {
  return use.usedBy.reason === 'container' && /(^|\.)podTemplate\.spec\./.test(use.usedBy.field);
}

export function planMirror(
  uses: readonly ImageUse[],
  settings: Settings,
  container: ContainerSettings,
): MirrorPlanResult {
  const pairs = new Map<string, MirrorPair>();
  const notCovered: Leftover[] = [];
  const unknownOrigin: Leftover[] = [];
  for (const use of uses) {
    const resolved = resolve(use, settings, container);
    if (resolved === 'not-covered') {
      notCovered.push({ image: use.image, usedBy: use.usedBy, where: use.where });
      continue;
    }
    if (resolved === 'unknown-origin') {
      unknownOrigin.push({ image: use.image, usedBy: use.usedBy, where: use.where });
      continue;
    }
    const key = `${resolved.source}\n${resolved.target}`;
    const pair = pairs.get(key) ?? { ...resolved, usedBy: [] };
    pairs.set(key, pair);
    if (!pair.usedBy.some((u) => JSON.stringify(u) === JSON.stringify(use.usedBy))) pair.usedBy.push(use.usedBy);
  }
  const sorted = [...pairs.values()].sort((a, b) => compare(a.source, b.source) || compare(a.target, b.target));
  return { pairs: sorted, notCovered, unknownOrigin };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
