/**
 * The first half of the release reader, which needs no YAML parser: split the stream at its `---` lines and
 * classify each document from its raw text. Documents that cannot change pass on as bytes; when none can change,
 * the parser is never even loaded (see commands/render.ts).
 */
import { sourceOf, type DocumentLabel } from './document-label.js';
import { classify } from './classify.js';
import { lineAt, splitDocuments } from './split-documents.js';

export interface RenderInput {
  readonly text: string;
  /** The file the text came from (for messages); undefined for stdin. */
  readonly file?: string;
}

/** A document render has to read, not parsed yet. */
export interface Candidate {
  /** Its position among the stream's segments. */
  readonly index: number;
  readonly text: string;
  readonly label: DocumentLabel;
  /** A ConfigMap or Secret read only for the operator's settings: passed on as it came when it does not parse. */
  readonly settingsOnly?: boolean;
}

/** The segments of a stream (joined, they give it back) and the documents among them render has to read. */
export function scanStream(input: RenderInput): { segments: string[]; candidates: Candidate[] } {
  const segments: string[] = [];
  const candidates: Candidate[] = [];
  let number = 0;
  for (const segment of splitDocuments(input.text)) {
    const text = input.text.slice(segment.start, segment.end);
    segments.push(text);
    const verdict = classify(text);
    if (verdict === 'empty') continue;
    number++;
    if (verdict === 'inert') continue;
    const { text: stream } = input;
    const label: DocumentLabel = {
      number,
      // Counted only when a message needs it: most documents stand thousands of lines into the stream.
      get line() {
        return lineAt(stream, segment.start);
      },
      source: sourceOf(text),
      file: input.file,
    };
    candidates.push({
      index: segments.length - 1,
      text,
      label,
      ...(verdict === 'settings' ? { settingsOnly: true } : {}),
    });
  }
  return { segments, candidates };
}

/** A stream's segments, and the documents among them render has to read. */
export interface ScannedStream {
  readonly segments: string[];
  readonly candidates: Candidate[];
}

/**
 * Several files form one stream: a file that does not end with a line break gets one before the next file's text,
 * and a `---` unless the next file starts with one. Works on the files' segments and returns the stream as parts
 * (joined, they give the text): a large stream is written from its parts without ever being one string.
 */
export function joinFileParts(files: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  let lastChar = '';
  for (const parts of files) {
    const head = leading(parts, 8);
    if (head.length === 0) continue;
    if (out.length > 0) {
      if (lastChar !== '\n') out.push('\n');
      if (!/^(?:\uFEFF)?---(?:[ \t\r\n]|$)/.test(head)) out.push('---\n');
    }
    for (const part of parts) {
      if (part.length === 0) continue;
      out.push(part);
      lastChar = part[part.length - 1]!;
    }
  }
  return out;
}

/** The first `n` characters of the parts' text (fewer when the text is shorter). */
function leading(parts: readonly string[], n: number): string {
  let head = '';
  for (const part of parts) {
    if (head.length >= n) break;
    head += part.slice(0, n - head.length);
  }
  return head;
}
