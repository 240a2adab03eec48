/**
 * How a plain scalar reads under YAML 1.2 (the `yaml` library's core schema) and YAML 1.1 (the operator reads its
 * configuration with Go's YAML, a 1.1 reader), found with the library's own schemas: the first default tag whose
 * test matches the scalar's text resolves it, as the library's composer does; none matching, it is a string.
 *
 * Used where the library would otherwise be asked to parse small texts again and again on the render path: whether
 * an inserted value can be written plain, and whether a configuration the fast composer read (compose-block-subset.ts:
 * no tags, anchors, aliases, merge keys or directives, so the same structure under both versions) reads under 1.1
 * as it does under 1.2. Anything these cannot be sure of answers false, and the caller falls back to quoting, or to
 * parsing with the library under both versions. Tests hold them to the library's own parse.
 */
import { isMap, isPair, isScalar, isSeq, Schema, type Node } from 'yaml';

interface ScalarTag {
  readonly default?: boolean | 'key';
  readonly test?: RegExp;
  readonly resolve?: (source: string, onError: (message: string) => void, options: object) => unknown;
}

type SchemaName = 'core' | 'yaml-1.1';
const tagsBySchema = new Map<SchemaName, readonly ScalarTag[]>();

/** The tags of a schema that can claim a plain scalar by its text. */
function plainTags(schema: SchemaName): readonly ScalarTag[] {
  let tags = tagsBySchema.get(schema);
  if (!tags) {
    tags = (new Schema({ schema }).tags as unknown as ScalarTag[]).filter((tag) => tag.default && tag.test);
    tagsBySchema.set(schema, tags);
  }
  return tags;
}

function claimingTag(source: string, schema: SchemaName, atKey: boolean): ScalarTag | undefined {
  return plainTags(schema).find((t) => (t.default === true || (atKey && t.default === 'key')) && t.test!.test(source));
}

/**
 * True when `value` written as a plain scalar is the string itself under both YAML 1.2 and 1.1: no tag of either
 * schema claims it, and it is not a document marker. The caller has made sure it is one plain scalar (its
 * characters; no `: `, no leading indicator); this decides only how that scalar resolves.
 */
export function plainIsStringUnderBoth(value: string): boolean {
  if (value === '' || /^(?:---|\.\.\.)(?:\s|$)/.test(value)) return false;
  return !claimingTag(value, 'core', false) && !claimingTag(value, 'yaml-1.1', false);
}

/** True when a plain scalar written `source`, read as `value` under YAML 1.2, reads as the same value under 1.1. */
export function plainReadsAlikeUnder11(source: string, value: unknown, atKey: boolean): boolean {
  const tag = claimingTag(source, 'yaml-1.1', atKey);
  if (!tag) return value === source;
  if (tag.default === 'key' || !tag.resolve) return false;
  let failed = false;
  const resolved = tag.resolve(source, () => (failed = true), {});
  // Some tags (YAML 1.1 booleans) resolve to a Scalar node that keeps the source.
  const read = isScalar(resolved) ? resolved.value : resolved;
  const simple = read === null || typeof read === 'number' || typeof read === 'boolean' || typeof read === 'string';
  return !failed && simple && Object.is(read, value);
}

/** True when every plain scalar in `node` (keys included) reads under YAML 1.1 as it does under 1.2. */
export function readsAlikeUnder11(node: unknown, atKey = false): boolean {
  if (node === null || node === undefined) return true;
  if (isScalar(node)) {
    if (node.type !== 'PLAIN')
      return (
        node.type === 'QUOTE_DOUBLE' ||
        node.type === 'QUOTE_SINGLE' ||
        node.type === 'BLOCK_LITERAL' ||
        node.type === 'BLOCK_FOLDED'
      );
    return typeof node.source === 'string' && plainReadsAlikeUnder11(node.source, node.value, atKey);
  }
  if (isMap(node))
    return node.items.every(
      (pair) => isPair(pair) && readsAlikeUnder11(pair.key, true) && readsAlikeUnder11(pair.value),
    );
  if (isSeq(node)) return node.items.every((item) => readsAlikeUnder11(item as Node));
  return false;
}
