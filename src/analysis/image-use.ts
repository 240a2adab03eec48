/** One place the release pulls an image from, and why: the unit both `images` and `check` work with. */
import type { ElasticKind } from '../eck/kinds.js';

/**
 * Why an image is pulled: written in `spec.image` (explicit), computed by the operator (operator-default), a
 * stack-monitoring sidecar the operator injects (monitoring-sidecar), the operator's own image (operator), any other
 * container of a pod template or workload (container), or the eck-diagnostics support image (diagnostics).
 */
export type Reason = 'explicit' | 'operator-default' | 'monitoring-sidecar' | 'operator' | 'container' | 'diagnostics';

export interface UsedBy {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string | null;
  /** Field path in the document, e.g. `spec.nodeSets[1].podTemplate.spec.initContainers[0].image`. */
  readonly field: string;
  readonly reason: Reason;
}

/** What the operator computes an image from, for the images it names itself (defaults and sidecars). */
export type Computed =
  | { readonly what: 'default'; readonly kind: ElasticKind; readonly version: string; readonly beatType?: string }
  | { readonly what: 'sidecar'; readonly which: 'metrics' | 'logs'; readonly version: string };

export interface ImageUse {
  /** The reference the cluster pulls, as written (or as the operator computes it). */
  readonly image: string;
  readonly usedBy: UsedBy;
  /** For an Elastic resource's `spec.image`: how the operator would name its default (to map a mirror name back). */
  readonly computed?: Computed;
  /** The document it is in, for messages: `document 3 (chart/templates/x.yaml)`. */
  readonly where: string;
}
