/**
 * The edits render makes to the operator's settings: the plan's setting sites (src/plan/setting-sites.ts — the
 * manager's flags and environment, the flags added so the mirror wins, other containers' setting flags, the
 * configuration file) turned into text edits, each reported.
 */
import { operatorConfigEdits } from '../operator/operator-config.js';
import type { SettingSite } from '../plan/setting-sites.js';
import { addPair, appendItems, replaceScalar } from '../yaml/edit-builders.js';
import type { DocumentWork, RenderContext } from './plan-resource.js';

/** The edits of the setting sites render writes (sites it writes nothing for make none), in the plan's order. */
export function applySettingSites(work: DocumentWork, ctx: RenderContext, sites: readonly SettingSite[]): void {
  for (const site of sites) {
    if (site.writes.length === 0) continue;
    for (const write of site.writes) {
      switch (write.how) {
        case 'replace':
          work.edits.push(replaceScalar(work.text, write.node, write.text));
          break;
        case 'append':
          work.edits.push(appendItems(work.text, write.seq, write.items));
          break;
        case 'add-args':
          work.edits.push(addPair(work.text, write.container, 'args', write.items));
          break;
        case 'config':
          work.edits.push(...operatorConfigEdits(work.text, write.node, write.changes, site.where, write.field));
          break;
      }
    }
    ctx.report.add({
      kind: 'operator-config',
      where: site.where,
      field: site.field,
      from: site.before,
      ...(site.after !== undefined ? { to: site.after } : {}),
    });
  }
}
