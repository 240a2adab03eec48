/**
 * One model of the ECK operator in a stream: where this operator pulls stack images from. Its release
 * (operator-release.ts), its manager container (manager-container.ts), the ConfigMaps and Secrets it may read
 * (settings-sources.ts) and what it reads from each, with viper's precedence (precedence.ts); and from that the one
 * builder of container settings, before and after render. render, images and check all take the operator from here.
 */
import type { Document } from 'yaml';
import { DEFAULT_CONTAINER_REGISTRY } from '../eck/kinds.js';
import { containerSettingsOf, UBI_SUFFIX, type ContainerSettings } from '../eck/naming.js';
import type { OperatorRelease } from '../eck/release.js';
import { InputError } from '../errors.js';
import type { OperatorSettingKey } from '../sites/operator-args.js';
import { visitResource } from '../sites/visit-resource.js';
import { managersOfPod, type ManagerContainer } from './manager-container.js';
import { OPERATOR_CONFIG_KEY, type OperatorImageSettings } from './operator-config.js';
import { refuseSeveralOperators } from './one-operator.js';
import { chooseRelease, releaseOfOperatorImage } from './operator-release.js';
import { parseBool } from './viper.js';
import { readPrecedence, type OperatorSettingsRead, type UnseenSource } from './precedence.js';
import { findSource, readDataSource, type DataKind, type DataSource } from './settings-sources.js';

export { OPERATOR_SETTING_KEYS, type FlagSite, type OperatorSettingKey } from '../sites/operator-args.js';
export { envNameOf, parseBool } from './viper.js';
export { releaseOfOperatorImage } from './operator-release.js';
export { managersOfPod, type EnvSite, type ManagerContainer } from './manager-container.js';
export type { OperatorSettingsRead, SettingSource, UnseenSource } from './precedence.js';

/** The operator's configuration file as the stream holds it: a key of a ConfigMap or Secret. */
export interface ConfigSite {
  readonly kind: DataKind;
  readonly name?: string;
  readonly namespace?: string;
  readonly key: string;
  readonly settings: OperatorImageSettings;
}

export interface OperatorModel {
  readonly release: OperatorRelease;
  /** Where the release came from, for the report: `operator image …:3.5.0`, `eckVersion`, or the default. */
  readonly releaseFrom: string;
  readonly manager?: ManagerContainer;
  /** The configuration file the manager reads, when the stream holds it (without a manager: its operator ConfigMap). */
  readonly config?: ConfigSite;
  readonly sources: readonly DataSource[];
  readonly read: OperatorSettingsRead;
  /** For each setting, the unseen sources (not vouched for) that may set it above what the stream says. */
  readonly uncertain: ReadonlyMap<OperatorSettingKey, readonly UnseenSource[]>;
  /** Whether the stream holds an operator at all (a manager or an operator ConfigMap). */
  readonly inStream: boolean;
  readonly warnings: readonly string[];
}

/** A parsed document of the stream with its label for messages. */
export interface ModelInput {
  readonly doc: Document;
  readonly label: string;
}

/** What the stream says about the operator, gathered document by document. */
export interface OperatorPieces {
  readonly managers: ManagerContainer[];
  readonly sources: DataSource[];
}

export function newOperatorPieces(): OperatorPieces {
  return { managers: [], sources: [] };
}

/** Adds the operator's manager containers, and the ConfigMaps and Secrets, of one document. */
export function addOperatorPieces(pieces: OperatorPieces, input: ModelInput): void {
  visitResource(
    input.doc.contents,
    input.doc,
    input.label,
    {
      workload: (r, _kind, pod) => {
        // Every manager is kept: a second one is refused (one-operator.ts), and must be named.
        if (!pod) return;
        for (const m of managersOfPod(pod, input.doc, r.where, r.id)) {
          if (!pieces.managers.some((known) => known.container === m.container)) pieces.managers.push(m);
        }
      },
      settingsData: (r, kind) => {
        pieces.sources.push(readDataSource(r.root, input.doc, kind, r.where, r.id));
      },
    },
    // a malformed workload is reported by the image walk, with its name
    { lenient: true },
  );
}

/** The sources a manager reads that the stream may still bring (its --config file, envFrom, valueFrom). */
function awaited(manager: ManagerContainer): { kind: DataKind; name: string }[] {
  const refs: { kind: DataKind; name: string }[] = [...manager.envFrom];
  if (manager.configFile?.source) refs.push(manager.configFile.source);
  for (const e of manager.env) if (e.valueFrom && e.valueFrom !== 'other') refs.push(e.valueFrom);
  return refs;
}

/**
 * True when no more ConfigMap or Secret can change the model: the first manager is found, with its release, and
 * every ConfigMap and Secret it reads. From there render parses ahead of its walk only what may be a second manager
 * (which is refused).
 */
export function operatorPiecesComplete(pieces: OperatorPieces): boolean {
  const manager = pieces.managers[0];
  if (!manager || releaseOfOperatorImage(manager.image) === undefined) return false;
  return awaited(manager).every(
    (ref) => findSource(pieces.sources, ref.kind, ref.name, manager.namespace) !== undefined,
  );
}

/** The configuration file a manager reads, when the stream holds it. */
export function configReadBy(model: OperatorModel, manager: ManagerContainer): ConfigSite | undefined {
  const ref = manager.configFile?.source;
  if (!ref) return undefined;
  const found = findSource(model.sources, ref.kind, ref.name, manager.namespace);
  return found ? siteOf(found, ref.key) : undefined;
}

function siteOf(source: DataSource, key: string): ConfigSite {
  return {
    kind: source.kind,
    ...(source.name !== undefined ? { name: source.name } : {}),
    ...(source.namespace !== undefined ? { namespace: source.namespace } : {}),
    key,
    settings: source.settings.get(key) ?? {},
  };
}

/** The operator of a stream, from all its documents (see operatorModelOf). */
export function operatorModel(
  inputs: readonly ModelInput[],
  eckVersion: string | undefined,
  vouched: readonly string[] = [],
): OperatorModel {
  const pieces = newOperatorPieces();
  for (const input of inputs) addOperatorPieces(pieces, input);
  return operatorModelOf(pieces, eckVersion, vouched);
}

/**
 * The operator from what the stream says. `eckVersion` is the setting of that name (undefined when unset); `vouched`
 * the unseen sources the user vouches set none of the image settings. Throws a UsageError when eckVersion disagrees
 * with the operator image in the stream, an InputError when the operator could not start (UBI mode and a suffix at
 * once) or its configuration file cannot be read as the operator reads it.
 */
export function operatorModelOf(
  pieces: OperatorPieces,
  eckVersion: string | undefined,
  vouched: readonly string[] = [],
): OperatorModel {
  const { managers, sources } = pieces;
  refuseSeveralOperators(managers);
  const manager = managers[0];
  const { release, releaseFrom, warnings: releaseWarnings } = chooseRelease(managers, eckVersion);
  const warnings = [...releaseWarnings];
  // Without a manager in the stream (or a manager whose --config path has no mount written): the operator
  // ConfigMap the stream has (its `eck.yaml`).
  const fallback =
    manager && !manager.configFile?.noMount
      ? undefined
      : sources.find((s) => s.kind === 'ConfigMap' && s.keys.get(OPERATOR_CONFIG_KEY)?.field === 'data');
  const { read, uncertain, config } = readPrecedence(
    manager,
    sources,
    new Set(vouched),
    fallback ? { source: fallback, key: OPERATOR_CONFIG_KEY } : undefined,
  );
  const configSite = config ? siteOf(config.source, config.key) : undefined;
  if (configSite?.settings.problem) throw new InputError(configSite.settings.problem);
  if (manager?.configFile?.source && config) {
    const format = configFormat(manager.configFile.path);
    if (format !== 'yaml') {
      throw new InputError(
        `${manager.where}: the operator reads its --config file ${manager.configFile.path} as ${format} (viper goes by the file's ` +
          `extension); eck-airgap reads and edits it only as YAML. Mount it with a .yaml or .yml name.`,
      );
    }
  }
  // pflag parses a bool flag with strconv.ParseBool: any other value stops the operator before it starts.
  const badBool = manager?.flags.find((f) => f.key === 'ubi-only' && parseBool(f.value) === undefined);
  if (badBool) {
    throw new InputError(
      `${manager!.where}: the operator's flag --ubi-only=${badBool.value} is not a boolean (strconv.ParseBool: 1, t, true, 0, f, false…); ` +
        'the ECK operator refuses to start with it. Write --ubi-only or --ubi-only=false.',
    );
  }
  if (read.ubiOnly && read.suffix && read.suffix.value !== '') {
    const where = manager?.where ?? 'the operator ConfigMap';
    throw new InputError(
      `${where}: the operator sets both ubi-only (${read.ubiOnly.from}) and container-suffix ` +
        `"${read.suffix.value}" (${read.suffix.from}); the ECK operator refuses to start ` +
        `with both set. Remove one of them.`,
    );
  }
  for (const { source, keys } of unseenOf(uncertain)) {
    warnings.push(
      `${manager?.where ?? 'the operator'}: the operator reads ${source.what}; it may set ${keys.join(', ')}, which eck-airgap ` +
        `cannot know. render makes the mirror win through flags where it can; the images named assume it sets none of them, ` +
        `and check does not pass. Add ${source.id} to the stream, or vouch that it sets none of them: --vouch-source ${source.id} ` +
        `(vouchedSources).`,
    );
  }
  return {
    release,
    releaseFrom,
    ...(manager ? { manager } : {}),
    ...(configSite ? { config: configSite } : {}),
    sources,
    read,
    uncertain,
    inStream: manager !== undefined || fallback !== undefined,
    warnings,
  };
}

/** How viper reads a config file: by its extension (viper.go getConfigType; `.yml` and `.yaml` are YAML). */
function configFormat(path: string): string {
  const ext = /\.([^./]+)$/.exec(path)?.[1];
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  return ext === undefined ? 'a file without an extension (which the operator refuses)' : ext;
}

/** Every unseen source of the model, once each, with the settings it may set. */
export function unseenSources(model: OperatorModel): { source: UnseenSource; keys: OperatorSettingKey[] }[] {
  return unseenOf(model.uncertain);
}

function unseenOf(uncertain: OperatorModel['uncertain']): { source: UnseenSource; keys: OperatorSettingKey[] }[] {
  const byId = new Map<string, { source: UnseenSource; keys: OperatorSettingKey[] }>();
  for (const [key, list] of uncertain) {
    for (const source of list) {
      const entry = byId.get(source.id) ?? { source, keys: [] };
      entry.keys.push(key);
      byId.set(source.id, entry);
    }
  }
  return [...byId.values()];
}

/** The suffix in eck-airgap's terms (UBI mode is `-ubi`) the operator uses, as read; undefined when none. */
function suffixAsRead(read: OperatorSettingsRead): string | undefined {
  if (read.ubiOnly?.value) return UBI_SUFFIX;
  return read.suffix && read.suffix.value !== '' ? read.suffix.value : undefined;
}

/** The operator's `container-suffix` says `-ubi` (not `ubi-only`): operator 2.10 appends it as written. */
function writtenUbiSuffix(read: OperatorSettingsRead): boolean {
  return !read.ubiOnly?.value && read.suffix?.value === UBI_SUFFIX;
}

/** eck-airgap's settings that bear on the operator. */
export interface MirrorSettings {
  readonly registry: string;
  readonly repository?: string | undefined;
  /** UBI mode is `-ubi`. */
  readonly suffix?: string | undefined;
}

/**
 * The one builder of container settings: where the operator pulls from. `mirror` undefined: as the stream says,
 * before render (registry default docker.elastic.co). Given: once rendered — the mirror; the repository and suffix
 * eck-airgap's settings say or, where they leave them unset, the operator's own.
 */
export function containerSettings(model: OperatorModel, mirror?: MirrorSettings): ContainerSettings {
  const { read } = model;
  const repository = mirror?.repository ?? read.repository?.value;
  const suffix = mirror?.suffix ?? suffixAsRead(read);
  return containerSettingsOf({
    registry: mirror ? mirror.registry : read.registry?.value || DEFAULT_CONTAINER_REGISTRY,
    repository,
    suffix,
    // eck-airgap's own suffix -ubi is UBI mode (written as ubi-only); the operator's written one stays as written.
    literalSuffix: mirror?.suffix === undefined && writtenUbiSuffix(read),
    release: model.release,
  });
}

/** Where the operator pulls from as the stream says, before render. */
export function pullsFromNow(model: OperatorModel): ContainerSettings {
  return containerSettings(model);
}

/** Where the operator pulls from once rendered. */
export function pullsFromAfterRender(model: OperatorModel, settings: MirrorSettings): ContainerSettings {
  return containerSettings(model, settings);
}

/** The ConfigMap/Secret document's key that is the configuration file the operator reads, if this is it. */
export function configEntryOf(
  model: OperatorModel,
  kind: DataKind,
  id: { name?: string | undefined; namespace?: string | undefined },
): ConfigSite | undefined {
  const c = model.config;
  if (!c || c.kind !== kind || c.name !== id.name) return undefined;
  if (c.namespace !== undefined && id.namespace !== undefined && c.namespace !== id.namespace) return undefined;
  return c;
}
