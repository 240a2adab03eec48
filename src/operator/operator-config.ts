/**
 * The operator's own configuration: the `eck.yaml` key of the operator ConfigMap, which says where the operator
 * pulls stack images from (`container-registry`, `container-repository`, `container-suffix`, `ubi-only`).
 * Render rewrites those keys inside the block scalar, line by line, keeping every other line as it is.
 */
import { isMap, isScalar, parseDocument, type Document, type Scalar, type YAMLMap } from 'yaml';
import { composeBlockSubset } from '../yaml/compose-block-subset.js';
import { get, getMap, scalarText, type AnyNode } from '../yaml/node-lookup.js';
import { replaceScalar } from '../yaml/edit-builders.js';
import { lineBreakOf } from '../yaml/line-layout.js';
import type { TextEdit } from '../yaml/text-edit.js';
import { UBI_SUFFIX } from '../eck/naming.js';

export const OPERATOR_CONFIG_KEY = 'eck.yaml';

/** What the operator configuration says about images (unset keys are undefined). */
export interface OperatorImageSettings {
  readonly registry?: string;
  readonly repository?: string;
  readonly suffix?: string;
  readonly ubiOnly?: boolean;
  /** Whether `ubi-only` is written at all (the operator refuses a suffix when it is, whatever its value). */
  readonly ubiOnlySet?: boolean;
}

/** The `eck.yaml` value of an operator ConfigMap, if this document is one. */
export function operatorConfigNode(root: AnyNode, doc: Document): Scalar | undefined {
  if (scalarText(get(root, 'kind', doc)) !== 'ConfigMap') return undefined;
  const value = get(getMap(root, 'data', doc), OPERATOR_CONFIG_KEY, doc);
  return isScalar(value) && typeof value.value === 'string' ? value : undefined;
}

function parseConfig(text: string): YAMLMap | undefined {
  const fast = composeBlockSubset(text);
  if (isMap(fast)) return fast;
  const doc = parseDocument(text, { uniqueKeys: false });
  return doc.errors.length === 0 && isMap(doc.contents) ? doc.contents : undefined;
}

export function readOperatorSettings(configText: string): OperatorImageSettings {
  const map = parseConfig(configText);
  if (!map) return {};
  const text = (key: string): string | undefined => {
    const value = map.get(key, true);
    const printed = isScalar(value) && value.value !== null ? String(value.value) : undefined;
    return printed === '' ? undefined : printed;
  };
  const ubi = map.get('ubi-only');
  return {
    registry: text('container-registry'),
    repository: text('container-repository'),
    suffix: text('container-suffix'),
    // viper's GetBool: a boolean, or a string strconv.ParseBool reads as true.
    ubiOnly: ubi === true || (typeof ubi === 'string' && /^(?:1|t|T|TRUE|true|True)$/.test(ubi)),
    ubiOnlySet: ubi !== undefined && ubi !== null,
  };
}

/** The keys to write: a value to set, or null to remove the key. */
export type OperatorConfigChanges = ReadonlyMap<string, string | null>;

/**
 * Which keys must change so that the operator pulls from `registry` with the given repository and suffix
 * (UBI mode, suffix `-ubi`, is written as `ubi-only: true` without `container-suffix`).
 */
export function wantedChanges(
  current: OperatorImageSettings,
  want: { registry: string; repository?: string; suffix?: string },
): Map<string, string | null> {
  const changes = new Map<string, string | null>();
  if (current.registry !== want.registry) changes.set('container-registry', want.registry);
  if (want.repository !== undefined && current.repository !== want.repository) {
    changes.set('container-repository', want.repository);
  }
  if (want.suffix === UBI_SUFFIX) {
    if (!current.ubiOnly) changes.set('ubi-only', 'true');
    if (current.suffix !== undefined) changes.set('container-suffix', null);
  } else if (want.suffix !== undefined) {
    if (current.suffix !== want.suffix) changes.set('container-suffix', want.suffix);
    // The operator refuses a suffix when ubi-only is set at all, even to false: the key goes.
    if (current.ubiOnly || (current.ubiOnlySet && want.suffix !== '')) changes.set('ubi-only', null);
  }
  return changes;
}

const SAFE_VALUE = /^[A-Za-z0-9_.\/:@-]+$/;

function printValue(value: string): string {
  return SAFE_VALUE.test(value) && !value.startsWith('-') ? value : JSON.stringify(value);
}

interface Line {
  readonly start: number;
  readonly end: number; // before the line break
  readonly next: number; // after the line break
}

function linesIn(text: string, from: number, to: number): Line[] {
  const lines: Line[] = [];
  let at = from;
  while (at < to) {
    const newline = text.indexOf('\n', at);
    const next = newline < 0 || newline >= to ? to : newline + 1;
    let end = newline < 0 || newline >= to ? to : newline;
    if (end > at && text[end - 1] === '\r') end--;
    lines.push({ start: at, end, next });
    at = next;
  }
  return lines;
}

/** Edits to a literal block scalar, line by line; undefined when its layout is not a plain list of keys. */
function literalBlockEdits(text: string, node: Scalar, changes: OperatorConfigChanges): TextEdit[] | undefined {
  const [start, end] = node.range!;
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return undefined;
  const lines = linesIn(text, headerEnd + 1, end).filter((l) => l.end > l.start && text.slice(l.start, l.end).trim() !== '');
  if (lines.length === 0) return undefined;
  const indent = /^[ ]*/.exec(text.slice(lines[0]!.start, lines[0]!.end))![0];
  const eol = lineBreakOf(text);
  const keyLine = (key: string): Line | undefined =>
    lines.find((l) => text.startsWith(`${indent}${key}:`, l.start) && /^[ \t]|^$/.test(text.slice(l.start + indent.length + key.length + 1, l.end)));
  const edits: TextEdit[] = [];
  const inserted: string[] = [];
  for (const [key, value] of changes) {
    const line = keyLine(key);
    if (value === null) {
      if (line) edits.push({ start: line.start, end: line.next, text: '' });
      continue;
    }
    if (line) {
      const valueStart = line.start + indent.length + key.length + 1;
      const rest = text.slice(valueStart, line.end);
      const comment = /\s#.*$/.exec(rest);
      const valueEnd = comment ? valueStart + comment.index : line.end;
      edits.push({ start: valueStart, end: valueEnd, text: ` ${printValue(value)}` });
    } else {
      inserted.push(`${indent}${key}: ${printValue(value)}`);
    }
  }
  if (inserted.length > 0) {
    const after = keyLine('container-registry') ?? lines[lines.length - 1]!;
    const atEnd = after.next === after.end; // the block's last line has no line break of its own
    edits.push(
      atEnd
        ? { start: after.end, end: after.end, text: inserted.map((l) => eol + l).join('') }
        : { start: after.next, end: after.next, text: inserted.map((l) => l + eol).join('') },
    );
  }
  return edits;
}

/** Re-writes the configuration through the YAML library, for values that are not literal blocks. */
function rewrittenConfig(configText: string, changes: OperatorConfigChanges): string {
  const doc = parseDocument(configText);
  for (const [key, value] of changes) {
    if (value === null) doc.delete(key);
    else doc.set(key, key === 'ubi-only' ? value === 'true' : value);
  }
  return String(doc);
}

/** The edits that make an operator ConfigMap's `eck.yaml` say what `changes` says. */
export function operatorConfigEdits(text: string, node: Scalar, changes: OperatorConfigChanges): TextEdit[] {
  if (changes.size === 0) return [];
  if (node.type === 'BLOCK_LITERAL') {
    const edits = literalBlockEdits(text, node, changes);
    if (edits) return edits;
  }
  return [replaceScalar(text, node, rewrittenConfig(String(node.value), changes))];
}
