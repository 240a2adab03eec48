/**
 * One model of the ECK operator in a stream: the one module that says where this operator pulls stack images
 * from — its release (from its image tag, else the `eckVersion` setting, else the newest release eck-airgap
 * knows) and its container settings, read from every source the operator (viper) reads, with its precedence:
 * manager command-line flags, then environment variables (`CONTAINER_REGISTRY`, … — the flag name upper-cased,
 * `-` → `_`, no prefix), then the `--config` file (`eck.yaml` of the ConfigMap mounted for it), then defaults.
 * render, images and check all take the operator from here.
 */
import { isMap, isScalar, isSeq, type Document, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { DEFAULT_CONTAINER_REGISTRY } from '../eck/kinds.js';
import { UBI_SUFFIX, type ContainerSettings } from '../eck/naming.js';
import type { OperatorRelease } from '../eck/release.js';
import { InputError } from '../errors.js';
import { isOperatorImage } from '../image/relocate.js';
import { parseReference } from '../image/reference.js';
import type { ResourceId } from '../sites/resource-id.js';
import { visitResource } from '../sites/visit-resource.js';
import type { WorkloadPodSpec } from '../sites/workload.js';
import { CONTAINER_LISTS } from '../sites/workload-kinds.js';
import { get, getMap, scalarText, seqItems, type AnyNode } from '../yaml/node-lookup.js';
import { argvOf, flagSitesIn, OPERATOR_SETTING_KEYS, type FlagSite, type OperatorSettingKey } from '../sites/operator-args.js';
import { OPERATOR_CONFIG_KEY, readOperatorSettings, type OperatorImageSettings } from './operator-config.js';
import { chooseRelease, releaseOfOperatorImage } from './operator-release.js';
import { boolOfText, envNameOf } from './viper.js';

export { releaseOfOperatorImage } from './operator-release.js';

export { OPERATOR_SETTING_KEYS, type FlagSite, type OperatorSettingKey } from '../sites/operator-args.js';

export { envNameOf, parseBool } from './viper.js';

export type SettingSource = 'flag' | 'env' | 'config';

/** An `env` entry of the manager container with a literal value. */
export interface EnvSite {
  readonly key: OperatorSettingKey;
  readonly name: string;
  /** The entry's `name` scalar. */
  readonly nameNode: Scalar;
  /** The `value` scalar (undefined when the entry has no value: unset for viper). */
  readonly valueNode?: Scalar;
  readonly value: string;
}

/** The operator's manager container, as found in a workload of the stream. */
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
  /** The ConfigMap (name, data key) mounted at the manager's `--config` path, when it can be told. */
  readonly configMap?: { readonly name: string; readonly key: string };
  /** Whether the manager has a `--config` flag at all. */
  readonly hasConfigFlag: boolean;
}

/** An operator ConfigMap of the stream (one whose data holds the operator's configuration file). */
export interface ConfigSite {
  readonly name?: string;
  readonly namespace?: string;
  readonly key: string;
  readonly settings: OperatorImageSettings;
}

interface Value<T> {
  readonly value: T;
  readonly source: SettingSource;
}

/** What the operator reads for each setting (highest source first), before render. */
export interface OperatorSettingsRead {
  readonly registry?: Value<string>;
  readonly repository?: Value<string>;
  readonly suffix?: Value<string>;
  readonly ubiOnly?: Value<boolean>;
}

export interface OperatorModel {
  readonly release: OperatorRelease;
  /** Where the release came from, for the report: `operator image …:3.5.0`, `eckVersion`, or the default. */
  readonly releaseFrom: string;
  readonly manager?: ManagerContainer;
  /** The configuration the manager reads (the mounted one, or the only one in the stream). */
  readonly config?: ConfigSite;
  readonly configs: readonly ConfigSite[];
  readonly read: OperatorSettingsRead;
  /** Whether the stream holds an operator at all (a manager or an operator ConfigMap). */
  readonly inStream: boolean;
  readonly warnings: readonly string[];
}

/** A parsed document of the stream with its label for messages. */
export interface ModelInput {
  readonly doc: Document;
  readonly label: string;
}


function configPathIn(argv: readonly AnyNode[]): string | undefined {
  let found: string | undefined;
  argv.forEach((arg, i) => {
    const text = isScalar(arg) && typeof arg.value === 'string' ? arg.value : undefined;
    if (text === undefined) return;
    if (text.startsWith('--config=')) found = text.slice('--config='.length);
    else if (text === '--config') {
      const next = argv[i + 1];
      if (isScalar(next) && typeof next.value === 'string') found = next.value;
    }
  });
  return found;
}

function envSitesIn(container: YAMLMap, doc: Document, where: string): EnvSite[] {
  const sites: EnvSite[] = [];
  for (const entry of seqItems(get(container, 'env', doc), doc)) {
    if (!isMap(entry)) continue;
    const nameNode = get(entry, 'name', doc);
    if (!isScalar(nameNode) || typeof nameNode.value !== 'string') continue;
    const key = OPERATOR_SETTING_KEYS.find((k) => envNameOf(k) === nameNode.value);
    if (!key) continue;
    if (get(entry, 'valueFrom', doc) != null) {
      throw new InputError(
        `${where}: environment variable ${nameNode.value} of the operator is set with valueFrom, so the ` +
          `${key} the operator will use cannot be known before it runs; give it a literal value, or set ${key} ` +
          `as a flag or in the operator ConfigMap.`,
      );
    }
    const valueNode = get(entry, 'value', doc);
    const value = isScalar(valueNode) && valueNode.value !== null ? String(valueNode.value) : '';
    sites.push({ key, name: nameNode.value, nameNode, ...(isScalar(valueNode) ? { valueNode } : {}), value });
  }
  return sites;
}

/** The ConfigMap mounted where `--config` points: volumeMount → volume → configMap (name, key). */
function mountedConfigMap(podSpec: YAMLMap, container: YAMLMap, doc: Document, path: string): { name: string; key: string } | undefined {
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
    for (const volume of seqItems(get(podSpec, 'volumes', doc), doc)) {
      if (scalarText(get(volume, 'name', doc)) !== volumeName) continue;
      const configMap = getMap(volume, 'configMap', doc);
      const name = scalarText(get(configMap, 'name', doc));
      if (!configMap || name === undefined) return undefined;
      let key = file;
      const items = seqItems(get(configMap, 'items', doc), doc);
      if (items.length > 0) {
        const item = items.find((it) => scalarText(get(it, 'path', doc)) === file);
        if (!item) return undefined;
        key = scalarText(get(item, 'key', doc)) ?? file;
      }
      return { name, key };
    }
  }
  return undefined;
}

function managersIn(pod: WorkloadPodSpec, input: ModelInput, where: string, id: ResourceId, found: ManagerContainer[]): void {
  const { doc } = input;
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
      const configMap = configPath === undefined ? undefined : mountedConfigMap(pod.podSpec, container, doc, configPath);
      found.push({
        doc,
        where,
        ...(id.namespace !== undefined ? { namespace: id.namespace } : {}),
        container,
        image: image!,
        ...(argv ? { argv } : {}),
        flags: flagSitesIn(all),
        env: envSitesIn(container, doc, where),
        ...(configMap ? { configMap } : {}),
        hasConfigFlag: configPath !== undefined,
      });
    }
  }
}

function pick<T>(sources: readonly (Value<T> | undefined)[]): Value<T> | undefined {
  return sources.find((s) => s !== undefined);
}

/** What the operator reads, source by source, flags over env over the configuration file. */
function readSettings(manager: ManagerContainer | undefined, config: ConfigSite | undefined): OperatorSettingsRead {
  const last = <T>(sites: readonly { key: OperatorSettingKey; value: string }[], key: OperatorSettingKey, source: SettingSource, convert: (s: string) => T | undefined): Value<T> | undefined => {
    const mine = sites.filter((s) => s.key === key);
    const site = mine[mine.length - 1];
    if (!site) return undefined;
    // viper reads an empty environment variable as unset
    if (source === 'env' && site.value === '') return undefined;
    const value = convert(site.value);
    return value === undefined ? undefined : { value, source };
  };
  const text = (s: string): string => s;
  const bool = boolOfText;
  const flags = manager?.flags ?? [];
  const env = manager?.env ?? [];
  const c = config?.settings;
  const fromConfig = <T>(value: T | undefined): Value<T> | undefined => (value === undefined ? undefined : { value, source: 'config' });
  const registry = pick([last(flags, 'container-registry', 'flag', text), last(env, 'container-registry', 'env', text), fromConfig(c?.registry)]);
  const repository = pick([last(flags, 'container-repository', 'flag', text), last(env, 'container-repository', 'env', text), fromConfig(c?.repository)]);
  const suffix = pick([last(flags, 'container-suffix', 'flag', text), last(env, 'container-suffix', 'env', text), fromConfig(c?.suffix)]);
  const ubiOnly = pick([last(flags, 'ubi-only', 'flag', bool), last(env, 'ubi-only', 'env', bool), fromConfig(c?.ubiOnlySet ? c.ubiOnly : undefined)]);
  return {
    ...(registry ? { registry } : {}),
    ...(repository ? { repository } : {}),
    ...(suffix ? { suffix } : {}),
    ...(ubiOnly ? { ubiOnly } : {}),
  };
}

const SOURCE_NAMES: Record<SettingSource, string> = { flag: 'flag', env: 'environment variable', config: 'operator ConfigMap' };

function describeSource(key: OperatorSettingKey, source: SettingSource): string {
  if (source === 'flag') return `--${key}`;
  if (source === 'env') return envNameOf(key);
  return `${key} in ${OPERATOR_CONFIG_KEY}`;
}

/** What the stream says about the operator, gathered document by document. */
export interface OperatorPieces {
  readonly managers: ManagerContainer[];
  readonly configs: ConfigSite[];
}

export function newOperatorPieces(): OperatorPieces {
  return { managers: [], configs: [] };
}

/** Adds the operator's manager containers and ConfigMaps of one document. */
export function addOperatorPieces(pieces: OperatorPieces, input: ModelInput): void {
  visitResource(
    input.doc.contents,
    input.doc,
    input.label,
    {
      workload: (r, _kind, pod) => {
        // The model reads the first manager and the first with a release tag: once one has a tag, later managers
        // change nothing, and keeping them would keep each one's parsed document alive.
        if (!pod || pieces.managers.some((m) => releaseOfOperatorImage(m.image) !== undefined)) return;
        managersIn(pod, input, r.where, r.id, pieces.managers);
      },
      operatorConfig: (r, config) => {
        pieces.configs.push({
          ...(r.id.name !== undefined ? { name: r.id.name } : {}),
          ...(r.id.namespace !== undefined ? { namespace: r.id.namespace } : {}),
          key: OPERATOR_CONFIG_KEY,
          settings: readOperatorSettings(String(config.value), `${r.where}, data["${OPERATOR_CONFIG_KEY}"]`),
        });
      },
    },
    // a malformed workload is reported by the image walk, with its name
    { lenient: true },
  );
}

function mountedConfig(manager: ManagerContainer, configs: readonly ConfigSite[]): ConfigSite | undefined {
  if (!manager.configMap) return undefined;
  const { name, key } = manager.configMap;
  return configs.find((c) => c.name === name && c.key === key && (c.namespace === undefined || manager.namespace === undefined || c.namespace === manager.namespace));
}

/**
 * True when more documents cannot change the model: the first manager is found, with its release, and the
 * configuration it reads (or it reads none). Lets render stop parsing ahead of its walk.
 */
export function operatorPiecesComplete(pieces: OperatorPieces): boolean {
  const manager = pieces.managers[0];
  if (!manager || releaseOfOperatorImage(manager.image) === undefined) return false;
  return !manager.hasConfigFlag || mountedConfig(manager, pieces.configs) !== undefined;
}

/** The operator manager containers of a workload's pod spec (render plans each one's edits). */
export function managersOfPod(pod: WorkloadPodSpec, input: ModelInput, where: string, id: ResourceId): ManagerContainer[] {
  const found: ManagerContainer[] = [];
  managersIn(pod, input, where, id, found);
  return found;
}

/** The configuration in the stream a manager reads: the ConfigMap mounted at its --config path, else none. */
export function configReadBy(model: OperatorModel, manager: ManagerContainer): ConfigSite | undefined {
  const mounted = mountedConfig(manager, model.configs);
  if (mounted) return mounted;
  return manager.hasConfigFlag && !manager.configMap ? model.configs[0] : undefined;
}

/** The operator of a stream, from all its documents (see operatorModelOf). */
export function operatorModel(inputs: readonly ModelInput[], eckVersion: string | undefined): OperatorModel {
  const pieces = newOperatorPieces();
  for (const input of inputs) addOperatorPieces(pieces, input);
  return operatorModelOf(pieces, eckVersion);
}

/**
 * The operator from what the stream says. `eckVersion` is the setting of that name (undefined when unset).
 * Throws a UsageError when it disagrees with the operator image in the stream, an InputError when the operator
 * could not start (UBI mode and a suffix at once) or a setting's value cannot be known (valueFrom).
 */
export function operatorModelOf(pieces: OperatorPieces, eckVersion: string | undefined): OperatorModel {
  const { managers, configs } = pieces;
  const manager = managers[0];
  const warnings: string[] = [];
  // The configuration the manager reads: the ConfigMap mounted at its --config path; without a manager in the
  // stream, the operator ConfigMap the stream has.
  let config = manager ? mountedConfig(manager, configs) : undefined;
  if (!config && (!manager || (manager.hasConfigFlag && !manager.configMap))) config = configs[0];

  const { release, releaseFrom, warnings: releaseWarnings } = chooseRelease(managers, eckVersion);
  warnings.push(...releaseWarnings);

  if (config?.settings.problem) throw new InputError(config.settings.problem);
  const read = readSettings(manager, config);
  if (read.ubiOnly && read.suffix && read.suffix.value !== '') {
    const where = manager?.where ?? 'the operator ConfigMap';
    throw new InputError(
      `${where}: the operator sets both ubi-only (${describeSource('ubi-only', read.ubiOnly.source)}) and container-suffix ` +
        `"${read.suffix.value}" (${describeSource('container-suffix', read.suffix.source)}); the ECK operator refuses to start ` +
        `with both set. Remove one of them.`,
    );
  }
  return {
    release,
    releaseFrom,
    ...(manager ? { manager } : {}),
    ...(config ? { config } : {}),
    configs,
    read,
    inStream: manager !== undefined || configs.length > 0,
    warnings,
  };
}

/** The suffix in eck-airgap's terms (UBI mode is `-ubi`) the operator uses, as read; undefined when none. */
function suffixAsRead(read: OperatorSettingsRead): string | undefined {
  if (read.ubiOnly?.value) return UBI_SUFFIX;
  return read.suffix && read.suffix.value !== '' ? read.suffix.value : undefined;
}

/** Where the operator pulls from as the stream says, before render (registry default docker.elastic.co). */
export function pullsFromNow(model: OperatorModel): ContainerSettings {
  const suffix = suffixAsRead(model.read);
  const repository = model.read.repository?.value;
  return {
    registry: model.read.registry?.value || DEFAULT_CONTAINER_REGISTRY,
    ...(repository ? { repository } : {}),
    ...(suffix !== undefined ? { suffix } : {}),
    ...(writtenUbiSuffix(model.read) ? { literalSuffix: true } : {}),
    release: model.release,
  };
}

/** The operator's `container-suffix` says `-ubi` (not `ubi-only`): operator 2.10 appends it as written. */
function writtenUbiSuffix(read: OperatorSettingsRead): boolean {
  return !read.ubiOnly?.value && read.suffix?.value === UBI_SUFFIX;
}

/** eck-airgap's settings that bear on the operator. */
export interface MirrorSettings {
  readonly registry: string;
  readonly repository?: string;
  /** UBI mode is `-ubi`. */
  readonly suffix?: string;
}

/**
 * Where the operator pulls from once rendered: the mirror; the repository and suffix the configuration says, or,
 * where it leaves them unset, what the operator's own settings say.
 */
export function pullsFromAfterRender(model: OperatorModel, settings: MirrorSettings): ContainerSettings {
  const repository = settings.repository ?? model.read.repository?.value;
  const suffix = settings.suffix ?? suffixAsRead(model.read);
  return {
    registry: settings.registry,
    ...(repository ? { repository } : {}),
    ...(suffix !== undefined ? { suffix } : {}),
    // eck-airgap's own suffix -ubi is UBI mode (written as ubi-only); the operator's written one stays as written.
    ...(settings.suffix === undefined && writtenUbiSuffix(model.read) ? { literalSuffix: true } : {}),
    release: model.release,
  };
}

/** Names a source in messages (`--container-registry`, `CONTAINER_REGISTRY`, `container-registry in eck.yaml`). */
export function sourceName(key: OperatorSettingKey, source: SettingSource): string {
  return `${describeSource(key, source)} (${SOURCE_NAMES[source]})`;
}
