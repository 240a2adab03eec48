/**
 * Text from skopeo, registries and carried records, made safe for a terminal: control characters (ESC, CR, BEL,
 * C1, DEL; and line breaks unless kept) are shown escaped (`\x1b`), so no escape sequence runs and no forged line
 * appears. (The verify side has its own in src/text/escape.ts on branch h21-verify; one may replace the other.)
 */
export function escapeControls(text: string, keepNewlines = false): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (keepNewlines && c === '\n') return c;
    const code = c.codePointAt(0)!;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Decodes a Go-quoted string body (logrus `msg="…"`: `\n`, `\t`, `\"`, `\\`, `\xNN`, `\uNNNN`, `\UNNNNNNNN`). */
export function unquoteGo(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'x':
      case 'u':
      case 'U': {
        const code = Number.parseInt(e.slice(1), 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
      }
      default:
        return /^[0-7]{3}$/.test(e) ? String.fromCharCode(Number.parseInt(e, 8)) : e;
    }
  });
}
