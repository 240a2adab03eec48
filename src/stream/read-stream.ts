/**
 * The one release reader every command uses: split the stream at its `---` lines, classify each document from
 * its raw text, and parse (lazily, for render; all at once, for images and check) only the documents that can
 * hold an image, a pull-secret slot or the operator's settings. Unchanged documents are never parsed.
 */
import type { Document } from 'yaml';
import { InputError } from '../errors.js';
import { labelText, parseSegment, type DocumentLabel } from './parse-segment.js';
import { scanStream, type Candidate, type RenderInput } from './scan-stream.js';

export { scanStream, type Candidate, type RenderInput, type ScannedStream } from './scan-stream.js';

export interface Parsed {
  readonly index: number;
  readonly text: string;
  readonly doc: Document;
  readonly label: DocumentLabel;
}

export function parseCandidate(candidate: Candidate): Parsed {
  return { ...candidate, doc: parseSegment(candidate.text, candidate.label) };
}

/**
 * A candidate parsed; undefined for a ConfigMap or Secret read only for the operator's settings that does not parse
 * (passed on as it came, as before ConfigMaps and Secrets were read).
 */
export function parseIfReadable(candidate: Candidate): Parsed | undefined {
  if (!candidate.settingsOnly) return parseCandidate(candidate);
  try {
    return parseCandidate(candidate);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

/** Each segment of the stream, with the parsed document for those render has to read (all parsed at once). */
export function readStream(input: RenderInput): { segments: string[]; parsed: Parsed[] } {
  const { segments, candidates } = scanStream(input);
  return { segments, parsed: candidates.map(parseIfReadable).filter((p): p is Parsed => p !== undefined) };
}

/** A parsed document's label as messages write it. */
export { labelText };
