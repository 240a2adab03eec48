/**
 * Decides cheaply, from the raw text of a document, whether render has to read it at all.
 *
 * Only Elastic resources, plain workloads, `kind: List` and the operator ConfigMap can need a change; the bulk of a
 * chart's output (CRDs, RBAC, Services, Secrets, webhooks) cannot, and is passed on as bytes without being parsed.
 * The test is conservative: whenever the text is not an ordinary block mapping whose top-level `kind:` line names
 * an inert kind, the document is parsed and decided on its real content.
 */
import { ELASTIC_KINDS } from '../eck/kinds.js';
import { isWorkloadKind } from '../sites/workload-kinds.js';

export type Verdict = 'empty' | 'inert' | 'read';

const TOP_LEVEL_KIND = /^kind:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#'"][^\s#]*))[ \t]*(?:#[^\n]*)?\r?$/gm;
const ELASTIC_KIND_NAMES = new Set(ELASTIC_KINDS.map((k) => k.kind));

/** Kinds that may need a change (the group is checked after parsing). */
export function mayNeedChange(kind: string, text: string): boolean {
  if (ELASTIC_KIND_NAMES.has(kind) || isWorkloadKind(kind) || kind === 'List' || kind.endsWith('List')) return true;
  return kind === 'ConfigMap' && text.includes('eck.yaml');
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
    } else if ((c === 45 || c === 46) && text.startsWith(c === 45 ? '---' : '...', i) && /^[\s]?$/.test(text[i + 3] ?? '')) {
      i += 3;
    } else {
      return i;
    }
  }
  return -1;
}

export function classify(text: string): Verdict {
  const first = firstContent(text);
  if (first < 0) return 'empty';
  // Escapes could spell a key in a way the line scan would miss; such documents are read for real.
  if (text.includes('\\u') || text.includes('\\x') || text.includes('\\U')) return 'read';
  const c = text[first]!;
  // Only an ordinary block mapping that starts at column 0 can be decided by its `kind:` line.
  if (c === '{' || c === '[' || c === '"' || c === "'" || c === '!' || c === '&' || c === '*' || c === '?' || c === '|' || c === '>') {
    return 'read';
  }
  if (first > 0 && text[first - 1] !== '\n' && text[first - 1] !== '\uFEFF') return 'read';
  TOP_LEVEL_KIND.lastIndex = 0;
  const match = TOP_LEVEL_KIND.exec(text);
  if (!match) return 'read';
  if (TOP_LEVEL_KIND.exec(text)) return 'read';
  const kind = match[1] ?? match[2] ?? match[3] ?? '';
  return mayNeedChange(kind, text) ? 'read' : 'inert';
}
