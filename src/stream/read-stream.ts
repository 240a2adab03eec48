/**
 * The one release reader every command uses: split the stream at its `---` lines, classify each document from
 * its raw text, and parse (lazily, for render; all at once, for images and check) only the documents that can
 * hold an image, a pull-secret slot or the operator's settings. Unchanged documents are never parsed.
 */
import type { Document } from 'yaml';
import { labelText, parseSegment, sourceOf, type DocumentLabel } from '../render/parse-segment.js';
import { classify } from './classify.js';
import { lineAt, splitDocuments } from './split-documents.js';

export interface RenderInput {
  readonly text: string;
  /** The file the text came from (for messages); undefined for stdin. */
  readonly file?: string;
}


export interface Parsed {
  readonly index: number;
  readonly text: string;
  readonly doc: Document;
  readonly label: DocumentLabel;
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

export function parseCandidate(candidate: Candidate): Parsed {
  return { ...candidate, doc: parseSegment(candidate.text, candidate.label) };
}

/** Each segment of the stream, with the parsed document for those render has to read (all parsed at once). */
export function readStream(input: RenderInput): { segments: string[]; parsed: Parsed[] } {
  const { segments, candidates } = scanStream(input);
  return { segments, parsed: candidates.map(parseCandidate) };
}

/** A parsed document's label as messages write it. */
export { labelText };
