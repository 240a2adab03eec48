/** Parses one document of the stream, turning YAML errors into messages that name the document, line and column. */
import { parseDocument, type Document } from 'yaml';
import { InputError } from '../errors.js';

export interface DocumentLabel {
  /** 1-based number of the document in the stream. */
  readonly number: number;
  /** 1-based line of the document's first line in the stream. */
  readonly line: number;
  /** The chart template it came from (`# Source:` or Helm 4's postrender-filename annotation). */
  readonly source?: string;
  /** The file it was read from, when not stdin. */
  readonly file?: string;
}

const SOURCE_COMMENT = /^# Source: ([^\r\n]+)/m;
const POSTRENDER_FILENAME = /postrenderer\.helm\.sh\/postrender-filename['"]?:[ \t]*['"]?([^'"\r\n]+)/;

export function sourceOf(text: string): string | undefined {
  return (SOURCE_COMMENT.exec(text) ?? POSTRENDER_FILENAME.exec(text))?.[1]?.trim();
}

export function labelText(label: DocumentLabel): string {
  const file = label.file ? `${label.file}: ` : '';
  return `${file}document ${label.number}${label.source ? ` (${label.source})` : ''}`;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export function parseSegment(text: string, label: DocumentLabel): Document {
  let doc: Document;
  try {
    doc = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new InputError(`${labelText(label)}, line ${label.line}: nested too deeply to read.`);
    }
    throw error;
  }
  const problem = doc.errors[0];
  if (problem) {
    const { line, column } = lineColumn(text, problem.pos[0]);
    const what = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(`${labelText(label)}, line ${label.line + line}, column ${column}: malformed YAML: ${what}.`);
  }
  return doc;
}
