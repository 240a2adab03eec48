/**
 * The configuration file edited so that the operator pulls from the mirror: which keys change (wantedChanges), the
 * edits made where the keys are written (line by line inside a literal block scalar), else the file rewritten through
 * the library; each result re-read (config-reread.ts) and refused when it would not say exactly that.
 */
import { isCollection, isMap, isScalar, parseDocument, visit, type Node, type Pair, type Scalar } from 'yaml';
import { isUbiMode } from '../eck/naming.js';
import { InputError } from '../errors.js';
import { composeBlockSubset } from '../yaml/compose-block-subset.js';
import { replaceScalar } from '../yaml/edit-builders.js';
import { scalar } from '../yaml/emit-value.js';
import { lineBreakOf } from '../yaml/line-layout.js';
import { applyEdits, type TextEdit } from '../yaml/text-edit.js';
import {
  composedMap,
  OPERATOR_CONFIG_KEY,
  type OperatorConfigChanges,
  type OperatorImageSettings,
} from './config-read.js';
import { configProblem } from './config-reread.js';

/**
 * Which keys must change so that the operator pulls from `registry` with the given repository and suffix
 * (UBI mode, suffix `-ubi`, is written as `ubi-only: true` without `container-suffix`).
 */
export function wantedChanges(
  current: OperatorImageSettings,
  want: { registry: string; repository?: string; suffix?: string; literalSuffix?: boolean },
): Map<string, string | null> {
  const changes = new Map<string, string | null>();
  if (current.registry !== want.registry) changes.set('container-registry', want.registry);
  if (want.repository !== undefined && current.repository !== want.repository) {
    changes.set('container-repository', want.repository);
  }
  if (isUbiMode(want)) {
    if (!current.ubiOnly) changes.set('ubi-only', 'true');
    if (current.suffix !== undefined) changes.set('container-suffix', null);
  } else if (want.suffix !== undefined) {
    if (current.suffix !== want.suffix) changes.set('container-suffix', want.suffix);
    // The operator refuses a suffix when ubi-only is set at all, even to false: the key goes.
    if (current.ubiOnly || (current.ubiOnlySet && want.suffix !== '')) changes.set('ubi-only', null);
  }
  return changes;
}

/** A value as written into eck.yaml: quoted whenever plain would not read back as the same string (YAML 1.1 or 1.2). */
function printValue(key: string, value: string): string {
  // ubi-only is the operator's boolean: `true` / `false`, plain.
  if (key === 'ubi-only' && (value === 'true' || value === 'false')) return value;
  return scalar(value);
}

/** An edit to the inner configuration text (offsets into the block scalar's value). */
interface InnerEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The line (0-based) holding an offset. */
function lineIndex(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline;
}

/** Only blanks and a comment between `from` and the end of its line. */
function restOfLineIsComment(text: string, from: number): boolean {
  return /^[ \t]*(?:#.*)?$/.test(text.slice(from, lineEnd(text, from)));
}

/** Only blanks between the start of `offset`'s line and `offset`. */
function startsItsLine(text: string, offset: number): boolean {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^ *$/.test(text.slice(start, offset));
}

type ConfigPair = Pair<unknown, unknown>;

/** Where a pair's text ends: its value's end (or the key's, for an empty value); undefined when unsure. */
function pairEnd(pair: ConfigPair): number | undefined {
  const value = pair.value as Node | null;
  if (value === null || value === undefined) return (pair.key as Node).range?.[1];
  if (isScalar(value) && (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED')) return undefined;
  if (isCollection(value) && !value.flow) return undefined;
  return value.range?.[1];
}

/**
 * Edits to the configuration text made through its parse: a changed key's value is replaced where it is written
 * (also when it sits on the next line), a removed key's lines go, new keys go after `container-registry` or after
 * the last key, at the mapping's indentation. Undefined when the layout is not one these edits are sure of.
 */
function surgicalEdits(config: string, map: unknown, changes: OperatorConfigChanges): InnerEdit[] | undefined {
  if (!isMap(map) || map.flow || map.items.length === 0) return undefined;
  const find = (key: string): ConfigPair | undefined =>
    // viper reads keys case-insensitively: `UBI-ONLY` is ubi-only, edited where it is written, as it is spelt.
    (map.items as ConfigPair[]).find(
      (p) => isScalar(p.key) && typeof p.key.value === 'string' && p.key.value.toLowerCase() === key,
    );
  const firstKey = map.items[0]!.key as Node;
  const keyStart = firstKey.range?.[0];
  if (keyStart === undefined || !startsItsLine(config, keyStart)) return undefined;
  const indent = keyStart - (config.lastIndexOf('\n', keyStart - 1) + 1);
  const edits: InnerEdit[] = [];
  const inserted: string[] = [];
  for (const [key, value] of changes) {
    const pair = find(key);
    if (!pair) {
      if (value !== null) inserted.push(`${' '.repeat(indent)}${key}: ${printValue(key, value)}`);
      continue;
    }
    const keyNode = pair.key as Scalar;
    const start = keyNode.range?.[0];
    const end = pairEnd(pair);
    if (start === undefined || end === undefined || !startsItsLine(config, start) || !restOfLineIsComment(config, end))
      return undefined;
    if (value === null) {
      const lineStart = config.lastIndexOf('\n', start - 1) + 1;
      const after = lineEnd(config, end);
      if (after < config.length) edits.push({ start: lineStart, end: after + 1, text: '' });
      else if (lineStart > 0)
        edits.push({ start: lineStart - 1, end: after, text: '' }); // the last line: its break before goes
      else return undefined;
    } else {
      edits.push({ start, end, text: `${config.slice(start, keyNode.range![1])}: ${printValue(key, value)}` });
    }
  }
  if (inserted.length > 0) {
    const anchor = find('container-registry') ?? (map.items[map.items.length - 1] as ConfigPair);
    let end = pairEnd(anchor);
    if (end === undefined) {
      // A nested block value: the new keys go before the first key instead.
      edits.push({
        start: keyStart,
        end: keyStart,
        text: inserted.map((l) => l.slice(indent)).join(`\n${' '.repeat(indent)}`) + `\n${' '.repeat(indent)}`,
      });
    } else {
      if (!restOfLineIsComment(config, end)) return undefined;
      end = lineEnd(config, end);
      edits.push({ start: end, end, text: inserted.map((l) => `\n${l}`).join('') });
    }
  }
  return edits;
}

/** Applies edits to the configuration text. */
function applyInner(config: string, edits: readonly InnerEdit[]): string {
  return applyEdits(config, edits);
}

function rewrittenConfig(configText: string, changes: OperatorConfigChanges): string {
  const doc = parseDocument(configText);
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  // An alias of a value about to change keeps the old value: it becomes a copy (the anchor goes with the change).
  const anchors = new Set<string>();
  for (const key of changes.keys()) {
    const anchor = (doc.get(key, true) as Node | undefined)?.anchor;
    if (anchor) anchors.add(anchor);
  }
  if (anchors.size > 0) {
    visit(doc, {
      Alias(_, alias) {
        if (!anchors.has(alias.source)) return undefined;
        const target = alias.resolve(doc);
        if (!target) return undefined;
        const copy = target.clone() as Node;
        delete copy.anchor;
        return copy;
      },
    });
  }
  // A key is set where it is written, as it is spelt (viper reads keys case-insensitively).
  const spelt = (key: string): unknown => {
    const items = isMap(doc.contents) ? (doc.contents.items as ConfigPair[]) : [];
    const pair = items.find(
      (p) => isScalar(p.key) && typeof p.key.value === 'string' && p.key.value.toLowerCase() === key,
    );
    return pair ? pair.key : key;
  };
  for (const [name, value] of changes) {
    const key = spelt(name);
    if (value === null) doc.delete(key);
    else if (name === 'ubi-only') doc.set(key, value === 'true');
    else {
      const node = doc.createNode(value) as Scalar;
      if (scalar(value) !== value) node.type = 'QUOTE_DOUBLE';
      doc.set(key, node);
    }
  }
  return String(doc);
}

/**
 * A literal block scalar's lines map one to one onto its value's lines, each behind the block's indentation.
 * Returns the edits to the document text, or undefined when some edit does not land on a content line.
 */
function toBlockEdits(text: string, node: Scalar, config: string, edits: readonly InnerEdit[]): TextEdit[] | undefined {
  const [start, end] = node.range!;
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return undefined;
  const outerStarts: number[] = [];
  for (let at = headerEnd + 1; at < end; at = text.indexOf('\n', at) + 1 || end) outerStarts.push(at);
  const innerStarts = lineStarts(config);
  const eol = lineBreakOf(text);
  // The block's indentation: what every non-empty line has before its value's line.
  let indent: number | undefined;
  for (let k = 0; k < innerStarts.length && k < outerStarts.length; k++) {
    const inner = config.slice(innerStarts[k], lineEnd(config, innerStarts[k]!));
    if (inner === '') continue;
    const outerEnd = lineEnd(text, outerStarts[k]!);
    const outer = text.slice(outerStarts[k], text[outerEnd - 1] === '\r' ? outerEnd - 1 : outerEnd);
    const pad = outer.length - inner.length;
    if (pad < 0 || !outer.endsWith(inner) || !/^ *$/.test(outer.slice(0, pad))) return undefined;
    if (indent !== undefined && indent !== pad) return undefined;
    indent = pad;
  }
  if (indent === undefined) return undefined;
  const at = (offset: number, wholeLine: boolean): number | undefined => {
    const k = lineIndex(innerStarts, offset);
    if (k >= outerStarts.length) return undefined;
    const column = offset - innerStarts[k]!;
    if (wholeLine && column === 0) return outerStarts[k];
    if (config.slice(innerStarts[k], lineEnd(config, innerStarts[k]!)) === '') return undefined;
    return outerStarts[k]! + indent! + column;
  };
  const out: TextEdit[] = [];
  for (const edit of edits) {
    const removesLines = edit.text === '' && edit.start === innerStarts[lineIndex(innerStarts, edit.start)];
    const from = at(edit.start, removesLines);
    const to = at(edit.end, removesLines);
    if (from === undefined || to === undefined) return undefined;
    out.push({ start: from, end: to, text: edit.text.replace(/\n/g, eol + ' '.repeat(indent)) });
  }
  return out;
}

/**
 * True when the block scalar, edited, reads as `want`: the line up to it (`  eck.yaml: `) and the edited scalar are
 * parsed on their own, so the block's indentation and header are read as they will be in the document.
 */
function blockReadsAs(text: string, node: Scalar, edits: readonly TextEdit[], want: string): boolean {
  const [start, end] = node.range!;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const prefix = text.slice(lineStart, start);
  if (!/^ *[^\s"'{[?&*!|>#-][^:#]*: +$/.test(prefix)) return false;
  const shifted = edits.map((e) => ({ start: e.start - lineStart, end: e.end - lineStart, text: e.text }));
  if (shifted.some((e) => e.start < prefix.length || e.end > end - lineStart)) return false;
  const snippet = applyEdits(text.slice(lineStart, end), shifted);
  const root = composedMap(snippet, true);
  if (!root || root.items.length !== 1) return false;
  const value = root.items[0]!.value;
  return isScalar(value) && value.value === want;
}

/** The configuration parsed for an edit, or a refusal naming why it cannot be (the fast composer's reading, else the library's). */
function parsedForEdit(
  config: string,
  refuse: (why: string) => never,
): { contents: unknown; fast: ReturnType<typeof composeBlockSubset> } {
  const fast = composeBlockSubset(config);
  const doc = isMap(fast) ? undefined : parseDocument(config, { uniqueKeys: true });
  if (doc && doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const at = first.linePos?.[0];
    refuse(
      `it is not valid YAML${at ? ` (its line ${at.line}: ` : ' ('}${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`,
    );
  }
  const contents = isMap(fast) ? fast : doc!.contents;
  if (contents !== null && !isMap(contents)) refuse('it is not a YAML mapping');
  return { contents, fast };
}

function refusal(where: string, entry: string, line?: number): (why: string) => never {
  return (why: string): never => {
    throw new InputError(
      `${where}, ${entry}${line !== undefined ? ` (line ${line} of the document)` : ''}: cannot point the operator at the mirror: ${why}. ` +
        'Write the operator configuration as a plain YAML mapping (one `key: value` per line) and render again.',
    );
  };
}

/**
 * The configuration text edited to say what `changes` says (for a file render writes whole: a base64 Secret or
 * binaryData value): edited where its keys are written when that reads back right, else rewritten through the
 * library; read again, it must say exactly that, every other key as it was, or the edit is refused (InputError).
 */
export function editedConfigText(config: string, changes: OperatorConfigChanges, where: string, entry: string): string {
  if (changes.size === 0) return config;
  const refuse = refusal(where, entry);
  const { contents, fast } = parsedForEdit(config, refuse);
  const inner = surgicalEdits(config, contents, changes);
  if (inner) {
    const edited = applyInner(config, inner);
    if (!configProblem(config, edited, changes, fast)) return edited;
  }
  const rewritten = rewrittenConfig(config, changes);
  const problem = configProblem(config, rewritten, changes, fast);
  if (problem) refuse(problem);
  return rewritten;
}

/**
 * The edits that make an operator configuration (a text value of a ConfigMap or Secret: `eck.yaml` or any key the
 * manager mounts) say what `changes` says. The configuration is parsed and edited where its keys are written; the
 * result is parsed again and must say exactly that, every other key as it was. A configuration that cannot be
 * edited so is refused (InputError naming where), never written broken.
 */
export function operatorConfigEdits(
  text: string,
  node: Scalar,
  changes: OperatorConfigChanges,
  where = 'the operator ConfigMap',
  entry = `data["${OPERATOR_CONFIG_KEY}"]`,
): TextEdit[] {
  if (changes.size === 0) return [];
  const config = String(node.value);
  const line = (text.slice(0, node.range![0]).match(/\n/g)?.length ?? 0) + 1;
  const refuse = refusal(where, entry, line);
  const { contents, fast } = parsedForEdit(config, refuse);
  if (node.type === 'BLOCK_LITERAL') {
    const inner = surgicalEdits(config, contents, changes);
    if (inner) {
      const edited = applyInner(config, inner);
      const edits = configProblem(config, edited, changes, fast) ? undefined : toBlockEdits(text, node, config, inner);
      if (edits && blockReadsAs(text, node, edits, edited)) return edits;
    }
  }
  const rewritten = rewrittenConfig(config, changes);
  const problem = configProblem(config, rewritten, changes, fast);
  if (problem) refuse(problem);
  return [replaceScalar(text, node, rewritten)];
}
