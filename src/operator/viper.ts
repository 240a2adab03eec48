/**
 * Values and keys as the operator's viper reads them (ECK cmd/manager/main.go, v2.10.0 to v3.5.0 and main:
 * `viper.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))`, `viper.AutomaticEnv()`, no env prefix,
 * `viper.GetBool(operator.UBIOnlyFlag)`, `viper.IsSet(operator.UBIOnlyFlag)`):
 * - booleans: spf13/cast ToBool — a bool as it is, a non-zero integer true, a string by strconv.ParseBool, nil false;
 * - config file keys case-insensitive (viper lower-cases them), environment names exact (`UBI_ONLY`).
 * The one ParseBool of the operator's reading.
 */
import { isScalar } from 'yaml';
import { InputError } from '../errors.js';
import type { OperatorSettingKey } from '../sites/operator-args.js';

/** Go's strconv.ParseBool; undefined where it returns an error. */
export function parseBool(text: string): boolean | undefined {
  if (/^(?:1|t|T|TRUE|true|True)$/.test(text)) return true;
  if (/^(?:0|f|F|FALSE|false|False)$/.test(text)) return false;
  return undefined;
}

/** viper's GetBool of a string (a flag's or an environment variable's text): ParseBool, false on its error. */
export function boolOfText(text: string): boolean {
  return parseBool(text) ?? false;
}

/** The environment variable viper reads for a setting: upper case, `-` → `_`, no prefix. */
export function envNameOf(key: OperatorSettingKey): string {
  return key.toUpperCase().replace(/-/g, '_');
}

/** A plain scalar gopkg.in/yaml.v3 resolves to an integer (underscores dropped, 0x / 0o / 0b prefixes). */
const GO_YAML_INT = /^[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/;

/**
 * cast.ToBool of a configuration file value, from its YAML node (`yaml` library, core schema) and, for a plain
 * scalar, its source text as gopkg.in/yaml.v3 resolves it. Throws an InputError for a float, which ECK's releases
 * cast differently (cast 1.5–1.7 refuse it: false; cast 1.10 from ECK 3.2.0: non-zero is true).
 */
export function castBool(node: unknown, where: string): boolean {
  const value = isScalar(node) ? node.value : node;
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  const plain = isScalar(node) && node.type === 'PLAIN' && typeof node.source === 'string' ? node.source : undefined;
  if (plain !== undefined && GO_YAML_INT.test(plain)) return !/^[-+]?(?:0[box]?)?[0_]*$/.test(plain);
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (Number.isInteger(Number(value)) && !/[.eE]/.test(plain ?? String(value))) return Number(value) !== 0;
    throw new InputError(
      `${where}: ubi-only is the number ${plain ?? String(value)}, which ECK operator releases read differently ` +
        '(false up to 3.1, true from 3.2 when not zero). Write ubi-only: true or ubi-only: false.',
    );
  }
  if (typeof value === 'string') return boolOfText(value);
  return false;
}

/**
 * A configuration mapping's keys as viper reads them: lower-cased. Returns the pair of each setting key
 * (whatever its case); throws an InputError when two keys differ only in case (viper keeps one of them, which
 * one is not defined).
 */
export function keysByLowerCase<P extends { key: unknown }>(items: readonly P[], where: string): Map<string, P> {
  const byKey = new Map<string, P>();
  for (const pair of items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (typeof key !== 'string') continue;
    const lower = key.toLowerCase();
    const seen = byKey.get(lower);
    if (seen) {
      const was = isScalar(seen.key) ? String(seen.key.value) : String(seen.key);
      if (was === key) continue; // a repeated key: the library's reading (the last) stands, as before
      throw new InputError(
        `${where}: the keys ${JSON.stringify(was)} and ${JSON.stringify(key)} differ only in case; the operator ` +
          '(viper) reads keys case-insensitively and keeps one of them, which one is not defined. Keep one.',
      );
    }
    byKey.set(lower, pair);
  }
  return byKey;
}
