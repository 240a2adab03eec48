/**
 * The operator's manager container in a workload: its image, its flags, the environment it gets (`env` entries,
 * literal or `valueFrom`, and `envFrom` sources), and the file its `--config` flag names, followed through the
 * volume mount (`subPath`, `items`) to the ConfigMap or Secret key it comes from.
 */
import { isMap, isScalar, isSeq, type Document, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseReference } from '../image/reference.js';
import { isOperatorImage } from '../image/relocate.js';
import {
  argvOf,
  flagSitesIn,
  OPERATOR_SETTING_KEYS,
  stringFlagsIn,
  type FlagSite,
  type OperatorSettingKey,
} from '../sites/operator-args.js';
import type { ResourceId } from '../sites/resource-id.js';
import type { WorkloadPodSpec } from '../sites/workload.js';
import { CONTAINER_LISTS } from '../sites/workload-kinds.js';
import { get, getMap, scalarText, seqItems, type AnyNode } from '../yaml/node-lookup.js';
import type { DataKind } from './settings-sources.js';
import { envNameOf } from './viper.js';

/** A key of a ConfigMap or Secret. */
export interface KeyRef {
  readonly kind: DataKind;
  readonly name: string;
  readonly key: string;
}

/** An `env` entry of the manager container that names an operator setting's variable. */
export interface EnvSite {
  readonly key: OperatorSettingKey;
  readonly name: string;
  /** The entry's `name` scalar. */
  readonly nameNode: Scalar;
  /** The `value` scalar (undefined when the entry has no value: unset for viper). */
  readonly valueNode?: Scalar;
  readonly value: string;
  /** Set with `valueFrom`: the ConfigMap/Secret key it names, or `other` (a field or resource reference). */
  readonly valueFrom?: KeyRef | 'other';
}

/** An `envFrom` source: every key becomes a variable, `prefix` in front. */
export interface EnvFromRef {
  readonly kind: DataKind;
  readonly name: string;
  readonly prefix: string;
}

/** The file `--config` names, and where it comes from when that can be told. */
export interface ConfigFileRef {
  readonly path: string;
  /** The ConfigMap or Secret key mounted at the path. */
  readonly source?: KeyRef;
  /** Why the source cannot be told (no volume mounted there, a volume of another type). */
  readonly unfollowable?: string;
  /** No volume of the pod is mounted at the path (a manifest with its mounts left out). */
  readonly noMount?: boolean;
}

export interface ManagerContainer {
  readonly doc: Document;
  /** `document 3 (…): StatefulSet elastic-system/elastic-operator`. */
  readonly where: string;
  readonly namespace?: string;
  readonly container: YAMLMap;
  readonly image: string;
  /** The list holding the manager's flags (`args`, else `command`), if any. */
  readonly argv?: YAMLSeq;
  readonly flags: readonly FlagSite[];
  readonly env: readonly EnvSite[];
  readonly envFrom: readonly EnvFromRef[];
  readonly configFile?: ConfigFileRef;
}

/** The value of the last `--config` flag (pflag: the last one wins). */
function configPathIn(argv: readonly AnyNode[]): string | undefined {
  return stringFlagsIn(argv, 'config').pop()?.value;
}

function keyRefOf(node: AnyNode, doc: Document, kind: DataKind): KeyRef | undefined {
  const name = scalarText(get(node, 'name', doc));
  const key = scalarText(get(node, 'key', doc));
  return name !== undefined && key !== undefined ? { kind, name, key } : undefined;
}

function envSitesIn(container: YAMLMap, doc: Document): EnvSite[] {
  const sites: EnvSite[] = [];
  for (const entry of seqItems(get(container, 'env', doc), doc)) {
    if (!isMap(entry)) continue;
    const nameNode = get(entry, 'name', doc);
    if (!isScalar(nameNode) || typeof nameNode.value !== 'string') continue;
    const key = OPERATOR_SETTING_KEYS.find((k) => envNameOf(k) === nameNode.value);
    if (!key) continue;
    const from = getMap(entry, 'valueFrom', doc);
    if (from) {
      const valueFrom =
        keyRefOf(getMap(from, 'configMapKeyRef', doc), doc, 'ConfigMap') ??
        keyRefOf(getMap(from, 'secretKeyRef', doc), doc, 'Secret') ??
        'other';
      sites.push({ key, name: nameNode.value, nameNode, value: '', valueFrom });
      continue;
    }
    const valueNode = get(entry, 'value', doc);
    const value = isScalar(valueNode) && valueNode.value !== null ? String(valueNode.value) : '';
    sites.push({ key, name: nameNode.value, nameNode, ...(isScalar(valueNode) ? { valueNode } : {}), value });
  }
  return sites;
}

function envFromIn(container: YAMLMap, doc: Document): EnvFromRef[] {
  const refs: EnvFromRef[] = [];
  for (const entry of seqItems(get(container, 'envFrom', doc), doc)) {
    const prefix = scalarText(get(entry, 'prefix', doc)) ?? '';
    for (const [field, kind] of [
      ['configMapRef', 'ConfigMap'],
      ['secretRef', 'Secret'],
    ] as const) {
      const name = scalarText(get(getMap(entry, field, doc), 'name', doc));
      if (name !== undefined) refs.push({ kind, name, prefix });
    }
  }
  return refs;
}

/** The key a file of a configMap / secret volume (or projected source) comes from: through `items`, else its name. */
function keyOfFile(source: AnyNode, doc: Document, file: string): string | undefined {
  const items = seqItems(get(source, 'items', doc), doc);
  if (items.length === 0) return file;
  const item = items.find((it) => scalarText(get(it, 'path', doc)) === file);
  return item ? scalarText(get(item, 'key', doc)) : undefined;
}

/**
 * The volume mount the file at `path` comes from: of the mounts that hold it, the deepest one. The container
 * runtime mounts parents first (containerd's CRI sortMounts, by path depth), so a `subPath` mount of one file
 * over a directory mount (`/conf/eck.yaml` from a Secret over `/conf` from the chart's ConfigMap) is what the
 * operator reads, in whichever order the mounts are listed.
 */
function mountHolding(
  container: YAMLMap,
  doc: Document,
  path: string,
): { mountPath: string; volumeName: string; file: string } | undefined {
  let best: { mountPath: string; volumeName: string; file: string; depth: number } | undefined;
  for (const mount of seqItems(get(container, 'volumeMounts', doc), doc)) {
    const mountPath = scalarText(get(mount, 'mountPath', doc));
    const volumeName = scalarText(get(mount, 'name', doc));
    if (mountPath === undefined || volumeName === undefined) continue;
    const subPath = scalarText(get(mount, 'subPath', doc));
    let file: string | undefined;
    if (subPath !== undefined && subPath !== '') {
      if (path === mountPath) file = subPath;
    } else {
      const dir = mountPath.endsWith('/') ? mountPath : `${mountPath}/`;
      if (path.startsWith(dir)) file = path.slice(dir.length);
    }
    if (file === undefined || file === '') continue;
    const depth = mountPath.split('/').filter((p) => p !== '').length;
    // The same depth twice: the later mount is mounted over the earlier one.
    if (!best || depth >= best.depth) best = { mountPath, volumeName, file, depth };
  }
  return best;
}

/** The ConfigMap or Secret key mounted at `path`: volumeMount → volume → configMap / secret / projected. */
function configFileAt(podSpec: YAMLMap, container: YAMLMap, doc: Document, path: string): ConfigFileRef {
  const held = mountHolding(container, doc, path);
  if (held) {
    const { mountPath, volumeName, file } = held;
    const volume = seqItems(get(podSpec, 'volumes', doc), doc).find(
      (v) => scalarText(get(v, 'name', doc)) === volumeName,
    );
    if (!volume)
      return { path, unfollowable: `the volume ${volumeName} mounted at ${mountPath} is not in the pod spec` };
    const configMap = getMap(volume, 'configMap', doc);
    const secret = getMap(volume, 'secret', doc);
    const candidates: { kind: DataKind; name: string | undefined; source: AnyNode }[] = [];
    if (configMap)
      candidates.push({ kind: 'ConfigMap', name: scalarText(get(configMap, 'name', doc)), source: configMap });
    if (secret) candidates.push({ kind: 'Secret', name: scalarText(get(secret, 'secretName', doc)), source: secret });
    const projected = getMap(volume, 'projected', doc);
    for (const s of seqItems(get(projected, 'sources', doc), doc)) {
      const cm = getMap(s, 'configMap', doc);
      const sec = getMap(s, 'secret', doc);
      if (cm) candidates.push({ kind: 'ConfigMap', name: scalarText(get(cm, 'name', doc)), source: cm });
      if (sec) candidates.push({ kind: 'Secret', name: scalarText(get(sec, 'name', doc)), source: sec });
    }
    if (candidates.length === 0)
      return {
        path,
        unfollowable: `the volume ${volumeName} mounted at ${mountPath} is neither a ConfigMap nor a Secret volume`,
      };
    // A projected volume with several sources: the one whose items name the file; without items any of them may.
    const withItems = candidates.filter(
      (c) => seqItems(get(c.source, 'items', doc), doc).length > 0 && keyOfFile(c.source, doc, file) !== undefined,
    );
    const chosen = withItems.length === 1 ? withItems[0]! : candidates.length === 1 ? candidates[0]! : undefined;
    if (!chosen || chosen.name === undefined)
      return {
        path,
        unfollowable: `the volume ${volumeName} mounted at ${mountPath} has several sources that may hold ${file}`,
      };
    const key = keyOfFile(chosen.source, doc, file);
    if (key === undefined) return { path, unfollowable: `no item of the volume ${volumeName} is the file ${file}` };
    return { path, source: { kind: chosen.kind, name: chosen.name, key } };
  }
  return { path, unfollowable: `no ConfigMap or Secret volume of the pod is mounted at ${path}`, noMount: true };
}

/** The operator manager containers of a workload's pod spec. */
export function managersOfPod(pod: WorkloadPodSpec, doc: Document, where: string, id: ResourceId): ManagerContainer[] {
  const found: ManagerContainer[] = [];
  for (const list of CONTAINER_LISTS) {
    for (const container of seqItems(get(pod.podSpec, list, doc), doc)) {
      if (!isMap(container)) continue;
      const image = scalarText(get(container, 'image', doc));
      const ref = image === undefined ? undefined : parseReference(image);
      if (!ref || !isOperatorImage(ref)) continue;
      const args = get(container, 'args', doc);
      const command = get(container, 'command', doc);
      const argv = isSeq(args) ? args : isSeq(command) ? command : undefined;
      const all = argvOf(container, doc);
      const configPath = configPathIn(all);
      found.push({
        doc,
        where,
        ...(id.namespace !== undefined ? { namespace: id.namespace } : {}),
        container,
        image: image!,
        ...(argv ? { argv } : {}),
        flags: flagSitesIn(all),
        env: envSitesIn(container, doc),
        envFrom: envFromIn(container, doc),
        ...(configPath !== undefined ? { configFile: configFileAt(pod.podSpec, container, doc, configPath) } : {}),
      });
    }
  }
  return found;
}
