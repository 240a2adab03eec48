import { escapeControl } from '../text/escape.js';

/**
 * Text from skopeo and carried records, made safe for a terminal with src/text/escape.ts (no escape sequence runs,
 * no forged line appears); line breaks are kept when asked, so skopeo's multi-line messages read as lines.
 */
export function escapeControls(text: string, keepNewlines = false): string {
  return keepNewlines ? text.split('\n').map(escapeControl).join('\n') : escapeControl(text);
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
