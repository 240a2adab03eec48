/**
 * The operator's configuration file, read as viper reads it: `container-registry`, `container-repository`,
 * `container-suffix`, `ubi-only` (keys case-insensitive, booleans cast; viper.ts). The file may be any key of a
 * ConfigMap or Secret the manager mounts for `--config`; `eck.yaml` is the chart's.
 */
import { isMap, isScalar, parseDocument, type Document, type Scalar, type YAMLMap } from 'yaml';
import { InputError } from '../errors.js';
import { composeBlockSubset } from '../yaml/compose-block-subset.js';
import { get, getMap, scalarText, type AnyNode } from '../yaml/node-lookup.js';
import { castBool, keysByLowerCase } from './viper.js';

export const OPERATOR_CONFIG_KEY = 'eck.yaml';

/** What the operator configuration says about images (unset keys are undefined). */
export interface OperatorImageSettings {
  readonly registry?: string | undefined;
  readonly repository?: string | undefined;
  readonly suffix?: string | undefined;
  readonly ubiOnly?: boolean;
  /** Whether `ubi-only` is written at all (the operator refuses a suffix when it is, whatever its value). */
  readonly ubiOnlySet?: boolean;
  /** Why the file cannot be read as the operator reads it (keys that differ only in case, a float ubi-only). */
  readonly problem?: string;
}

/** The `eck.yaml` value of an operator ConfigMap, if this document is one. */
export function operatorConfigNode(root: AnyNode, doc: Document): Scalar | undefined {
  if (scalarText(get(root, 'kind', doc)) !== 'ConfigMap') return undefined;
  const value = get(getMap(root, 'data', doc), OPERATOR_CONFIG_KEY, doc);
  return isScalar(value) && typeof value.value === 'string' ? value : undefined;
}

/**
 * A mapping as the fast composer reads it, else as the library does, or undefined on any error (with `uniqueKeys`,
 * a repeated key is one).
 */
export function composedMap(text: string, uniqueKeys: boolean): YAMLMap | undefined {
  const fast = composeBlockSubset(text);
  if (isMap(fast)) return fast;
  const doc = parseDocument(text, { uniqueKeys });
  return doc.errors.length === 0 && isMap(doc.contents) ? doc.contents : undefined;
}

/**
 * What a configuration file says, as viper reads it: keys case-insensitive, `ubi-only` cast as cast.ToBool does
 * (viper.go, spf13/cast). A file that cannot be read so gives `problem` (the model refuses it where the operator
 * reads it; a ConfigMap key no operator reads is no concern).
 */
export function readOperatorSettings(configText: string, where = 'the operator configuration'): OperatorImageSettings {
  const map = composedMap(configText, false);
  if (!map) return {};
  try {
    const keys = keysByLowerCase(map.items, where);
    const text = (key: string): string | undefined => {
      const value = keys.get(key)?.value;
      const printed = isScalar(value) && value.value !== null ? String(value.value) : undefined;
      return printed === '' ? undefined : printed;
    };
    const ubi = keys.get('ubi-only')?.value;
    const ubiValue = isScalar(ubi) ? ubi.value : ubi;
    return {
      registry: text('container-registry'),
      repository: text('container-repository'),
      suffix: text('container-suffix'),
      ubiOnly: castBool(ubi, where),
      // viper.IsSet: a key whose value is null is not set.
      ubiOnlySet: ubi !== undefined && ubiValue !== null && ubiValue !== undefined,
    };
  } catch (error) {
    if (error instanceof InputError) return { problem: error.message };
    throw error;
  }
}

/** The keys to write: a value to set, or null to remove the key. */

/** The keys to write: a value to set, or null to remove the key. */
export type OperatorConfigChanges = ReadonlyMap<string, string | null>;
