/** The plan of a whole read stream: every resource's image sites, in stream order (one walk). */
import { InputProblems } from '../input-problems.js';
import { labelText, type Parsed } from '../stream/read-stream.js';
import { containerImages } from '../sites/pod-spec.js';
import { visitResource } from '../sites/visit-resource.js';
import type { ImageSite } from './image-site.js';
import { containerSites, elasticSites, endIfRefused, type PlanContext } from './resource-sites.js';

/**
 * Every site of the stream's resources, in stream order. `after` settings name operator defaults and sidecars;
 * `mirror` (images) also moves written images, so each site's `after` is its final name.
 */
export function planSites(parsed: readonly Parsed[], given: PlanContext): ImageSite[] {
  const ctx: PlanContext = { ...given, refusals: given.refusals ?? [] };
  const sites: ImageSite[] = [];
  // A resource that cannot be planned (a `versoin` typo) is named, and the walk goes on to name the others.
  const problems = new InputProblems();
  for (const p of parsed) {
    const label = labelText(p.label);
    problems.run(() =>
      visitResource(p.doc.contents, p.doc, label, {
        elastic: (r, kind) => sites.push(...elasticSites(ctx, r, kind).sites),
        workload: (r, _kind, pod) => {
          if (pod)
            sites.push(
              ...containerSites(
                ctx,
                r,
                containerImages(pod.podSpec, pod.field, r.doc, () => r.where),
                'container',
              ),
            );
        },
      }),
    );
  }
  problems.throwIfAny();
  // Every resource the operator refuses, named together; nothing listed.
  endIfRefused(ctx);
  return sites;
}
