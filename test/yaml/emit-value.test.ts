import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { blockItem, blockPair, flow, scalar } from '../../src/yaml/emit-value.js';

describe('scalar', () => {
  it('writes plain what reads back as the same string', () => {
    for (const value of [
      'my.registry/eck/eck-operator:3.5.0',
      'regcred',
      '-ubi',
      '--container-registry=my.registry',
      'a@sha256:00',
      'x/y_z.1',
    ]) {
      expect(scalar(value), value).toBe(value);
    }
  });

  it('double-quotes what YAML 1.1 or 1.2 would read as something else, and JSON style always', () => {
    for (const value of [
      'true',
      'yes',
      'on',
      'null',
      '~',
      '1',
      '8.10',
      '.5',
      '-1',
      '0x1f',
      '1:20',
      '',
      ' a',
      'a: b',
      'a:',
      '---',
      '#x',
      '-',
      'a b',
      '{x}',
    ]) {
      const printed = scalar(value);
      expect(printed, value).toBe(JSON.stringify(value));
      expect(parse(`k: ${printed}`).k, value).toBe(value);
    }
    expect(scalar('regcred', true)).toBe('"regcred"');
  });
});

describe('flow / blockPair / blockItem', () => {
  const value = { spec: { imagePullSecrets: [{ name: 'a' }, { name: 'b' }] } };

  it('flow reads back as the value (YAML and JSON style)', () => {
    expect(parse(flow(value))).toEqual(value);
    expect(JSON.parse(flow(value, true))).toEqual(value);
    expect(flow([])).toBe('[]');
    expect(flow({})).toBe('{}');
  });

  it('block pairs put lists at the key indentation and end every line with the given break', () => {
    const text = blockPair('podTemplate', value, 2, '\r\n');
    expect(text).toBe(
      '  podTemplate:\r\n    spec:\r\n      imagePullSecrets:\r\n      - name: a\r\n      - name: b\r\n',
    );
    expect(parse(`x:\n${text.replace(/\r/g, '')}`)).toEqual({ x: { podTemplate: value } });
  });

  it('block items write mappings on their dash line', () => {
    expect(blockItem({ name: 'a', extra: 'b' }, 2, '\n')).toBe('  - name: a\n    extra: b\n');
    expect(blockItem('s', 0, '\n')).toBe('- s\n');
  });
});
