/**
 * Merges image pull secrets into a pod spec: adds `imagePullSecrets` (and the `podTemplate`/`spec` mappings above
 * it where they are missing) or appends the names it lacks, never duplicating one.
 */
import { isMap, isSeq, type Document, type Scalar, type YAMLMap } from 'yaml';
import { InputError } from '../errors.js';
import type { InsertValue } from '../yaml/emit-value.js';
import { addPair, appendItems, fillEmpty } from '../yaml/edit-builders.js';
import { describeNode, findPair, get, isNullNode, scalarText, seqItems } from '../yaml/node-lookup.js';
import type { TextEdit } from '../yaml/text-edit.js';

function nest(path: readonly string[], leaf: InsertValue): InsertValue {
  return path.reduceRight<InsertValue>((value, key) => ({ [key]: value }), leaf);
}

/**
 * The edit that makes `parent.<path…>.imagePullSecrets` hold every name in `names`, or undefined when it already does.
 * `field` names `parent` in messages.
 */
export function mergePullSecrets(
  text: string,
  doc: Document,
  parent: YAMLMap,
  path: readonly string[],
  names: readonly string[],
  field: string,
  where: () => string,
): TextEdit | undefined {
  const secrets = names.map((name) => ({ name }));
  const full = [...path, 'imagePullSecrets'];
  let map = parent;
  for (let i = 0; i < full.length; i++) {
    const key = full[i]!;
    const rest = full.slice(i + 1);
    const found = findPair(map, key, doc);
    const at = [field, ...full.slice(0, i + 1)].join('.');
    if (!found) return addPair(text, map, key, nest(rest, secrets));
    const value = found.value;
    if (isNullNode(value)) return fillEmpty(text, value as Scalar | null | undefined, found.pair, nest(rest, secrets));
    if (i === full.length - 1) {
      if (!isSeq(value)) throw new InputError(`${where()}: ${at} is ${describeNode(value)}, expected a list.`);
      const present = new Set(seqItems(value, doc).map((item) => scalarText(get(item, 'name', doc))));
      const missing = secrets.filter((s) => !present.has(s.name));
      return missing.length > 0 ? appendItems(text, value, missing) : undefined;
    }
    if (!isMap(value)) throw new InputError(`${where()}: ${at} is ${describeNode(value)}, expected a mapping.`);
    map = value;
  }
  return undefined;
}
