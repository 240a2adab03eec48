/**
 * The plan: every place a resource makes the cluster pull an image, with the image pulled before and after
 * render and where in the document it is (or would be) written. One step builds it (resource-sites.ts); render
 * turns it into edits, `images`/`mirror`/`verify` into (source → target) pairs, `check` into a verdict.
 */
import type { Pair, Scalar, YAMLMap } from 'yaml';
import type { ElasticKind } from '../eck/kinds.js';
import type { ResourceId } from '../sites/resource-id.js';

/**
 * Why an image is pulled: written in `spec.image` (explicit), computed by the operator (operator-default), a
 * stack-monitoring sidecar the operator injects (monitoring-sidecar), the operator's own image (operator), any other
 * container of a pod template or workload (container), or the eck-diagnostics support image (diagnostics).
 */
export type Reason = 'explicit' | 'operator-default' | 'monitoring-sidecar' | 'operator' | 'container' | 'diagnostics';

/** What the operator computes an image from, for the images it names itself (defaults and sidecars). */
export type Computed =
  | { readonly what: 'default'; readonly kind: ElasticKind; readonly version: string; readonly beatType?: string }
  | { readonly what: 'sidecar'; readonly which: 'metrics' | 'logs'; readonly version: string };

/**
 * What kind of site: an Elastic resource's `spec.image` as written; the operator's default for it (spec.image
 * unset); a stack-monitoring sidecar the operator injects; a container of a resource's pod template; a container of
 * a plain workload; the operator's own image (a workload container named eck-operator…).
 */
export type SiteKind =
  'spec-image' | 'default-image' | 'sidecar' | 'pod-template-container' | 'container' | 'operator-image';

/** How render writes a site's `after` into the document. */
export type SiteWrite =
  /** The scalar holding the image (or an empty spec.image) is replaced. */
  | { readonly how: 'replace'; readonly node: Scalar }
  /** `image:` written in spec with no value: filled in place. */
  | { readonly how: 'fill'; readonly pair: Pair; readonly node: Scalar | null | undefined }
  /** `image: <after>` added to spec (after the `version` pair when there is one). */
  | { readonly how: 'add'; readonly spec: YAMLMap; readonly afterPair?: Pair };

/** For a written image: what the mirror settings do with it. */
export type SiteRelocation = 'moved' | 'on-mirror' | 'not-covered';

export interface ImageSite {
  readonly kind: SiteKind;
  /** Why the image is pulled, in the words of `images --output json` and `check`. */
  readonly reason: Reason;
  readonly resource: ResourceId;
  /** The document: `document 3 (chart/templates/x.yaml)`. */
  readonly document: string;
  /** `<document>: Kind namespace/name`, for messages. */
  readonly where: string;
  /** The field path the image is written at, or the field that makes the operator pull it (sidecars). */
  readonly field: string;
  /**
   * The image the operator pulls with the stream as it is: as written, or computed with the operator's settings
   * before render (undefined when those cannot name it).
   */
  readonly before?: string;
  /** The image it pulls once the plan is applied: the final reference (the one a lock pins by digest). */
  readonly after: string;
  /** For a written image, when the plan has mirror settings: moved, already on the mirror, or left. */
  readonly relocation?: SiteRelocation;
  /** Where render writes `after` (an image already on the mirror: where a lock pins it); absent when render writes nothing here (sidecars, images left as they are). */
  readonly write?: SiteWrite;
  /** For images the operator names itself (and spec.image): what it names them from. */
  readonly computed?: Computed;
}
