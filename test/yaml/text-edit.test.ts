import { describe, it, expect } from 'vitest';
import { applyEdits } from '../../src/yaml/text-edit.js';
import { afterLineOf, columnOf, lineBreakOf } from '../../src/yaml/line-layout.js';

describe('applyEdits', () => {
  it('returns the same text without edits and splices edits in offset order', () => {
    expect(applyEdits('abc', [])).toBe('abc');
    expect(
      applyEdits('abcdef', [
        { start: 4, end: 5, text: 'E' },
        { start: 1, end: 2, text: 'B' },
      ]),
    ).toBe('aBcdEf');
  });

  it('keeps insertions at one offset in the order given', () => {
    expect(
      applyEdits('ab', [
        { start: 1, end: 1, text: '1' },
        { start: 1, end: 1, text: '2' },
      ]),
    ).toBe('a12b');
  });

  it('refuses overlapping edits', () => {
    expect(() =>
      applyEdits('abcdef', [
        { start: 1, end: 4, text: '' },
        { start: 2, end: 3, text: 'x' },
      ]),
    ).toThrow(/overlapping/);
  });
});

describe('line layout', () => {
  it('finds where a new line goes after a node', () => {
    expect(afterLineOf('a: 1\nb: 2\n', 4)).toEqual({ at: 5, needsBreak: false });
    expect(afterLineOf('a: 1\nb: 2\n', 5)).toEqual({ at: 5, needsBreak: false });
    expect(afterLineOf('a: 1', 4)).toEqual({ at: 4, needsBreak: true });
  });

  it("goes before the next line when a range ends past that line's indentation", () => {
    // yaml counts the indentation of the following line into a block collection's range.
    const text = '  x:\n  - a\n  count: 3\n';
    expect(afterLineOf(text, text.indexOf('count'))).toEqual({ at: text.indexOf('  count'), needsBreak: false });
  });

  it('knows columns and line breaks', () => {
    expect(columnOf('a:\n  b: 1', 5)).toBe(2);
    expect(lineBreakOf('a: 1\r\nb: 2\n')).toBe('\r\n');
    expect(lineBreakOf('a: 1\n')).toBe('\n');
    expect(lineBreakOf('a: 1')).toBe('\n');
  });
});
