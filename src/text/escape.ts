/**
 * Text a registry (or any other party eck-airgap does not control) provided, made safe to print: control
 * characters (C0, DEL, C1, and the Unicode line and paragraph separators and bidirectional overrides) are written
 * as escapes, so a status, a digest or an error body cannot move the cursor, colour the terminal, or start a new
 * line that looks like eck-airgap's own ("all 6 images present"). Printable text, including non-ASCII letters,
 * is kept as it is.
 *
 * JSON output keeps the values themselves: `safeJson` writes what JSON.stringify leaves raw (DEL, C1, the
 * separators, bidi controls) as `\uNNNN` escapes, which a JSON reader turns back into the same string.
 */

// C0 controls, DEL, C1 controls, U+2028/U+2029, bidi embeddings/overrides/isolates, BOM
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character escaped (`\n`, `\r`, `\t`, `\e`, `\xNN`, `\uNNNN`). */
export function escapeControl(text: string): string {
  if (!UNSAFE.test(text)) {
    UNSAFE.lastIndex = 0;
    return text;
  }
  UNSAFE.lastIndex = 0;
  return text.replace(UNSAFE, escapeChar);
}

/** True when `text` holds nothing escapeControl would change. */
export function isPrintable(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return !found;
}

/** A value cut to `max` characters (with `…`) and escaped: for registry error bodies quoted in a message. */
export function quoteRemote(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return escapeControl(cut);
}

const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** JSON.stringify(value, null, indent) with no raw control character left in it (same value when parsed). */
export function safeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(
    RAW_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
