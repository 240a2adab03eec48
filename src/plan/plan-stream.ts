/** The plan of a whole read stream: every resource's image sites and operator setting sites, in stream order (one walk). */
import { InputProblems } from '../input-problems.js';
import { labelText, type Parsed } from '../stream/read-stream.js';
import { containerImages } from '../sites/pod-spec.js';
import { visitResource } from '../sites/visit-resource.js';
import type { ImageSite } from './image-site.js';
import {
  containerSites,
  elasticSites,
  endIfRefused,
  settingContextOf,
  workloadSettings,
  type PlanContext,
} from './resource-sites.js';
import { configFileSites, type SettingSite } from './setting-sites.js';

export interface StreamPlan {
  readonly images: readonly ImageSite[];
  /** The operator's setting sites: only when the context has the operator. */
  readonly settings: readonly SettingSite[];
}

/**
 * Every site of the stream's resources, in stream order. `after` settings name operator defaults and sidecars;
 * `mirror` (images) also moves written images, so each site's `after` is its final name. With `operator`, the
 * operator's setting sites too.
 */
export function planSites(parsed: readonly Parsed[], given: PlanContext): StreamPlan {
  const ctx: PlanContext = { ...given, refusals: given.refusals ?? [] };
  const setting = settingContextOf(ctx);
  const sites: ImageSite[] = [];
  const settings: SettingSite[] = [];
  // A resource that cannot be planned (a `versoin` typo) is named, and the walk goes on to name the others.
  const problems = new InputProblems();
  for (const p of parsed) {
    const label = labelText(p.label);
    problems.run(() =>
      visitResource(p.doc.contents, p.doc, label, {
        elastic: (r, kind) => sites.push(...elasticSites(ctx, r, kind).sites),
        workload: (r, _kind, pod) => {
          if (!pod) return;
          const containers = containerSites(
            ctx,
            r,
            containerImages(pod.podSpec, pod.field, r.doc, () => r.where),
            'container',
          );
          sites.push(...containers);
          if (setting) settings.push(...workloadSettings(setting, r, pod, containers));
        },
        ...(setting ? { settingsData: (r, kind) => settings.push(...configFileSites(setting, r, kind)) } : {}),
      }),
    );
  }
  problems.throwIfAny();
  // Every resource the operator refuses, named together; nothing listed.
  endIfRefused(ctx);
  return { images: sites, settings };
}
