// The two checkers of settings values agree: the descriptor table's rules (flags and environment, on every run,
// without zod) and the zod schema built from the same rules (the config file, `eck-airgap schema`). Same issues,
// same paths, same messages, for good values, bad values and values of the wrong type.
import { describe, expect, it } from 'vitest';
import { SETTING_KEYS, SETTINGS } from '../../src/config/descriptors.js';
import { checkSettings, type Rule } from '../../src/config/rules.js';
import { checkWithSchema } from '../../src/config/schema.js';

const RULES: Record<string, Rule> = Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].rule]));

const wrongTypes: unknown[] = [5000, true, null, 'text', ['a'], { a: 1 }, ''];
const values: Record<string, unknown[]> = {
  registry: ['my.registry:5000', 'localhost', 'https://x', 'x y', 'a'.repeat(300) + '.io', '[::1]:5000', 'UPPER.io'],
  repository: ['team/elastic', 'Upper/Case', 'a//b', 'a__b', '-x'],
  suffix: ['-ubi', '-wolfi', 'wolfi', 'has space', 'A', '', '-' + 'x'.repeat(64)],
  ubiOnly: [true, false, 'yes', 1],
  imagePullSecrets: [[], ['regcred'], ['Bad_Name'], ['ok', 'BAD', 'a'.repeat(254)], ['a'.repeat(253)], 'regcred', [1]],
  sourceRegistries: [[], ['docker.elastic.co'], ['x y', 'ok.io'], 'docker.elastic.co'],
  operator: [{}, { repository: 'ops/eck' }, { repository: 'Ops' }, { repo: 'x' }, { repository: 5 }, 'eck'],
  setDefaultImages: [true, 'false'],
  mirrors: [{}, { 'docker.io': 'my.registry/dockerhub' }, { 'docker.io': 'http://x' }, { a: 5 }, ['x']],
  defaultSourceRegistry: [false, 'no'],
  strict: [true, 'yes'],
  eckVersion: ['3.5.0', '3.0.0-rc1', '3.5', 'v3.5.0', 350],
  lock: ['images.lock.yaml', '/abs/lock.yaml', '', 'a\u0000b', 'x'.repeat(4097), 5],
  plainHttp: [true, 'no'],
  caFile: ['ca.crt', '/etc/pki/ca.pem', '', 'a\u0000b', 5],
  authfile: ['auth.json', '', ['a']],
  registriesConf: ['registries.conf', '', 1],
  platforms: [[], ['linux/amd64', 'linux/arm64/v8'], ['linux'], ['Linux/AMD64'], 'linux/amd64', ['linux/arm/v7/x']],
  vouchedSources: [
    [],
    ['ConfigMap/elastic-operator', 'Secret/x', 'env/CONTAINER_SUFFIX', 'file:/conf/eck.yaml'],
    ['configmap/x'],
    ['ConfigMap/Bad_Name'],
    ['env/1X'],
    'ConfigMap/x',
  ],
};

describe('settings rules and the zod schema agree', () => {
  for (const key of SETTING_KEYS) {
    it(key, () => {
      for (const value of [...(values[key] ?? []), ...wrongTypes]) {
        const settings = { [key]: value };
        expect(checkSettings(RULES, settings), `${key}: ${JSON.stringify(value)}`).toEqual(checkWithSchema(settings));
      }
    });
  }

  it('every setting has cases that fail and cases that pass', () => {
    for (const key of SETTING_KEYS) {
      const outcomes = (values[key] ?? []).map((value) => checkSettings(RULES, { [key]: value }).length === 0);
      expect(outcomes, key).toContain(true);
      expect(outcomes, key).toContain(false);
    }
  });

  it('unknown keys, and several problems at once', () => {
    for (const settings of [
      { colour: 'blue' },
      { colour: 1, size: 2 },
      { registry: 'x y', suffix: 'A', ubiOnly: 'no' },
    ]) {
      expect(checkSettings(RULES, settings)).toEqual(checkWithSchema(settings));
    }
    expect(checkSettings(RULES, { registry: 'x y', suffix: 'A' })).toHaveLength(2);
  });
});
