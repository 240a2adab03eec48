/** One place the release pulls an image from, and why: the unit both `images` and `check` work with. */
import type { Computed, Reason } from '../plan/image-site.js';

export type { Computed, Reason } from '../plan/image-site.js';

export interface UsedBy {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string | null;
  /** Field path in the document, e.g. `spec.nodeSets[1].podTemplate.spec.initContainers[0].image`. */
  readonly field: string;
  readonly reason: Reason;
}

export interface ImageUse {
  /** The reference the cluster pulls, as written (or as the operator computes it). */
  readonly image: string;
  readonly usedBy: UsedBy;
  /** For an Elastic resource's `spec.image`: how the operator would name its default (to map a mirror name back). */
  readonly computed?: Computed;
  /** The document it is in, for messages: `document 3 (chart/templates/x.yaml)`. */
  readonly where: string;
}
