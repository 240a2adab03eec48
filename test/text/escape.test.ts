// src/text/escape.ts: registry-provided text printed with control characters escaped (text), or kept as the same
// value with no raw control character in the JSON that carries it.
import { describe, expect, it } from 'vitest';
import { escapeControl, isPrintable, quoteRemote, safeJson } from '../../src/text/escape.js';

const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

describe('escapeControl', () => {
  it('escapes C0, ESC, DEL, C1, line separators and bidi controls; keeps printable text and non-ASCII letters', () => {
    expect(escapeControl('a\nb\r\tc')).toBe('a\\nb\\r\\tc');
    expect(escapeControl('\u001b[2J\u0007\u007f\u009b31m')).toBe('\\e[2J\\x07\\x7f\\x9b31m');
    expect(escapeControl('x\u2028y\u202ez\ufeff')).toBe('x\\u2028y\\u202ez\\ufeff');
    expect(escapeControl('my.registry/kibana:8.16.1 — Zürich ☃')).toBe('my.registry/kibana:8.16.1 — Zürich ☃');
    for (let code = 0; code < 0x100; code++) {
      const out = escapeControl(`<${String.fromCharCode(code)}>`);
      expect(CONTROLS.test(out), `U+${code.toString(16)}`).toBe(false);
    }
  });

  it('isPrintable and quoteRemote agree with it (quoteRemote cuts long text)', () => {
    expect(isPrintable('abc')).toBe(true);
    expect(isPrintable('a\u001bb')).toBe(false);
    expect(isPrintable('abc')).toBe(true); // no state kept between calls
    expect(quoteRemote('x'.repeat(300), 10)).toBe(`${'x'.repeat(10)}…`);
    expect(quoteRemote('a\nb')).toBe('a\\nb');
  });
});

describe('safeJson', () => {
  it('leaves no raw control character and parses back to the same value', () => {
    const value = { detail: 'a\u001b[31m\n\u009b\u2028\u202e\u007f' };
    const text = safeJson(value);
    expect(CONTROLS.test(text.replace(/\n/g, ''))).toBe(false);
    expect(JSON.parse(text)).toEqual(value);
  });
});
