/** How messages name a document of the stream: its number, the chart template it came from, the file it was read from. */

export interface DocumentLabel {
  /** 1-based number of the document in the stream. */
  readonly number: number;
  /** 1-based line of the document's first line in the stream. */
  readonly line: number;
  /** The chart template it came from (`# Source:` or Helm 4's postrender-filename annotation). */
  readonly source?: string | undefined;
  /** The file it was read from, when not stdin. */
  readonly file?: string | undefined;
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
