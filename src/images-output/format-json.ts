/** `--output json`: a list of { source, target, usedBy: [{ kind, namespace, name, field, reason }] }, sorted. */
import type { MirrorPair } from '../analysis/mirror-pairs.js';

export function formatJson(pairs: readonly MirrorPair[]): string {
  const list = pairs.map((p) => ({
    source: p.source,
    target: p.target,
    usedBy: p.usedBy.map((u) => ({ kind: u.kind, namespace: u.namespace, name: u.name, field: u.field, reason: u.reason })),
  }));
  return `${JSON.stringify(list, null, 2)}\n`;
}
