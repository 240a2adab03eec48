/**
 * The ConfigMaps and Secrets of a stream, as far as the operator's settings can come from them: a `--config` file
 * mounted from one of their keys, an `envFrom` source, a `valueFrom` key reference. Secret `data` and ConfigMap
 * `binaryData` are base64 (decoded here), Secret `stringData` is text and wins over `data` for the same key (the
 * API server merges it so). Only what can matter is kept: every key's name, the settings of each key whose text
 * names a setting (the file a manager may mount), and the values of short keys (an environment variable's).
 */
import { isMap, isScalar, type Document, type Scalar, type YAMLMap } from 'yaml';
import { get, getMap, scalarText } from '../yaml/node-lookup.js';
import { readOperatorSettings, type OperatorImageSettings } from './operator-config.js';

export type DataKind = 'ConfigMap' | 'Secret';

/** Where a key's text is written: as text (`data` of a ConfigMap, `stringData`), or base64 (`data` of a Secret, `binaryData`). */
export interface DataEntry {
  readonly field: 'data' | 'stringData' | 'binaryData';
  readonly base64: boolean;
}

export interface DataSource {
  readonly kind: DataKind;
  readonly name?: string;
  readonly namespace?: string;
  readonly where: string;
  /** Every key, with the field it is read from. */
  readonly keys: ReadonlyMap<string, DataEntry>;
  /** The operator settings of each key whose text names one (case-insensitive); other keys set none. */
  readonly settings: ReadonlyMap<string, OperatorImageSettings>;
  /** The value of each short key (an envFrom or valueFrom variable's value). */
  readonly envValues: ReadonlyMap<string, string>;
}

/** Whether a text could set an operator setting as a configuration file (keys are case-insensitive). */
const NAMES_A_SETTING = /container-(?:registry|repository|suffix)|ubi-only|\\/i;
/** A variable's value longer than this names no registry, repository or suffix (a certificate, a file). */
const MAX_ENV_VALUE = 4096;
/** Bounded: a key longer than this is no operator configuration anyone writes. */
const MAX_TEXT = 1 << 20;

/** The text of a data value, decoded; undefined when it is not a string (or too long to be a configuration). */
export function entryText(node: unknown, entry: DataEntry): string | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.length > MAX_TEXT) return undefined;
  return entry.base64 ? Buffer.from(node.value.replace(/\s+/g, ''), 'base64').toString('utf8') : node.value;
}

/** The `data`-like fields of a ConfigMap or Secret, in the order a later one wins. */
export function dataFields(kind: DataKind): readonly DataEntry[] {
  return kind === 'Secret'
    ? [
        { field: 'data', base64: true },
        { field: 'stringData', base64: false },
      ]
    : [
        { field: 'data', base64: false },
        { field: 'binaryData', base64: true },
      ];
}

/** The value node of a key as the API server keeps it (`stringData` over `data`), with its field. */
export function entryNode(
  root: YAMLMap,
  doc: Document,
  kind: DataKind,
  key: string,
): { node: Scalar; entry: DataEntry } | undefined {
  let found: { node: Scalar; entry: DataEntry } | undefined;
  for (const entry of dataFields(kind)) {
    const value = get(getMap(root, entry.field, doc), key, doc);
    if (isScalar(value)) found = { node: value, entry };
  }
  return found;
}

/** Reads a ConfigMap or Secret document's root into a DataSource. */
export function readDataSource(
  root: YAMLMap,
  doc: Document,
  kind: DataKind,
  where: string,
  id: { name?: string | undefined; namespace?: string | undefined },
): DataSource {
  const keys = new Map<string, DataEntry>();
  const settings = new Map<string, OperatorImageSettings>();
  const envValues = new Map<string, string>();
  for (const entry of dataFields(kind)) {
    const map = getMap(root, entry.field, doc);
    if (!isMap(map)) continue;
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? scalarText(pair.key) : undefined;
      if (key === undefined) continue;
      keys.set(key, entry);
      const text = entryText(pair.value, entry);
      settings.delete(key);
      envValues.delete(key);
      if (text === undefined) continue;
      if (NAMES_A_SETTING.test(text))
        settings.set(key, readOperatorSettings(text, `${where}, ${entry.field}["${key}"]`));
      if (text.length <= MAX_ENV_VALUE) envValues.set(key, text);
    }
  }
  return {
    kind,
    ...(id.name !== undefined ? { name: id.name } : {}),
    ...(id.namespace !== undefined ? { namespace: id.namespace } : {}),
    where,
    keys,
    settings,
    envValues,
  };
}

/** The source of this kind and name in the stream, in the namespace given (or any, when one side has none). */
export function findSource(
  sources: readonly DataSource[],
  kind: DataKind,
  name: string,
  namespace: string | undefined,
): DataSource | undefined {
  return sources.find(
    (s) =>
      s.kind === kind &&
      s.name === name &&
      (s.namespace === undefined || namespace === undefined || s.namespace === namespace),
  );
}

/** `ConfigMap elastic-operator` / `Secret x`: how a source is named to the user (and vouched for: `ConfigMap/x`). */
export function sourceId(kind: DataKind, name: string): string {
  return `${kind}/${name}`;
}
