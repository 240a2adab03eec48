/**
 * Splits a multi-document YAML stream into segments without parsing it.
 *
 * A document marker (`---`) is only ever recognised at column 0 followed by a blank, a line end or the end of the
 * stream; YAML forbids such a line inside any scalar, so a scan for line starts is exact. Segments cover the stream
 * completely and in order: joining their texts gives the input back, byte for byte. A segment starts at its `---`
 * line (or the stream start), or at the `%` directive lines that directly precede that line.
 */
export interface Segment {
  /** Offset of the segment's first character in the stream. */
  readonly start: number;
  /** Offset one past its last character. */
  readonly end: number;
}

function isMarkerEnd(text: string, at: number): boolean {
  const next = text.charCodeAt(at);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}

/**
 * Offset where the run of `%` directive lines (and comments/blank lines between them) before `lineStart` begins.
 * YAML allows directives only at the start of the stream or after a document end (`...`); a `%` line anywhere
 * else stays in the document it is written in (which, if render reads it, is then rejected as malformed).
 */
function directivesBefore(text: string, lineStart: number): number {
  let start = lineStart;
  let sawDirective = false;
  let afterDocumentEnd = false;
  while (start > 0) {
    const previous = start >= 2 ? text.lastIndexOf('\n', start - 2) + 1 : 0; // lastIndexOf(…, -1) would find offset 0 again
    const line = text.slice(previous, start);
    if (line.startsWith('%')) sawDirective = true;
    else if (!(line.startsWith('#') || line.trim() === '')) {
      afterDocumentEnd = line.startsWith('...') && isMarkerEnd(line, 3);
      break;
    }
    start = previous;
  }
  if (!sawDirective || (start > 0 && !afterDocumentEnd)) return lineStart;
  // Skip back over leading comments/blank lines so the segment starts at the first directive.
  while (start < lineStart && text.charCodeAt(start) !== 37) start = text.indexOf('\n', start) + 1;
  return start;
}

export function splitDocuments(text: string): Segment[] {
  if (text.length === 0) return [];
  const starts: number[] = [0];
  const hasDirectives = text.includes('\n%');
  for (let at = text.indexOf('\n---'); at >= 0; at = text.indexOf('\n---', at + 4)) {
    const lineStart = at + 1;
    if (!isMarkerEnd(text, lineStart + 3)) continue;
    const start = hasDirectives ? directivesBefore(text, lineStart) : lineStart;
    if (start > starts[starts.length - 1]!) starts.push(start);
  }
  starts.push(text.length);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < starts.length; i++) segments.push({ start: starts[i]!, end: starts[i + 1]! });
  return segments;
}

/** 1-based line number of an offset (for messages: counted only when one is printed). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
