/**
 * Splits a multi-document YAML stream into segments without parsing it.
 *
 * A document marker (`---`) or a document end (`...`) is only ever recognised at column 0 followed by a blank,
 * a line end or the end of the stream; YAML forbids such a line inside any scalar, so a line scan is exact.
 * Segments cover the stream completely and in order: joining their texts gives the input back, byte for byte.
 * A segment starts at its `---` line (or the stream start), or at the `%` directives that precede that line.
 */
export interface Segment {
  /** Offset of the segment's first character in the stream. */
  readonly start: number;
  /** Offset one past its last character. */
  readonly end: number;
  /** 1-based line number of its first line in the stream. */
  readonly line: number;
}

function isMarkerAt(text: string, at: number, char: '-' | '.'): boolean {
  if (text.charCodeAt(at) !== char.charCodeAt(0)) return false;
  if (text[at + 1] !== char || text[at + 2] !== char) return false;
  const next = text[at + 3];
  return next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
}

/** Offsets of every line start in `text` at which a new segment begins (excluding 0). */
function segmentStarts(text: string): number[] {
  const starts: number[] = [];
  // Start of the run of `%` directive lines (after a `...` line or a previous document) awaiting a `---`.
  let directiveRun = -1;
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline + 1;
    const c = text.charCodeAt(lineStart);
    if (c === 45 /* - */ && isMarkerAt(text, lineStart, '-')) {
      const at = directiveRun >= 0 ? directiveRun : lineStart;
      if (at !== 0) starts.push(at);
      directiveRun = -1;
    } else if (c === 37 /* % */) {
      if (directiveRun < 0) directiveRun = lineStart;
    } else if (directiveRun >= 0 && c !== 35 /* # */ && !isBlankLine(text, lineStart, lineEnd)) {
      directiveRun = -1;
    }
    lineStart = lineEnd;
  }
  return starts;
}

function isBlankLine(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function splitDocuments(text: string): Segment[] {
  if (text.length === 0) return [];
  const bounds = [0, ...segmentStarts(text), text.length];
  const segments: Segment[] = [];
  let line = 1;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i]!;
    const end = bounds[i + 1]!;
    segments.push({ start, end, line });
    line += countLines(text, start, end);
  }
  return segments;
}
