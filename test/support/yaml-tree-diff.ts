// Compares two composed YAML trees node by node: kind, flow style, scalar value and style, and source ranges
// (start and value end). Returns the first difference as a path and a reason, or undefined when they agree.
import { isMap, isScalar, isSeq } from 'yaml';

function sameRange(a: { range?: readonly number[] | null }, b: { range?: readonly number[] | null }): boolean {
  return a.range?.[0] === b.range?.[0] && a.range?.[1] === b.range?.[1];
}

export function treeDiff(a: unknown, b: unknown, path = '$'): string | undefined {
  if (a === null || b === null) return a === b ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  if (isScalar(a) && isScalar(b)) {
    const same = Object.is(a.value, b.value);
    if (!same) return `${path}: value ${JSON.stringify(a.value)} vs ${JSON.stringify(b.value)}`;
    if (a.type !== b.type) return `${path}: style ${a.type} vs ${b.type}`;
    if (!sameRange(a, b)) return `${path}: range ${String(a.range)} vs ${String(b.range)}`;
    if (a.type === 'PLAIN' && a.source !== b.source) return `${path}: source ${a.source} vs ${b.source}`;
    return undefined;
  }
  if ((isMap(a) && isMap(b)) || (isSeq(a) && isSeq(b))) {
    if (Boolean(a.flow) !== Boolean(b.flow)) return `${path}: flow ${Boolean(a.flow)} vs ${Boolean(b.flow)}`;
    if (!sameRange(a, b)) return `${path}: range ${String(a.range)} vs ${String(b.range)}`;
    if (a.items.length !== b.items.length) return `${path}: ${a.items.length} vs ${b.items.length} items`;
    for (let i = 0; i < a.items.length; i++) {
      if (isMap(a) && isMap(b)) {
        const pa = a.items[i]!;
        const pb = b.items[i]!;
        const key = isScalar(pa.key) ? String(pa.key.value) : `<key ${i}>`;
        const d = treeDiff(pa.key, pb.key, `${path}.<key ${key}>`) ?? treeDiff(pa.value, pb.value, `${path}.${key}`);
        if (d) return d;
      } else {
        const d = treeDiff((a as { items: unknown[] }).items[i], (b as { items: unknown[] }).items[i], `${path}[${i}]`);
        if (d) return d;
      }
    }
    return undefined;
  }
  const kind = (n: unknown): string => (n as object | undefined)?.constructor?.name ?? typeof n;
  return `${path}: ${kind(a)} vs ${kind(b)}`;
}
