/** Where lines start and end, what they are indented by, and which line break a document uses. */

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Column (0-based) of an offset. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** The offset just past the line break of the line holding `offset - 1`: where a new line after that text goes. */
export function afterLineOf(text: string, endOffset: number): { at: number; needsBreak: boolean } {
  // A node's range can end past the indentation of the line after it (`yaml` counts it in); that line is not
  // the node's: step back over it, so the new line goes before it. A line of nothing but spaces is different: it
  // belongs to the node (a block scalar keeps it), so the new line goes after it.
  let end = endOffset;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  const rest = text[endOffset];
  const indentsContent = rest !== undefined && rest !== '\n' && rest !== '\r';
  if (end > 0 && text[end - 1] === '\n' && (end === endOffset || indentsContent)) return { at: end, needsBreak: false };
  const newline = text.indexOf('\n', endOffset);
  if (newline < 0) return { at: text.length, needsBreak: true };
  return { at: newline + 1, needsBreak: false };
}

/** The line break a document uses (`\r\n` when its first line ends with one). */
export function lineBreakOf(text: string): string {
  const newline = text.indexOf('\n');
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}
