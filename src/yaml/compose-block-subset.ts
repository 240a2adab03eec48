/**
 * A fast composer for the plain block YAML that Helm and kubectl print, producing the same nodes (values, styles and
 * source ranges) as the `yaml` library. It reads block mappings and sequences, plain and single-line quoted scalars,
 * literal and folded block scalars and single-line flow collections; on anything else — anchors, aliases, tags, merge
 * keys, multi-line flow scalars, tabs, explicit keys, directives, duplicate keys, a document that is not a mapping —
 * it returns undefined and the caller asks the `yaml` library, which stays the authority on YAML. Tests compare both
 * on every fixture document and on fuzzed ones.
 *
 * Why: the library reads 2–3 MB/s, and a 20,000-document stream has ~12,000 documents render must read.
 */
import {
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  Pair,
  parse,
  parseDocument,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type Node,
} from 'yaml';

type Range = [number, number, number];

/** Thrown (not an Error: no stack to capture) when the document is not of the kind this composer reads. */
const UNSUPPORTED = Symbol('unsupported');

const bail = (): never => {
  throw UNSUPPORTED;
};

interface Line {
  /** Offset of the line's first character. */
  readonly start: number;
  /** Offset of its first non-space character (== end for a blank line). */
  readonly content: number;
  /** Offset of its end, before `\r\n` or `\n`. */
  readonly end: number;
  /** Offset after its line break (the next line's start, or the text's end). */
  readonly next: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const next = newline < 0 ? text.length : newline + 1;
    let end = newline < 0 ? text.length : newline;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    let content = start;
    while (content < end && text.charCodeAt(content) === 32) content++;
    if (content < end && text.charCodeAt(content) === 9) bail();
    lines.push({ start, content, end, next });
    start = next;
  }
  return lines;
}

const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** The value of a plain scalar under the YAML 1.2 core schema, as the `yaml` library resolves it. */
function resolvePlain(source: string): unknown {
  const c = source.charCodeAt(0);
  // Fast path: most plain scalars start with a letter other than the few that begin null/true/false.
  if ((c >= 97 && c <= 122 && c !== 110 && c !== 116 && c !== 102) || c === 47) return source;
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === 't' || source[0] === 'T';
  if (OCT.test(source)) return parseInt(source.slice(2), 8);
  if (HEX.test(source)) return parseInt(source.slice(2), 16);
  if (INT.test(source) || FLOAT.test(source)) return Number(source);
  if (SPECIAL_FLOAT.test(source))
    return source.endsWith('nan') || source.endsWith('NaN') || source.endsWith('NAN')
      ? NaN
      : source[0] === '-'
        ? -Infinity
        : Infinity;
  return source;
}

function scalar(value: unknown, type: Scalar.Type, source: string | undefined, range: Range): Scalar {
  const node = new Scalar(value);
  node.type = type;
  if (source !== undefined) node.source = source;
  node.range = range;
  return node;
}

/** Characters that cannot start a plain scalar (or start one only when followed by a non-space). */
function plainCanStart(text: string, at: number, end: number): boolean {
  const c = text[at];
  switch (c) {
    case '[':
    case ']':
    case '{':
    case '}':
    case ',':
    case '#':
    case '&':
    case '*':
    case '!':
    case '|':
    case '>':
    case "'":
    case '"':
    case '%':
    case '@':
    case '`':
      return false;
    case '-':
    case '?':
    case ':': {
      const next = at + 1 < end ? text[at + 1] : ' ';
      return next !== ' ';
    }
    default:
      return true;
  }
}

/** End of a plain scalar starting at `at` on this line: before ` #`, or before `: `/`:` at line end when a key. */
function plainEnd(text: string, at: number, end: number, asKey: boolean): number {
  let i = at;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */ && text.charCodeAt(i - 1) === 32) break;
    if (c === 58 /* : */ && (i + 1 === end || text.charCodeAt(i + 1) === 32)) {
      if (asKey) break;
      bail(); // `a: b: c` is an error the library reports
    }
    i++;
  }
  while (i > at && text.charCodeAt(i - 1) === 32) i--;
  return i;
}

/** After a value on a line: only spaces and a comment may follow. */
function expectLineEnd(text: string, at: number, end: number): void {
  let i = at;
  while (i < end && text.charCodeAt(i) === 32) i++;
  if (i < end && !(text.charCodeAt(i) === 35 && i > at)) bail();
}

/** Deeper documents are left to the library (which says they are nested too deeply, rather than overflowing). */
const MAX_DEPTH = 200;

class Composer {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly lines: readonly Line[],
  ) {}

  /** Index of the next line that holds content (not blank, not a comment), from `from`. */
  private nextContent(from: number): number {
    const { lines, text } = this;
    let k = from;
    while (k < lines.length) {
      const line = lines[k]!;
      if (line.content < line.end && text.charCodeAt(line.content) !== 35) return k;
      k++;
    }
    return k;
  }

  compose(): Node {
    const { lines, text } = this;
    let k = 0;
    // Prefix: blank lines, comments, and at most one `---` marker with nothing but a comment after it.
    let sawMarker = false;
    for (; k < lines.length; k++) {
      const line = lines[k]!;
      if (line.content === line.end || text.charCodeAt(line.content) === 35) continue;
      if (!sawMarker && line.content === line.start && text.startsWith('---', line.start)) {
        sawMarker = true;
        expectLineEnd(text, line.start + 3, line.end);
        if (line.start + 3 < line.end && text.charCodeAt(line.start + 3) !== 32) bail();
        continue;
      }
      break;
    }
    if (k >= lines.length) bail(); // an empty document: the library decides what it is
    const first = lines[k]!;
    if (first.content !== first.start) bail();
    this.i = k;
    const root = this.blockMap(first.start, 0);
    if (this.nextContent(this.i + 1) < lines.length) bail(); // `...`, a second root, or stray content
    return root;
  }

  /** A block mapping whose first key starts at offset `at` (column `column`) on line `this.i`. */
  private blockMap(at: number, column: number): YAMLMap {
    if (++this.depth > MAX_DEPTH) bail();
    const { lines, text } = this;
    const map = new YAMLMap();
    const seen = new Set<unknown>();
    let keyAt = at;
    for (;;) {
      const line = lines[this.i]!;
      const { node: key, colon } = this.key(keyAt, line.end);
      if (seen.has(key.value)) bail();
      seen.add(key.value);
      const value = this.valueAfter(colon + 1, line, column, 'map');
      this.takeTrailingComments(value, column);
      map.items.push(new Pair(key, value));
      const k = this.nextContent(this.i + 1);
      if (k >= lines.length) break;
      const nextLine = lines[k]!;
      const indent = nextLine.content - nextLine.start;
      if (indent < column) break;
      if (indent > column) bail();
      if (text.charCodeAt(nextLine.content) === 45 /* - */ && isSeqIndicator(text, nextLine.content, nextLine.end))
        break;
      this.i = k;
      keyAt = nextLine.content;
    }
    const last = map.items[map.items.length - 1]!;
    const end = (last.value as Node).range![2];
    map.range = [at, end, this.trailingComments(end, column)];
    this.depth--;
    return map;
  }

  /**
   * Where a node ending at `end` ends with the comments after it, as the library counts them: when the first comment
   * line after it is indented at least `minIndent`, every comment (and blank) line up to the next content line (its
   * start or its first character, as `upTo` says).
   */
  private trailingComments(end: number, minIndent: number, upTo: 'line' | 'content' = 'content'): number {
    const { lines, text } = this;
    let first = true;
    for (let k = this.i + 1; k < lines.length; k++) {
      const line = lines[k]!;
      if (line.start < end || line.content === line.end) continue;
      if (text.charCodeAt(line.content) !== 35) return first ? end : upTo === 'line' ? line.start : line.content;
      if (first && line.content - line.start < minIndent) return end;
      first = false;
    }
    return first ? end : text.length;
  }

  /** A one-line value (scalar or flow collection) owns the comment lines after it that are indented past `column`. */
  private takeTrailingComments(node: Node, column: number): void {
    const oneLine = isScalar(node)
      ? node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED' && node.value !== null
      : isCollection(node) && node.flow;
    // (A scalar's comments end where the next content line starts; a collection's, where its content starts.)
    if (oneLine)
      node.range = [node.range![0], node.range![1], this.trailingComments(node.range![2], column + 1, 'line')];
  }

  /** A block sequence whose first `-` is at offset `at` (column `column`) on line `this.i`. */
  private blockSeq(at: number, column: number): YAMLSeq {
    if (++this.depth > MAX_DEPTH) bail();
    const { lines, text } = this;
    const seq = new YAMLSeq();
    for (;;) {
      const line = lines[this.i]!;
      let itemAt = line.content + 1;
      while (itemAt < line.end && text.charCodeAt(itemAt) === 32) itemAt++;
      const item = this.valueAfter(line.content + 1, line, column, 'seq', itemAt);
      this.takeTrailingComments(item, column);
      seq.items.push(item);
      const k = this.nextContent(this.i + 1);
      if (k >= lines.length) break;
      const nextLine = lines[k]!;
      const indent = nextLine.content - nextLine.start;
      if (indent < column) break;
      if (indent > column || !isSeqIndicator(text, nextLine.content, nextLine.end)) {
        if (indent === column) break; // the next key of the mapping this sequence is a value of
        bail();
      }
      this.i = k;
    }
    const last = seq.items[seq.items.length - 1] as Node;
    const end = last.range![2];
    seq.range = [at, end, this.trailingComments(end, column)];
    this.depth--;
    return seq;
  }

  /** A mapping key (plain, or a quoted scalar on one line) and the offset of the `:` after it. */
  private key(at: number, end: number): { node: Scalar; colon: number } {
    const { text } = this;
    const c = text[at];
    let node: Scalar;
    let stop: number;
    if (c === '"' || c === "'") {
      node = this.quoted(at, end);
      stop = node.range![1];
    } else {
      if (c === '?' || text.startsWith('<<', at) || !plainCanStart(text, at, end)) bail();
      stop = plainEnd(text, at, end, true);
      if (stop === at) bail();
      const source = text.slice(at, stop);
      node = scalar(resolvePlain(source), 'PLAIN', source, [at, stop, stop]);
    }
    let colon = stop;
    while (colon < end && text.charCodeAt(colon) === 32) colon++;
    if (colon !== stop || text.charCodeAt(colon) !== 58) bail();
    return { node, colon };
  }

  /**
   * The value that follows an indicator (`key:` → `from` is after the colon; `-` → after the dash) on `line`:
   * inline on the same line, or a nested block collection on the lines below, or an empty (null) value.
   */
  private valueAfter(from: number, line: Line, column: number, parent: 'map' | 'seq', itemAt?: number): Node {
    const { text, lines } = this;
    let at = itemAt ?? from;
    if (parent === 'map') {
      if (at < line.end && text.charCodeAt(at) !== 32) bail(); // `key:value`
      while (at < line.end && text.charCodeAt(at) === 32) at++;
    }
    if (at >= line.end || text.charCodeAt(at) === 35) {
      // Nothing on this line: a nested collection below, or null.
      const k = this.nextContent(this.i + 1);
      if (k < lines.length) {
        const next = lines[k]!;
        const indent = next.content - next.start;
        const dash = isSeqIndicator(text, next.content, next.end);
        if (indent > column || (parent === 'map' && indent === column && dash)) {
          this.i = k;
          if (dash) return this.blockSeq(next.content, indent);
          if (this.isKeyAt(next.content, next.end)) return this.blockMap(next.content, indent);
          return this.inlineValue(next.content, next, column, parent); // a value alone on the next line
        }
      }
      // An empty value followed by comment lines: the library counts those comments in odd ways; leave it to it.
      if (k > this.i + 1 && this.hasCommentBetween(this.i + 1, k)) bail();
      // The library places an empty value where it would have started (after the spaces), through a comment.
      return scalar(null, 'PLAIN', '', [at, at, at < line.end ? line.next : at]);
    }
    if (parent === 'seq') {
      if (text[at] === '-' && isSeqIndicator(text, at, line.end)) bail(); // `- - x`
      if (this.isKeyAt(at, line.end)) return this.blockMap(at, at - line.start);
    }
    return this.inlineValue(at, line, column, parent);
  }

  private hasCommentBetween(from: number, to: number): boolean {
    for (let k = from; k < to; k++) {
      const line = this.lines[k]!;
      if (line.content < line.end && this.text.charCodeAt(line.content) === 35) return true;
    }
    return false;
  }

  /** A scalar, flow collection or block scalar starting at `at` on `line`. */
  private inlineValue(at: number, line: Line, column: number, parent: 'map' | 'seq'): Node {
    const { text } = this;
    switch (text[at]) {
      case '"':
      case "'": {
        const node = this.quoted(at, line.end);
        expectLineEnd(text, node.range![1], line.end);
        node.range = [at, node.range![1], line.next];
        return node;
      }
      case '{':
      case '[': {
        const node = this.flow(at, line);
        this.noContinuation(column, parent);
        return node;
      }
      case '|':
      case '>':
        return this.blockScalar(at, line, column);
      default: {
        if (!plainCanStart(text, at, line.end)) bail();
        const stop = plainEnd(text, at, line.end, false);
        this.noContinuation(column, parent);
        const source = text.slice(at, stop);
        return scalar(resolvePlain(source), 'PLAIN', source, [at, stop, line.next]);
      }
    }
  }

  /** A plain scalar that continues on more-indented lines is multi-line: the library's business. */
  private noContinuation(column: number, parent: 'map' | 'seq'): void {
    const { lines } = this;
    const k = this.nextContent(this.i + 1);
    if (k >= lines.length) return;
    const next = lines[k]!;
    const indent = next.content - next.start;
    if (indent > column + (parent === 'seq' ? 1 : 0)) bail();
  }

  /** True when a mapping entry (`key:`) starts at `at`. */
  private isKeyAt(at: number, end: number): boolean {
    const { text } = this;
    const c = text[at];
    if (c === '"' || c === "'") {
      const close = this.quoteEnd(at, end);
      if (close < 0) return false;
      let i = close;
      while (i < end && text.charCodeAt(i) === 32) i++;
      return text.charCodeAt(i) === 58 && (i + 1 === end || text.charCodeAt(i + 1) === 32);
    }
    if (!plainCanStart(text, at, end)) return false;
    for (let i = at; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 35 && text.charCodeAt(i - 1) === 32) return false;
      if (ch === 58 && (i + 1 === end || text.charCodeAt(i + 1) === 32)) return true;
    }
    return false;
  }

  /** Offset just past the closing quote of a quoted scalar starting at `at`, or -1 when it does not close on this line. */
  private quoteEnd(at: number, end: number): number {
    const { text } = this;
    const quote = text.charCodeAt(at);
    for (let i = at + 1; i < end; i++) {
      const c = text.charCodeAt(i);
      if (quote === 34 && c === 92 /* \ */) {
        i++;
      } else if (c === quote) {
        if (quote === 39 && text.charCodeAt(i + 1) === 39) {
          i++;
          continue;
        }
        return i + 1;
      }
    }
    return -1;
  }

  private quoted(at: number, end: number): Scalar {
    const { text } = this;
    const close = this.quoteEnd(at, end);
    if (close < 0) bail();
    const inner = text.slice(at + 1, close - 1);
    let value: string;
    if (text[at] === "'") {
      value = inner.includes("''") ? inner.replace(/''/g, "'") : inner;
      return scalar(value, 'QUOTE_SINGLE', value, [at, close, close]);
    }
    if (inner.includes('\\') || inner.includes('\t')) {
      try {
        value = JSON.parse(`"${inner}"`) as string;
      } catch {
        return bail();
      }
    } else {
      value = inner;
    }
    return scalar(value, 'QUOTE_DOUBLE', value, [at, close, close]);
  }

  /** A flow collection that opens and closes on this line, read by the library and moved to its offset. */
  private flow(at: number, line: Line): Node {
    const { text } = this;
    const open = text[at];
    let stop = line.end;
    const hash = text.indexOf(' #', at);
    if (hash >= 0 && hash < stop) stop = hash;
    while (stop > at && text.charCodeAt(stop - 1) === 32) stop--;
    const close = open === '{' ? '}' : ']';
    if (text[stop - 1] !== close) bail();
    if (stop - at === 2) {
      const node = open === '{' ? new YAMLMap() : new YAMLSeq();
      node.flow = true;
      node.range = [at, stop, line.next];
      return node;
    }
    if (open === '[') {
      const seq = this.plainFlowSeq(at, stop);
      if (seq) {
        seq.range = [at, stop, line.next];
        return seq;
      }
    }
    const snippet = text.slice(at, stop);
    if (/[&*!#]/.test(snippet) || snippet.includes('\n')) bail();
    const doc = parseDocument(snippet, { uniqueKeys: true });
    if (doc.errors.length > 0 || !isCollection(doc.contents)) bail();
    const node = doc.contents as YAMLMap | YAMLSeq;
    shift(node, at);
    node.range = [at, stop, line.next];
    return node;
  }

  /** `[a, b, c]` of plain scalars, read directly; undefined for anything else in brackets. */
  private plainFlowSeq(at: number, stop: number): YAMLSeq | undefined {
    const { text } = this;
    const inner = text.slice(at + 1, stop - 1);
    // Quotes, brackets, comments and `key: value` pairs are the library's; other indicators only matter where an
    // item starts (plainCanStart).
    if (/["'{}[\]]|:( |$)| #/.test(inner)) return undefined;
    const seq = new YAMLSeq();
    seq.flow = true;
    let from = at + 1;
    for (const part of inner.split(',')) {
      const to = from + part.length;
      let s = from;
      let e = to;
      while (s < e && text.charCodeAt(s) === 32) s++;
      while (e > s && text.charCodeAt(e - 1) === 32) e--;
      if (s === e || !plainCanStart(text, s, e) || text.slice(s, e).includes(' #')) return undefined;
      const source = text.slice(s, e);
      seq.items.push(scalar(resolvePlain(source), 'PLAIN', source, [s, e, to]));
      from = to + 1;
    }
    return seq;
  }

  /** A literal or folded block scalar (a folded one's value is read by the library, when first asked for). */
  private blockScalar(at: number, line: Line, column: number): Scalar {
    const { text, lines } = this;
    const header = text
      .slice(at, line.end)
      .replace(/\s+#.*$/, '')
      .trimEnd();
    if (!/^[|>]-?$/.test(header)) bail(); // keep (+) chomping and indentation indicators: the library's business
    let contentIndent = -1;
    let endLine = this.i;
    for (let k = this.i + 1; k < lines.length; k++) {
      const l = lines[k]!;
      if (l.content === l.end) continue; // blank (or spaces only): part of the scalar if content follows
      const indent = l.content - l.start;
      if (contentIndent < 0) {
        if (indent <= column) break;
        contentIndent = indent;
      } else if (indent < contentIndent) {
        if (indent > column) bail();
        break;
      }
      endLine = k;
    }
    if (contentIndent < 0) bail(); // an empty block scalar
    // Whitespace-only lines longer than the indentation carry spaces into the value (or, before the content, are an
    // error): the library's business. That includes those right after the content, which clip chomping keeps.
    for (let k = this.i + 1; k < lines.length; k++) {
      const l = lines[k]!;
      if (k > endLine && l.content < l.end) break;
      if (l.content === l.end && l.end - l.start > contentIndent) bail();
    }
    const end = lines[endLine]!.next;
    if (header[0] === '|') {
      // A literal block: its lines less the indentation, a final line break unless stripped (`|-`).
      const parts: string[] = [];
      for (let k = this.i + 1; k <= endLine; k++) {
        const l = lines[k]!;
        parts.push(l.content === l.end ? '' : text.slice(l.start + contentIndent, l.end));
      }
      const value = parts.join('\n') + (header === '|' ? '\n' : '');
      this.i = endLine;
      return scalar(value, 'BLOCK_LITERAL', value, [at, end, end]);
    }
    const node = scalar('', 'BLOCK_FOLDED', undefined, [at, end, end]);
    const source = `k: ${header}\n${text.slice(lines[this.i + 1]!.start, end)}`;
    let cached: unknown;
    let read = false;
    // Folding has more rules: the library folds the same lines when the value is first asked for.
    Object.defineProperty(node, 'value', {
      configurable: true,
      enumerable: true,
      get(): unknown {
        if (!read) {
          cached = (parse(source) as { k: unknown }).k;
          read = true;
        }
        return cached;
      },
      set(v: unknown) {
        cached = v;
        read = true;
      },
    });
    this.i = endLine;
    return node;
  }
}

function isSeqIndicator(text: string, at: number, end: number): boolean {
  return text.charCodeAt(at) === 45 && (at + 1 === end || text.charCodeAt(at + 1) === 32);
}

/** Moves every range of a node read from a snippet to the snippet's offset in the document. */
function shift(node: unknown, offset: number): void {
  if (isAlias(node)) bail();
  const n = node as Node;
  if ((isScalar(n) || isCollection(n)) && (n.anchor || n.tag)) bail();
  if (n.range) n.range = [n.range[0] + offset, n.range[1] + offset, n.range[2] + offset];
  if (isMap(n)) {
    for (const pair of n.items) {
      shift(pair.key, offset);
      if (pair.value !== null) shift(pair.value, offset);
    }
  } else if (isSeq(n)) {
    for (const item of n.items) shift(item, offset);
  }
}

/**
 * The root node of a document, composed without the `yaml` library's parser, or undefined when the document is not
 * plain block YAML of the kind this composer reads.
 */
export function composeBlockSubset(text: string): Node | undefined {
  if (text.includes('\t')) return undefined;
  try {
    return new Composer(text, splitLines(text)).compose();
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}
