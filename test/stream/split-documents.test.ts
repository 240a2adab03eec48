import { describe, it, expect } from 'vitest';
import { lineAt, splitDocuments } from '../../src/stream/split-documents.js';

const texts = (stream: string): string[] => splitDocuments(stream).map((s) => stream.slice(s.start, s.end));

describe('splitDocuments', () => {
  it('gives nothing for an empty stream', () => {
    expect(splitDocuments('')).toEqual([]);
  });

  it('splits at column-0 --- lines, each segment starting at its marker, joining back to the input', () => {
    const stream = 'a: 1\n---\nb: 2\n--- # comment\nc: 3\n---\n';
    expect(texts(stream)).toEqual(['a: 1\n', '---\nb: 2\n', '--- # comment\nc: 3\n', '---\n']);
    expect(texts(stream).join('')).toBe(stream);
  });

  it('does not split at --- that is indented, inside a value, or followed by other text', () => {
    const stream = 'a: |\n  ---\n  text\nb: ---x\n----\nc: "---"\n';
    expect(texts(stream)).toEqual([stream]);
  });

  it('keeps a leading --- in the first segment and handles a marker at the very end without a line break', () => {
    expect(texts('---\na: 1\n---')).toEqual(['---\na: 1\n', '---']);
  });

  it('splits CRLF streams and keeps the CRLF bytes', () => {
    const stream = 'a: 1\r\n---\r\nb: 2\r\n';
    expect(texts(stream)).toEqual(['a: 1\r\n', '---\r\nb: 2\r\n']);
  });

  it('starts a segment at the % directives before its ---', () => {
    const stream = 'a: 1\n...\n%YAML 1.2\n---\nb: 2\n';
    const parts = texts(stream);
    expect(parts.join('')).toBe(stream);
    expect(parts[parts.length - 1]).toBe('%YAML 1.2\n---\nb: 2\n');
  });

  it('covers a stream with no trailing newline completely', () => {
    const stream = '# Source: x\na: 1\n---\nb: 2';
    expect(texts(stream)).toEqual(['# Source: x\na: 1\n', '---\nb: 2']);
  });
});

describe('lineAt', () => {
  it('counts 1-based lines', () => {
    const text = 'a\nb\nc\n';
    expect(lineAt(text, 0)).toBe(1);
    expect(lineAt(text, 2)).toBe(2);
    expect(lineAt(text, 4)).toBe(3);
    expect(lineAt(text, 1)).toBe(1);
  });
});
