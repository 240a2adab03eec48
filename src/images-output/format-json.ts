/**
 * `--output json`: a list of { source, target, usedBy: [{ kind, namespace, name, field, reason }] }, sorted.
 * `namespace` is there only when the manifest says it: a resource without metadata.namespace lands in the
 * namespace of `helm -n` / kubectl, which the stream does not know, so no `null` stands in for it (nor `name`'s).
 */
import type { MirrorPair } from '../analysis/mirror-pairs.js';

export function formatJson(pairs: readonly MirrorPair[]): string {
  const list = pairs.map((p) => ({
    source: p.source,
    target: p.target,
    usedBy: p.usedBy.map((u) => ({
      kind: u.kind,
      ...(u.namespace !== null ? { namespace: u.namespace } : {}),
      ...(u.name !== null ? { name: u.name } : {}),
      field: u.field,
      reason: u.reason,
    })),
  }));
  return `${JSON.stringify(list, null, 2)}\n`;
}
