/**
 * Builds the text edits render needs on a composed document: replace a scalar keeping its quoting style,
 * add a key to a mapping, add items to a sequence, fill an empty value. Block collections get new lines at
 * their own indentation; flow collections get flow entries (JSON-style when the collection is written as JSON).
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { blockItem, blockPair, flow, scalar, type InsertValue } from './emit-value.js';
import { afterLineOf, columnOf, lineBreakOf } from './line-layout.js';
import type { TextEdit } from './text-edit.js';

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as Node | null)?.range;
  return range ? [range[0], range[1]] : undefined;
}

/** Replaces a scalar's value, keeping plain, single- or double-quoted style where the new value allows it. */
export function replaceScalar(text: string, node: Scalar, value: string): TextEdit {
  const [start, end] = rangeOf(node)!;
  let printed: string;
  switch (node.type) {
    case 'QUOTE_SINGLE':
      // Line breaks fold in single quotes (and would need indenting): such values go double-quoted.
      printed = /[\r\n]/.test(value) ? JSON.stringify(value) : `'${value.replace(/'/g, "''")}'`;
      break;
    case 'QUOTE_DOUBLE':
      printed = JSON.stringify(value);
      break;
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      // A block scalar's range ends after its last line break: keep one.
      printed = JSON.stringify(value) + lineBreakOf(text);
      break;
    default:
      printed = scalar(value);
  }
  return { start, end, text: printed };
}

/** True when the value at `offset` follows a double-quoted key (`"key": `), as in a JSON document. */
function followsJsonKey(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  if (text[i] !== ':') return false;
  i--;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return text[i] === '"';
}

/** A collection written as JSON: its first key (or item) is double-quoted; an empty one follows a `"key":`. */
function isJsonStyle(text: string, collection: YAMLMap | YAMLSeq): boolean {
  if (collection.items.length === 0) {
    const open = rangeOf(collection)?.[0];
    return open !== undefined && followsJsonKey(text, open);
  }
  const first = collection.items[0] as unknown;
  const probe = isMap(collection) ? (first as Pair | undefined)?.key : first;
  // A list of mappings (`[{"name": "x"}]`) is JSON when its first item is.
  if (isMap(probe) || isSeq(probe)) return isJsonStyle(text, probe);
  return isScalar(probe) && probe.type === 'QUOTE_DOUBLE';
}

/** End offset of a pair's text (its value's, or its key's when the value is empty). */
function pairEnd(pair: Pair): number {
  const key = rangeOf(pair.key);
  const value = rangeOf(pair.value);
  return Math.max(key?.[1] ?? 0, value?.[1] ?? 0);
}

/** The offset of the closing bracket of a flow collection. */
function closingBracket(text: string, collection: YAMLMap | YAMLSeq, bracket: '}' | ']'): number {
  const [, end] = rangeOf(collection)!;
  const at = text.lastIndexOf(bracket, end - 1);
  if (at < 0) throw new Error(`no closing ${bracket} for a flow collection`);
  return at;
}

/**
 * Adds `key: value` to a mapping: in a block mapping as new lines after `after` (default: the last pair), at the
 * indentation of the mapping's keys; in a flow mapping as a new entry before its closing brace.
 */
export function addPair(text: string, map: YAMLMap, key: string, value: InsertValue, after?: Pair): TextEdit {
  const eol = lineBreakOf(text);
  if (map.flow || map.items.length === 0) {
    const json = isJsonStyle(text, map);
    const entry = `${scalar(key, json)}: ${flow(value, json)}`;
    if (map.items.length === 0) {
      const open = rangeOf(map)![0];
      return { start: open + 1, end: open + 1, text: entry };
    }
    const last = map.items[map.items.length - 1]!;
    const at = pairEnd(last);
    return { start: at, end: at, text: `, ${entry}` };
  }
  const firstKey = rangeOf(map.items[0]!.key)!;
  const indent = columnOf(text, firstKey[0]);
  const anchor = after ?? map.items[map.items.length - 1]!;
  const { at, needsBreak } = afterLineOf(text, pairEnd(anchor));
  const lines = blockPair(key, value, indent, eol);
  return needsBreak
    ? { start: at, end: at, text: eol + lines.slice(0, -eol.length) }
    : { start: at, end: at, text: lines };
}

/** Appends items to a sequence (block: new `- ` lines at the sequence's indentation; flow: before `]`). */
export function appendItems(text: string, seq: YAMLSeq, items: readonly InsertValue[]): TextEdit {
  const eol = lineBreakOf(text);
  if (seq.flow || seq.items.length === 0) {
    const json = isJsonStyle(text, seq);
    const printed = items.map((item) => flow(item, json)).join(', ');
    const close = closingBracket(text, seq, ']');
    if (seq.items.length === 0) return { start: close, end: close, text: printed };
    const lastEnd = rangeOf(seq.items[seq.items.length - 1])?.[1] ?? close;
    return { start: lastEnd, end: lastEnd, text: `, ${printed}` };
  }
  const indent = columnOf(text, rangeOf(seq)![0]);
  const lastEnd = Math.max(...seq.items.map((item) => rangeOf(item)?.[1] ?? 0));
  const { at, needsBreak } = afterLineOf(text, lastEnd);
  const lines = items.map((item) => blockItem(item, indent, eol)).join('');
  return needsBreak
    ? { start: at, end: at, text: eol + lines.slice(0, -eol.length) }
    : { start: at, end: at, text: lines };
}

/** Fills an empty value (`key:`, `key: ~`, `key: null`) with a flow value. */
export function fillEmpty(text: string, node: Scalar | null | undefined, pair: Pair, value: InsertValue): TextEdit {
  const range = rangeOf(node);
  const json =
    isScalar(pair.key) && pair.key.type === 'QUOTE_DOUBLE' && range !== undefined && followsJsonKey(text, range[0]);
  if (range && range[1] > range[0]) return { start: range[0], end: range[1], text: flow(value, json) };
  const at = range ? range[0] : pairEnd(pair);
  const before = text[at - 1];
  return { start: at, end: at, text: (before === ' ' || before === '\t' ? '' : ' ') + flow(value, json) };
}
