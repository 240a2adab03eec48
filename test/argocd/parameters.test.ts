// The Application's plugin parameters as Argo CD sends them (ARGOCD_APP_PARAMETERS JSON, else PARAM_* variables).
import { describe, expect, it } from 'vitest';
import { parameterEnvName, parseParameterJson, readParameters } from '../../src/argocd/parameters.js';

describe('readParameters from ARGOCD_APP_PARAMETERS', () => {
  const env = {
    ARGOCD_APP_PARAMETERS: JSON.stringify([
      { name: 'registry', string: 'my.registry:5000' },
      { array: ['a.yaml', 'b c.yaml'], name: 'values-files' },
      { map: { 'image.tag': '1,2', note: 'x' }, name: 'helm-set' },
      { name: 'pull-secrets', string: 'one,two' },
      { name: 'surprise', string: 'x' },
    ]),
    PARAM_REGISTRY: 'ignored.example',
  };
  const parameters = readParameters(env);

  it('reads strings, arrays and maps (keys intact), and ignores PARAM_*', () => {
    expect(parameters.source).toBe('json');
    expect(parameters.text('registry')).toBe('my.registry:5000');
    expect(parameters.list('values-files')).toEqual(['a.yaml', 'b c.yaml']);
    expect(parameters.map('helm-set')).toEqual([
      ['image.tag', '1,2'],
      ['note', 'x'],
    ]);
    expect(parameters.list('pull-secrets')).toEqual(['one,two']);
    expect(parameters.text('release-name')).toBeUndefined();
    expect(parameters.list('missing')).toEqual([]);
    expect(parameters.map('missing')).toEqual([]);
  });

  it('names the parameters it does not know', () => {
    expect(parameters.unknown(['registry', 'values-files', 'helm-set', 'pull-secrets'])).toEqual(['surprise']);
  });

  it('takes null for "no parameters"', () => {
    const none = readParameters({ ARGOCD_APP_PARAMETERS: 'null', PARAM_REGISTRY: 'ignored' });
    expect(none.source).toBe('json');
    expect(none.text('registry')).toBeUndefined();
  });

  it('lets the last entry of a name win', () => {
    const twice = parseParameterJson('[{"name":"registry","string":"a"},{"name":"registry","string":"b"}]');
    expect(twice.get('registry')?.string).toBe('b');
  });

  it.each([
    ['not JSON', '{', /ARGOCD_APP_PARAMETERS is not valid JSON/],
    ['not a list', '{"name":"x"}', /ARGOCD_APP_PARAMETERS is not a JSON list \(found a mapping\)/],
    ['an item that is not a mapping', '["x"]', /item 0: expected a mapping with a name, found a string/],
    ['an item without a name', '[{"string":"x"}]', /item 0: expected a non-empty string "name"/],
    [
      'a string that is not one',
      '[{"name":"release-name","string":["--x"]}]',
      /parameter release-name: "string" must be a string, found a list/,
    ],
    [
      'an array holding a non-string',
      '[{"name":"values-files","array":["a",1]}]',
      /"array" must be a list of strings, found a list holding a non-string/,
    ],
    ['a map that is a list', '[{"name":"helm-set","map":["a"]}]', /parameter helm-set must be a map, found a list/],
    [
      'a map value that is not a string',
      '[{"name":"helm-set","map":{"a":{"b":1}}}]',
      /the value of "a" must be a string, found a mapping/,
    ],
  ])('refuses %s with exit 2', (_what, json, message) => {
    let error: unknown;
    try {
      readParameters({ ARGOCD_APP_PARAMETERS: json });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as { exitCode?: number }).exitCode).toBe(2);
  });
});

describe('readParameters from PARAM_* variables', () => {
  it('escapes names as Argo CD does', () => {
    expect(parameterEnvName('values-files')).toBe('PARAM_VALUES_FILES');
    expect(parameterEnvName('a.b/c')).toBe('PARAM_A_B_C');
  });

  it('reads strings and arrays (PARAM_<NAME>_<index>, else PARAM_<NAME>)', () => {
    const parameters = readParameters({
      ARGOCD_APP_PARAMETERS: '  ',
      PARAM_RELEASE_NAME: 'logging',
      PARAM_VALUES_FILES_0: 'a.yaml',
      PARAM_VALUES_FILES_1: 'b.yaml',
      PARAM_VALUES_FILES_3: 'not read: index 2 is missing',
      PARAM_PULL_SECRETS: 'one',
    });
    expect(parameters.source).toBe('env');
    expect(parameters.text('release-name')).toBe('logging');
    expect(parameters.list('values-files')).toEqual(['a.yaml', 'b.yaml']);
    expect(parameters.list('pull-secrets')).toEqual(['one']);
    expect(parameters.unknown(['x'])).toEqual([]);
  });

  it('refuses a map, whose keys the variables lose', () => {
    const parameters = readParameters({ PARAM_HELM_SET_IMAGE_TAG: '1' });
    expect(() => parameters.map('helm-set')).toThrow(/helm-set parameter needs ARGOCD_APP_PARAMETERS/);
    expect(readParameters({}).map('helm-set')).toEqual([]);
  });
});
