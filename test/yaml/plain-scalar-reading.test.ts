import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse, parseDocument } from 'yaml';
import { composeBlockSubset } from '../../src/yaml/compose-block-subset.js';
import {
  plainIsStringUnderBoth,
  plainReadsAlikeUnder11,
  readsAlikeUnder11,
} from '../../src/yaml/plain-scalar-reading.js';
import { scalar } from '../../src/yaml/emit-value.js';

// Characters of plain scalars (emit-value's PLAIN_SAFE), weighted towards what YAML types are made of.
const plainChar = fc.constantFrom(...'0123456789_.:+-=/@eExXoObByYnNtTfFlLsSaAuUiI ~'.split(''));
const plainText = fc
  .string({ unit: plainChar, minLength: 1, maxLength: 12 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0);
const known = [
  'yes',
  'No',
  'ON',
  'off',
  'y',
  'n',
  'true',
  'False',
  'null',
  '~',
  '010',
  '0o17',
  '0x1F',
  '0b101',
  '1_000',
  '1:30',
  '190:20:30.15',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '.inf',
  '-.Inf',
  '.NaN',
  '1e3',
  '1.5',
  '.5',
  '-1',
  '+1',
  '8760h',
  '24h',
  'helm',
  'auto-detect',
  'docker.elastic.co',
  '<<',
  '=',
  '9443',
  '0',
  '1.',
  'a:b',
];

/** The library's reading of `text` as the value of a key, under a YAML version. */
const libraryReading = (text: string, version: '1.1' | '1.2', atKey = false): unknown => {
  const doc = parseDocument(atKey ? `${text}: v` : `k: ${text}`, { version, uniqueKeys: false });
  if (doc.errors.length > 0) return Symbol('error');
  const js = doc.toJS() as Record<string, unknown> | null;
  return atKey ? (js && typeof js === 'object' ? Object.keys(js)[0] : undefined) : js?.k;
};

describe('plain scalar readings agree with the yaml library', () => {
  it('plainIsStringUnderBoth is true exactly when the library reads the value back as itself under 1.2 and 1.1', () => {
    const check = (value: string): void => {
      const library = parse(value, { version: '1.2' }) === value && parse(value, { version: '1.1' }) === value;
      // It may be stricter than the library (quoting more is harmless), never looser.
      if (plainIsStringUnderBoth(value)) expect(library, value).toBe(true);
      if (!/^[-.]{3}/.test(value)) expect(plainIsStringUnderBoth(value), value).toBe(library);
    };
    known.forEach(check);
    fc.assert(
      fc.property(
        plainText.filter(
          (s) =>
            !s.includes(': ') &&
            !s.includes(' #') &&
            !/^[-:?]( |$)/.test(s) &&
            !s.endsWith(':') &&
            !/^[@`%&*!|>'"#,[\]{}]/.test(s),
        ),
        (s) => check(s),
      ),
      { numRuns: 3000 },
    );
  });

  it('plainReadsAlikeUnder11 is true only when the library reads the text the same under 1.1 as under 1.2', () => {
    const check = (text: string): void => {
      const node = composeBlockSubset(`k: ${text}\n`);
      if (!node) return;
      const value = (node as { items: { value: { value: unknown; source?: string; type?: string } }[] }).items[0]!
        .value;
      if (value?.type !== 'PLAIN' || value.source === undefined) return;
      const alike = plainReadsAlikeUnder11(value.source, value.value, false);
      const under12 = libraryReading(text, '1.2');
      const under11 = libraryReading(text, '1.1');
      expect(under12, text).toEqual(value.value);
      if (alike) expect(under11, text).toEqual(under12);
      else expect(under11, text).not.toEqual(under12);
    };
    known.forEach(check);
    fc.assert(
      fc.property(plainText, (s) => check(s)),
      { numRuns: 3000 },
    );
  });

  it('readsAlikeUnder11 walks keys and values, flow lists included', () => {
    const alike = (text: string): boolean => readsAlikeUnder11(composeBlockSubset(text));
    expect(alike('a: 1\nb: [x, z]\nc: false\nd: "yes"\ne: |\n  on\n')).toBe(true);
    expect(alike('a: yes\n')).toBe(false);
    expect(alike('a: [x, y]\n')).toBe(false); // y is a YAML 1.1 boolean
    expect(alike('on: 1\n')).toBe(false);
    expect(alike('a: [x, off]\n')).toBe(false);
    expect(alike('a: 010\n')).toBe(false);
    expect(alike('a:\n  b: 2001-12-14\n')).toBe(false);
  });
});

describe('scalar() after the change', () => {
  it('writes plain only what the library reads back as the same string under 1.2 and 1.1', () => {
    fc.assert(
      fc.property(plainText, (s) => {
        const printed = scalar(s);
        for (const version of ['1.1', '1.2'] as const) expect(parse(`k: ${printed}`, { version }).k, s).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });
});
