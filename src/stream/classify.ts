/**
 * Decides cheaply, from the raw text of a document, whether render has to read it at all.
 *
 * Only Elastic resources, plain workloads, `kind: List`, ConfigMaps and Secrets (the operator's settings) can need a change; the bulk of a
 * chart's output (CRDs, RBAC, Services, Secrets, webhooks) cannot, and is passed on as bytes without being parsed.
 * The test is conservative: whenever the text is not an ordinary block mapping whose top-level `kind:` line names
 * an inert kind, the document is parsed and decided on its real content.
 */
import { ELASTIC_KINDS } from '../eck/kinds.js';
import { isWorkloadKind } from '../sites/workload-kinds.js';

/**
 * `settings`: a ConfigMap or Secret, read because the operator may take its settings from it; one that does not
 * parse is passed on as it came (the operator cannot read it either).
 */
export type Verdict = 'empty' | 'inert' | 'read' | 'settings';

/**
 * A line at column 0 that the classifier understands: a plain key made of name characters, directly followed by
 * `:` and a blank or the line end. Any other line starting at column 0 (a quoted, tagged, anchored, aliased or
 * explicit `?` key, a flow collection, a tab, a document end `...`) could spell `kind` in a way a line scan
 * cannot see, so the document is read.
 */
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.\/-]*:(?:[ \t]|\r?$)/;
/** The one `kind` line an inert document may have: a name, plain or quoted, then at most a comment. */
const KIND_LINE =
  /^kind:[ \t]+(?:"([A-Za-z][A-Za-z0-9]*)"|'([A-Za-z][A-Za-z0-9]*)'|([A-Za-z][A-Za-z0-9]*))[ \t]*(?:#[^\n]*)?\r?$/;
/**
 * Every line that starts at column 0 with something other than a blank, a line break or a comment. A line starting
 * with a tab is content of something above it or invalid indentation, which every YAML reader (Kubernetes' too)
 * refuses: it cannot be a top-level key.
 */
const COLUMN_ZERO = /^[^ \t\r\n#][^\n]*/gm;
const ELASTIC_KIND_NAMES = new Set(ELASTIC_KINDS.map((k) => k.kind));

/** Kinds that may need a change (the group is checked after parsing). */
export function mayNeedChange(kind: string, text: string): boolean {
  if (ELASTIC_KIND_NAMES.has(kind) || isWorkloadKind(kind) || kind === 'List' || kind.endsWith('List')) return true;
  // The operator may read its settings from any ConfigMap or Secret (a --config file, envFrom, valueFrom).
  void text;
  return isSettingsKind(kind);
}

/** ConfigMap and Secret: where the operator may read its settings from. */
export function isSettingsKind(kind: string): boolean {
  return kind === 'ConfigMap' || kind === 'Secret';
}

/**
 * The first significant character of a document: past a BOM, blank lines, comments, directives and markers.
 * Returns the offset, or -1 when there is none (an empty document).
 */
export function firstContent(text: string): number {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
    } else if (c === 35 /* # */ || c === 37 /* % */) {
      const newline = text.indexOf('\n', i);
      if (newline < 0) return -1;
      i = newline + 1;
    } else if (
      (c === 45 || c === 46) &&
      text.startsWith(c === 45 ? '---' : '...', i) &&
      /^[\s]?$/.test(text[i + 3] ?? '')
    ) {
      i += 3;
    } else {
      return i;
    }
  }
  return -1;
}

/**
 * True when the lines after the `kind` line (ending at `from`) start a new top-level entry: blank lines and
 * comments at column 0 may come first. An indented line would continue the value (a multi-line plain scalar).
 */
function kindValueEnds(text: string, from: number): boolean {
  let at = from;
  while (at < text.length) {
    const newline = text.indexOf('\n', at);
    const line = text.slice(at, newline < 0 ? text.length : newline);
    if (line.trim() !== '' && line[0] !== '#') return line[0] !== ' ' && line[0] !== '\t';
    if (newline < 0) break;
    at = newline + 1;
  }
  return true;
}

/**
 * `inert` only when the document is, with certainty, a block mapping at column 0 whose keys at column 0 are all
 * plain names and whose single `kind` key has a plain or quoted name as its value, complete on its line. Whatever
 * else may be YAML (block scalars, tags, anchors, aliases, flow or quoted keys, escapes, a second document after
 * `...`) is left to the parser: `read`.
 */
export function classify(text: string): Verdict {
  const first = firstContent(text);
  if (first < 0) return 'empty';
  // Escapes could spell a key in a way the line scan would miss; such documents are read for real.
  if (text.includes('\\u') || text.includes('\\x') || text.includes('\\U')) return 'read';
  // Only an ordinary block mapping that starts at column 0 can be decided by its `kind:` line.
  // (A byte order mark before it is rare enough to leave to the parser too.)
  if (first > 0 && text[first - 1] !== '\n') return 'read';
  let kind: string | undefined;
  let kindEnd = 0;
  COLUMN_ZERO.lastIndex = first;
  for (let match = COLUMN_ZERO.exec(text); match; match = COLUMN_ZERO.exec(text)) {
    const line = match[0];
    const at = match.index;
    if (line.startsWith('- ') || line === '-' || line === '-\r') {
      if (at === first) return 'read'; // a sequence, not a mapping
      continue; // an entry of a top-level key's sequence
    }
    if (!PLAIN_KEY.test(line)) return 'read';
    if (!line.startsWith('kind:')) continue;
    if (kind !== undefined) return 'read'; // two kind lines
    const value = KIND_LINE.exec(line);
    if (!value) return 'read';
    kind = value[1] ?? value[2] ?? value[3] ?? '';
    kindEnd = at + line.length + 1;
  }
  if (kind === undefined) return 'read';
  if (!kindValueEnds(text, kindEnd)) return 'read';
  if (isSettingsKind(kind)) return 'settings';
  return mayNeedChange(kind, text) ? 'read' : 'inert';
}
