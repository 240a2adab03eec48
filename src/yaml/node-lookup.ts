/**
 * Reading a composed YAML document the way Kubernetes does: mapping lookups follow aliases and
 * merge keys (`<<: *defaults`, `<<: [*a, *b]`), the keys written in the mapping itself taking precedence.
 * Every lookup returns the node that really holds the value in the text, so an edit lands where the value is written.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

export type AnyNode = Node | null | undefined;

/** Follows an alias to the node it stands for (once; anchors cannot point at aliases). */
export function resolve(node: unknown, doc: Document): AnyNode {
  if (isAlias(node)) return node.resolve(doc) as AnyNode;
  return node as AnyNode;
}

export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

/** The text of a scalar key or value (plain scalars as written, so `8.10` stays `8.10`). */
export function scalarText(node: AnyNode): string | undefined {
  if (!isScalar(node)) return undefined;
  if (node.type === 'PLAIN' && typeof node.source === 'string') return node.value === null ? undefined : node.source;
  if (typeof node.value === 'string') return node.value;
  if (node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}

/** True for an empty value: no node, `~`, `null`, or nothing at all after the colon. */
export function isNullNode(node: AnyNode): boolean {
  return node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === undefined));
}

export interface Found {
  /** The pair that holds the key. */
  readonly pair: Pair;
  /** The value, aliases resolved. */
  readonly value: AnyNode;
  /** True when the pair was found through a merge key, i.e. it is written in another mapping. */
  readonly merged: boolean;
}

/**
 * Finds `key` in a mapping, following merge keys (depth-first, in order) when it is not written there. Each mapping
 * is looked at once per lookup, so merge keys that fan out (`<<: [*a, *a, …]` nested) cost no more than the mappings.
 */
export function findPair(map: AnyNode, key: string, doc: Document): Found | undefined {
  return findIn(map, key, doc, new Set(), 0);
}

function findIn(map: AnyNode, key: string, doc: Document, visited: Set<unknown>, depth: number): Found | undefined {
  if (!isMap(map) || depth > 64 || visited.has(map)) return undefined;
  visited.add(map);
  const merges: unknown[] = [];
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) merges.push(pair.value);
    else if (scalarText(resolve(pair.key, doc)) === key)
      return { pair, value: resolve(pair.value, doc), merged: depth > 0 };
  }
  for (const source of merges) {
    const target = resolve(source, doc);
    const sources = isSeq(target) ? target.items.map((item) => resolve(item, doc)) : [target];
    for (const s of sources) {
      const found = findIn(s, key, doc, visited, depth + 1);
      if (found) return { ...found, merged: true };
    }
  }
  return undefined;
}

export function get(map: AnyNode, key: string, doc: Document): AnyNode {
  return findPair(map, key, doc)?.value;
}

export function getMap(map: AnyNode, key: string, doc: Document): YAMLMap | undefined {
  const value = get(map, key, doc);
  return isMap(value) ? value : undefined;
}

/** The items of a sequence with aliases resolved. */
export function seqItems(seq: AnyNode, doc: Document): AnyNode[] {
  return isSeq(seq) ? seq.items.map((item) => resolve(item, doc)) : [];
}

/** A short description of a node's type, for messages. */
export function describeNode(node: AnyNode): string {
  if (isNullNode(node)) return 'null';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node))
    return typeof node.value === 'string'
      ? 'a string'
      : `a ${typeof node.value} (${String(node.source ?? node.value)})`;
  return 'an unknown node';
}
