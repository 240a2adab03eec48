/**
 * Minimal text edits: every change render makes is a splice into the original text of a document,
 * so that everything it does not change stays byte for byte as it came in.
 */
export interface TextEdit {
  /** Offset where the replaced text starts (inclusive). */
  readonly start: number;
  /** Offset where it ends (exclusive); equal to start for an insertion. */
  readonly end: number;
  readonly text: string;
}

/** Applies edits to a text; edits must not overlap (insertions at the same offset keep their order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return text;
  const sorted = edits
    .map((edit, order) => ({ edit, order }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.order - b.order);
  let out = '';
  let at = 0;
  for (const { edit } of sorted) {
    if (edit.start < at) throw new Error(`overlapping edits at offset ${edit.start}`);
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}
