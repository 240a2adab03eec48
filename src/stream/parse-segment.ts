/** Parses one document of the stream, turning YAML errors into messages that name the document, line and column. */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { composeBlockSubset } from '../yaml/compose-block-subset.js';
import { InputError } from '../errors.js';

import { labelText, type DocumentLabel } from './document-label.js';

export { labelText, sourceOf, type DocumentLabel } from './document-label.js';

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Characters YAML does not allow anywhere in a stream (outside its printable set), e.g. a NUL byte. */
const NOT_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;

/**
 * One pass over the composed document: finds a key written twice in the same mapping (yaml's own `uniqueKeys`
 * check compares every key with every other, quadratic in a mapping's size), and flattens string values.
 * yaml builds double-quoted strings (Helm 4 re-quotes every value that way) one character at a time, as V8 rope
 * strings that weigh ~30 bytes a character until first read; reading one character flattens them in place, so
 * the documents kept until the whole stream is planned stay close to the size of their text.
 */
function duplicateKeyAt(doc: Document): { offset: number; key: string; alias?: boolean } | undefined {
  const pending: unknown[] = [doc.contents];
  /** First offset of each anchor, and every alias: an alias must follow an anchor of its name. */
  const anchors = new Map<string, number>();
  const aliases: { name: string; offset: number }[] = [];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isAlias(node)) {
      aliases.push({ name: node.source, offset: node.range?.[0] ?? 0 });
      continue;
    }
    const anchor = (node as { anchor?: string } | null | undefined)?.anchor;
    if (anchor) {
      const at = (node as { range?: [number, number, number] }).range?.[0] ?? 0;
      anchors.set(anchor, Math.min(at, anchors.get(anchor) ?? Infinity));
    }
    if (isScalar(node)) {
      if (typeof node.value === 'string') node.value.charCodeAt(0);
    } else if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        // The same equality as yaml's uniqueKeys: identical scalar values (NaN never equals itself).
        if (isScalar(key) && !(typeof key.value === 'number' && Number.isNaN(key.value))) {
          if (seen.has(key.value)) return { offset: key.range?.[0] ?? 0, key: String(key.source ?? key.value) };
          seen.add(key.value);
        }
        pending.push(key, pair.value);
      }
    } else if (isSeq(node)) {
      pending.push(...node.items);
    } else if (isPair(node)) {
      pending.push(node.key, node.value);
    }
  }
  // yaml leaves an alias to an anchor defined later (or nowhere) unresolved without an error; YAML, and the Go
  // reader Kubernetes uses, reject it. Unresolved, it would read as no value at all (a `kind` nobody sees).
  for (const alias of aliases) {
    if (!((anchors.get(alias.name) ?? Infinity) < alias.offset))
      return { offset: alias.offset, key: alias.name, alias: true };
  }
  return undefined;
}

function stackExhausted(message: string): boolean {
  return /Maximum call stack size exceeded|too much recursion/i.test(message);
}

export function parseSegment(text: string, label: DocumentLabel): Document {
  const control = NOT_PRINTABLE.exec(text);
  if (control) {
    const { line, column } = lineColumn(text, control.index);
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new InputError(
      `${labelText(label)}, line ${label.line + line}, column ${column}: contains the control character U+${code}, which YAML does not allow.`,
    );
  }
  // Plain block YAML, as Helm prints it, is composed by the fast reader; anything else by the yaml library.
  const fast = composeBlockSubset(text);
  if (fast) {
    const composed = new Document();
    composed.contents = fast;
    return composed;
  }
  let doc: Document;
  try {
    doc = parseDocument(text, { merge: true, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new InputError(`${labelText(label)}, line ${label.line}: nested too deeply to read.`);
    }
    throw error;
  }
  const problem = doc.errors[0];
  if (problem) {
    const { line, column } = lineColumn(text, problem.pos[0]);
    if (stackExhausted(problem.message)) {
      throw new InputError(
        `${labelText(label)}, line ${label.line + line}, column ${column}: nested too deeply to read.`,
      );
    }
    const what = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(`${labelText(label)}, line ${label.line + line}, column ${column}: malformed YAML: ${what}.`);
  }
  const duplicate = duplicateKeyAt(doc);
  if (duplicate) {
    const { line, column } = lineColumn(text, duplicate.offset);
    throw new InputError(
      duplicate.alias
        ? `${labelText(label)}, line ${label.line + line}, column ${column}: malformed YAML: the alias *${duplicate.key} has no anchor &${duplicate.key} before it.`
        : `${labelText(label)}, line ${label.line + line}, column ${column}: malformed YAML: the key "${duplicate.key}" appears twice in the same mapping.`,
    );
  }
  return doc;
}
