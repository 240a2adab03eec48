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
    candidates.push({ index: segments.length - 1, text, label });
  }
  return { segments, candidates };
}

/** A stream's segments, and the documents among them render has to read. */
export interface ScannedStream {
  readonly segments: string[];
  readonly candidates: Candidate[];
}

/** A stream's text again, with the segments as they are now. */
export function joinStream(segments: readonly string[]): string {
  return segments.join('');
}

/** Several files form one stream: a file that does not end with a line break gets one before the next file's text. */
export function joinFiles(outputs: readonly string[]): string {
  let out = '';
  for (const text of outputs) {
    if (text.length === 0) continue;
    if (out.length > 0) {
      if (!out.endsWith('\n')) out += '\n';
      if (!/^(?:\uFEFF)?---(?:[ \t\r\n]|$)/.test(text)) out += '---\n';
    }
    out += text;
  }
  return out;
}
