/**
 * The plan's operator-setting sites: every place the ECK operator reads where it pulls stack images from — its
 * manager container's flags (`--container-registry`, `--container-repository`, `--container-suffix`, `--ubi-only`) and
 * environment (`CONTAINER_REGISTRY`…, viper's AutomaticEnv), the flags render adds so the mirror wins where a source
 * is not edited (envFrom, valueFrom, a source the stream does not hold), the same flags on other containers, the
 * `--config` file (a ConfigMap or Secret key), and each source the stream does not hold (unseen). Each site says
 * the value the operator reads before render, the value after, and how render writes it. ECK cmd/manager/main.go
 * (v2.10.0..v3.5.0, main) for the flags and viper's precedence; pkg/controller/common/container for how they name
 * images. render turns the sites into edits (src/render/plan-operator.ts); check names the unseen ones.
 */
import type { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { isUbiMode, type ContainerSettings } from '../eck/naming.js';
import { InputError } from '../errors.js';
import { editedConfigText, wantedChanges, type OperatorConfigChanges } from '../operator/operator-config.js';
import {
  configEntryOf,
  configReadBy,
  unseenSources,
  type ManagerContainer,
  type OperatorModel,
  type OperatorSettingKey,
  type UnseenSource,
} from '../operator/operator-model.js';
import { entryNode, entryText } from '../operator/settings-sources.js';
import { envNameOf, parseBool } from '../operator/viper.js';
import { operatorFlagSites } from '../sites/operator-args.js';
import type { Visited } from '../sites/visit-resource.js';
import type { WorkloadPodSpec } from '../sites/workload.js';

/**
 * Where the setting is read from: a flag of the manager (or of another container passing the operator's flags), an
 * `env` entry, the flags render adds to the manager's args, the `--config` file's key, or a source the stream does
 * not hold.
 */
export type SettingSiteKind =
  'setting-flag' | 'setting-env' | 'setting-added-flags' | 'setting-config' | 'setting-unseen';

/** How render writes a setting site (several writes make one site: a flag turned into another, an env entry renamed). */
export type SettingWrite =
  /** The scalar becomes `text`. */
  | { readonly how: 'replace'; readonly node: Scalar; readonly text: string }
  /** `items` appended to the manager's argument list. */
  | { readonly how: 'append'; readonly seq: YAMLSeq; readonly items: readonly string[] }
  /** `args: [items]` added to the manager container (it had none: the image's command is replaced, so `manager` first). */
  | { readonly how: 'add-args'; readonly container: YAMLMap; readonly items: readonly string[] }
  /** A text value of the configuration file edited to say `changes` (edits made with the document's text). */
  | { readonly how: 'config'; readonly node: Scalar; readonly changes: OperatorConfigChanges; readonly field: string };

export interface SettingSite {
  readonly kind: SettingSiteKind;
  /** The settings this site sets (the added flags, the config file: several). */
  readonly keys: readonly OperatorSettingKey[];
  /** `<document>: Kind namespace/name`, for messages. */
  readonly where: string;
  /** `--container-registry`, `env CONTAINER_REGISTRY`, `args`, `data["eck.yaml"]`, or the unseen source's id. */
  readonly field: string;
  /** What the operator reads here before render (for the config file: its registry). */
  readonly before: string | undefined;
  /** What it reads after render (equal to `before` where render writes nothing). */
  readonly after: string | undefined;
  /** How render writes `after`; empty when it writes nothing here. */
  readonly writes: readonly SettingWrite[];
  /** For an unseen source: which one. */
  readonly unseen?: UnseenSource;
}

/** What the setting sites are planned with. */
export interface SettingContext {
  readonly operator: OperatorModel;
  /** Where the operator pulls from once rendered. */
  readonly container: ContainerSettings;
  /** Render writes the sites (render); otherwise each site reads as it is (check, images). */
  readonly write: boolean;
  readonly warn: (message: string) => void;
}

function site(
  kind: SettingSiteKind,
  keys: readonly OperatorSettingKey[],
  where: string,
  field: string,
  before: string | undefined,
  after: string | undefined,
  writes: readonly SettingWrite[] = [],
): SettingSite {
  return { kind, keys, where, field, before, after, writes };
}

/**
 * The setting sites of a workload: its operator manager containers' (`managers`, in order), or — a workload with no
 * manager — every container's string setting flags (render keeps them pointing at the mirror too).
 */
export function workloadSettingSites(
  ctx: SettingContext,
  v: Visited,
  pod: WorkloadPodSpec,
  managers: readonly ManagerContainer[],
): SettingSite[] {
  if (managers.length === 0) return otherFlagSites(ctx, v, pod.podSpec);
  const sites: SettingSite[] = [];
  for (const manager of managers) sites.push(...managerSites(ctx, v.where, manager));
  return sites;
}

/** The operator's `--container-registry=…` style flags on containers that are not the manager. */
function otherFlagSites(ctx: SettingContext, v: Visited, podSpec: YAMLMap): SettingSite[] {
  const sites: SettingSite[] = [];
  const want = ctx.container;
  const ubi = isUbiMode(want);
  for (const flag of operatorFlagSites(podSpec, v.doc)) {
    // In UBI mode the ConfigMap says `ubi-only: true` and has no `container-suffix`; the operator refuses both at
    // once, so a suffix flag is emptied (an empty suffix is the operator's default).
    const wanted =
      flag.key === 'container-registry'
        ? want.registry
        : flag.key === 'container-repository'
          ? want.repository
          : ubi
            ? ''
            : want.suffix;
    const field = `--${flag.key}`;
    if (!ctx.write || wanted === undefined || wanted === flag.value) {
      sites.push(site('setting-flag', [flag.key], v.where, field, flag.value, flag.value));
      continue;
    }
    const text = flag.inline ? `--${flag.key}=${wanted}` : wanted;
    sites.push(
      site('setting-flag', [flag.key], v.where, field, flag.value, wanted, [{ how: 'replace', node: flag.node, text }]),
    );
  }
  return sites;
}

/**
 * The operator's manager container: every flag and environment variable that sets where it pulls from is made
 * to say the mirror (and the repository, suffix and UBI mode of the configuration); when no source the manager
 * reads sets one of them, it is added to its args. The sources it reads that the stream does not hold follow.
 */
function managerSites(ctx: SettingContext, where: string, manager: ManagerContainer): SettingSite[] {
  const sites: SettingSite[] = [];
  const want = ctx.container;
  const ubi = isUbiMode(want);
  const wantText = (key: OperatorSettingKey): string | undefined => {
    if (!ctx.write) return undefined;
    switch (key) {
      case 'container-registry':
        return want.registry;
      case 'container-repository':
        return want.repository;
      case 'container-suffix':
        return ubi ? '' : want.suffix;
      case 'ubi-only':
        return ubi ? 'true' : want.suffix !== undefined ? 'false' : undefined;
    }
  };
  for (const flag of manager.flags) {
    const field = `--${flag.key}`;
    const value = wantText(flag.key);
    const unchanged = (): void =>
      void sites.push(site('setting-flag', [flag.key], where, field, flag.value, flag.value));
    if (value === undefined) {
      unchanged();
      continue;
    }
    if (flag.key === 'ubi-only') {
      const now = parseBool(flag.value) ?? false;
      if (ubi && !now) {
        sites.push(
          site('setting-flag', ['ubi-only'], where, field, flag.value, 'true', [
            { how: 'replace', node: flag.node, text: '--ubi-only' },
          ]),
        );
      } else if (!ubi && want.suffix !== '') {
        // The operator refuses a suffix while --ubi-only is given at all (even =false): the flag becomes the suffix.
        const text = `--container-suffix=${want.suffix}`;
        sites.push(
          site('setting-flag', ['ubi-only', 'container-suffix'], where, field, flag.value, text, [
            { how: 'replace', node: flag.node, text },
          ]),
        );
      } else unchanged();
      continue;
    }
    if (value === flag.value) {
      unchanged();
      continue;
    }
    const text = flag.inline ? `--${flag.key}=${value}` : value;
    sites.push(
      site('setting-flag', [flag.key], where, field, flag.value, value, [{ how: 'replace', node: flag.node, text }]),
    );
  }
  for (const env of manager.env) {
    const field = `env ${env.name}`;
    const value = wantText(env.key);
    const unchanged = (): void => void sites.push(site('setting-env', [env.key], where, field, env.value, env.value));
    // An entry without a value (or an empty one) is unset for the operator: it sets nothing.
    if (value === undefined || !env.valueNode || env.value === '') {
      unchanged();
      continue;
    }
    if (env.key === 'ubi-only') {
      const now = parseBool(env.value) ?? false;
      if (ubi && !now) {
        sites.push(
          site('setting-env', ['ubi-only'], where, field, env.value, 'true', [
            { how: 'replace', node: env.valueNode, text: 'true' },
          ]),
        );
      } else if (!ubi && want.suffix !== '') {
        sites.push(
          site(
            'setting-env',
            ['ubi-only', 'container-suffix'],
            where,
            field,
            env.value,
            `CONTAINER_SUFFIX=${want.suffix}`,
            [
              { how: 'replace', node: env.nameNode, text: 'CONTAINER_SUFFIX' },
              { how: 'replace', node: env.valueNode, text: want.suffix! },
            ],
          ),
        );
      } else unchanged();
      continue;
    }
    if (value === env.value) {
      unchanged();
      continue;
    }
    sites.push(
      site('setting-env', [env.key], where, field, env.value, value, [
        { how: 'replace', node: env.valueNode, text: value },
      ]),
    );
  }
  if (ctx.write) {
    const added = flagsToAdd(ctx, manager, ubi);
    if (added.length > 0) {
      const keys = [...new Set(added.map((a) => /^--([a-z-]+)/.exec(a)![1] as OperatorSettingKey))];
      sites.push(
        site('setting-added-flags', keys, where, 'args', '', added.join(' '), [
          manager.argv
            ? { how: 'append', seq: manager.argv, items: added }
            : // Without args the image's default command runs (`manager`): args replace it, so it comes first.
              { how: 'add-args', container: manager.container, items: ['manager', ...added] },
        ]),
      );
    }
  }
  // The sources this manager reads that the stream does not hold (and nobody vouched for): nothing to write.
  if (ctx.operator.manager?.container === manager.container) {
    for (const { source, keys } of unseenSources(ctx.operator)) {
      sites.push({ ...site('setting-unseen', keys, where, source.id, undefined, undefined), unseen: source });
    }
  }
  return sites;
}

/**
 * The flags to add so that the mirror wins (flags are the operator's highest source): for each setting no flag of
 * the manager sets whose value after render is not already the edited one — set by an envFrom/valueFrom source, by a
 * source the stream does not hold, or by nothing while no configuration file in the stream is edited to say it.
 * Never a combination the operator refuses: a suffix is not added where ubi-only may be set by a source render does
 * not edit (refused when the stream shows it, a warning when it is unseen).
 */
function flagsToAdd(ctx: SettingContext, manager: ManagerContainer, ubi: boolean): string[] {
  const want = ctx.container;
  const model = ctx.operator;
  const isModelManager = model.manager?.container === manager.container;
  // The configuration file in the stream this manager reads gets the mirror written into it.
  const edited = model.config !== undefined || configReadBy(model, manager) !== undefined;
  const hasFlag = (key: OperatorSettingKey): boolean => manager.flags.some((f) => f.key === key);
  const literalEnv = (key: OperatorSettingKey): boolean =>
    manager.env.some((e) => e.key === key && e.valueNode !== undefined && e.value !== '');
  /** Whether the value after render is not sure to be the edited one: a flag is needed. */
  const needsFlag = (key: OperatorSettingKey): boolean => {
    if (hasFlag(key)) return false;
    if (!isModelManager) return !literalEnv(key) && !edited;
    const value = readOf(model, key);
    if ((model.uncertain.get(key)?.length ?? 0) > 0) return true;
    if (value?.source === 'env') return value.from !== envNameOf(key);
    if (value?.source === 'config') return false;
    return !edited;
  };
  /** ubi-only set (viper.IsSet) by a source render does not edit, seen or not. */
  const ubiOnlyFixed = (): 'seen' | 'unseen' | undefined => {
    if (!isModelManager || hasFlag('ubi-only')) return undefined;
    const value = model.read.ubiOnly;
    if (value?.source === 'env' && value.from !== envNameOf('ubi-only')) return 'seen';
    return (model.uncertain.get('ubi-only')?.length ?? 0) > 0 ? 'unseen' : undefined;
  };
  const added: string[] = [];
  if (needsFlag('container-registry')) added.push(`--container-registry=${want.registry}`);
  if (want.repository !== undefined && needsFlag('container-repository'))
    added.push(`--container-repository=${want.repository}`);
  if (ubi) {
    if (needsFlag('ubi-only') && !literalEnv('ubi-only')) added.push('--ubi-only');
    // An empty suffix flag overrides a suffix the environment or an unseen file may hold (viper: a set flag wins).
    const suffix = model.read.suffix;
    if (
      isModelManager &&
      !hasFlag('container-suffix') &&
      ((model.uncertain.get('container-suffix')?.length ?? 0) > 0 ||
        (suffix?.source === 'env' && suffix.from !== envNameOf('container-suffix') && suffix.value !== ''))
    ) {
      added.push('--container-suffix=');
    }
  } else if (want.suffix !== undefined && want.suffix !== '' && !hasFlag('ubi-only') && needsFlag('container-suffix')) {
    const fixed = ubiOnlyFixed();
    if (fixed === 'seen') {
      throw new InputError(
        `${manager.where}: ubi-only is set by ${model.read.ubiOnly!.from}, which render does not edit; with the suffix ` +
          `"${want.suffix}" as a flag the ECK operator would refuse to start. Remove UBI_ONLY from that source, or set ` +
          'container-suffix there, and render again.',
      );
    }
    if (fixed === 'unseen') {
      const ids = model.uncertain
        .get('ubi-only')!
        .map((u) => u.id)
        .join(', ');
      ctx.warn(
        `${manager.where}: --container-suffix=${want.suffix} is not added: ${ids} may set ubi-only, and the ECK operator refuses ` +
          'to start with both. Set container-suffix in that source, or vouch for it (--vouch-source) and render again.',
      );
    } else if (!literalEnv('ubi-only')) {
      added.push(`--container-suffix=${want.suffix}`);
    }
  }
  return added;
}

function readOf(
  model: OperatorModel,
  key: OperatorSettingKey,
): { source: string; from: string; value: unknown } | undefined {
  switch (key) {
    case 'container-registry':
      return model.read.registry;
    case 'container-repository':
      return model.read.repository;
    case 'container-suffix':
      return model.read.suffix;
    case 'ubi-only':
      return model.read.ubiOnly;
  }
}

/** The operator's configuration file, when this ConfigMap or Secret holds it: its key, to say the mirror once rendered. */
export function configFileSites(ctx: SettingContext, v: Visited, kind: 'ConfigMap' | 'Secret'): SettingSite[] {
  const config = configEntryOf(ctx.operator, kind, v.id);
  if (!config) return [];
  const found = entryNode(v.root, v.doc, kind, config.key);
  if (!found) return [];
  const field = `${found.entry.field}["${config.key}"]`;
  const current = config.settings;
  const changes = ctx.write ? wantedChanges(current, ctx.container) : new Map<string, string | null>();
  const keys = [...changes.keys()] as OperatorSettingKey[];
  if (changes.size === 0) return [site('setting-config', [], v.where, field, current.registry, current.registry)];
  let write: SettingWrite;
  if (found.entry.base64) {
    const encoded = String(found.node.value);
    const text = entryText(found.node, found.entry);
    if (text === undefined || Buffer.from(text, 'utf8').toString('base64') !== encoded.replace(/\s+/g, '')) {
      throw new InputError(
        `${v.where}, ${field}: cannot point the operator at the mirror: its base64 value is not UTF-8 text that encodes back the same. Write the configuration in stringData and render again.`,
      );
    }
    const edited = editedConfigText(text, changes, v.where, field);
    write = { how: 'replace', node: found.node, text: Buffer.from(edited, 'utf8').toString('base64') };
  } else {
    write = { how: 'config', node: found.node, changes, field };
  }
  return [site('setting-config', keys, v.where, field, current.registry, ctx.container.registry, [write])];
}
