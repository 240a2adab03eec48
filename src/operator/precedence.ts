/**
 * What the operator reads for each of its image settings, with viper's precedence (ECK cmd/manager/main.go at
 * v2.10.0..v3.5.0 and main: BindPFlags, AutomaticEnv with the `-` → `_` replacer and no prefix, ReadInConfig):
 * flags over environment over the `--config` file over defaults. The environment is the container's as Kubernetes
 * composes it: `envFrom` sources in order (a later one wins), then `env` entries over them. viper reads an empty
 * variable as unset. A source the stream does not hold (an `envFrom` or `valueFrom` ConfigMap/Secret applied
 * separately, a `--config` file mounted from one, a field reference) is *unseen*: what it says cannot be known, so
 * each setting it may set above the value found is uncertain — unless the user vouches for the source.
 */
import type { FlagSite, OperatorSettingKey } from '../sites/operator-args.js';
import { OPERATOR_SETTING_KEYS } from '../sites/operator-args.js';
import type { ManagerContainer } from './manager-container.js';
import type { OperatorImageSettings } from './operator-config.js';
import { findSource, sourceId, type DataSource } from './settings-sources.js';
import { boolOfText, envNameOf } from './viper.js';

export type SettingSource = 'flag' | 'env' | 'config';

export interface Value<T> {
  readonly value: T;
  readonly source: SettingSource;
  /** The source in messages: `--container-suffix`, `CONTAINER_SUFFIX (envFrom ConfigMap x)`, `ubi-only in Secret y`. */
  readonly from: string;
}

/** What the operator reads for each setting (highest source first), before render. */
export interface OperatorSettingsRead {
  readonly registry?: Value<string>;
  readonly repository?: Value<string>;
  readonly suffix?: Value<string>;
  /** Present when ubi-only is set at all (viper.IsSet), whatever its value. */
  readonly ubiOnly?: Value<boolean>;
}

/** A source the operator reads that the stream does not hold. */
export interface UnseenSource {
  /** How the user names it to vouch for it: `ConfigMap/NAME`, `Secret/NAME`, `env/NAME`, `file:/PATH`. */
  readonly id: string;
  /** `the --config file /conf/eck.yaml (key eck.yaml of ConfigMap elastic-operator, not in the stream)`. */
  readonly what: string;
}

export interface PrecedenceResult {
  readonly read: OperatorSettingsRead;
  /** For each setting, the unseen sources above the value read (or above the default): it may be other. */
  readonly uncertain: ReadonlyMap<OperatorSettingKey, readonly UnseenSource[]>;
  /** The configuration file the manager reads, when it is in the stream. */
  readonly config?: { readonly source: DataSource; readonly key: string; readonly settings: OperatorImageSettings };
}

type Step<T> = { value: Value<T> } | { unseen: UnseenSource } | { unset: true } | undefined;

function lastFlag(flags: readonly FlagSite[], key: OperatorSettingKey): FlagSite | undefined {
  const mine = flags.filter((f) => f.key === key);
  return mine[mine.length - 1];
}

function configValue(settings: OperatorImageSettings, key: OperatorSettingKey): string | boolean | undefined {
  switch (key) {
    case 'container-registry':
      return settings.registry;
    case 'container-repository':
      return settings.repository;
    case 'container-suffix':
      return settings.suffix;
    case 'ubi-only':
      return settings.ubiOnlySet ? (settings.ubiOnly ?? false) : undefined;
  }
}

/**
 * Reads the settings of a manager (or, without one, of the operator ConfigMap `fallbackConfig`) from the sources
 * of the stream. `vouched` holds the ids of unseen sources the user says set none of the settings.
 */
export function readPrecedence(
  manager: ManagerContainer | undefined,
  sources: readonly DataSource[],
  vouched: ReadonlySet<string>,
  fallbackConfig?: { source: DataSource; key: string },
): PrecedenceResult {
  const ns = manager?.namespace;
  const unseen = (id: string, what: string): Step<never> => (vouched.has(id) ? undefined : { unseen: { id, what } });

  // The configuration file the manager reads.
  let config: PrecedenceResult['config'];
  let configUnseen: UnseenSource | undefined;
  const file = manager ? manager.configFile : undefined;
  if (file?.source) {
    const { kind, name, key } = file.source;
    const found = findSource(sources, kind, name, ns);
    if (found) config = { source: found, key, settings: found.settings.get(key) ?? {} };
    else if (!vouched.has(sourceId(kind, name))) {
      configUnseen = {
        id: sourceId(kind, name),
        what: `the --config file ${file.path} (key ${key} of ${kind} ${name}, not in the stream)`,
      };
    }
  } else if (file?.noMount && fallbackConfig) {
    // No mount written (a manifest with its volumes left out): the operator ConfigMap of the stream, as before.
    config = { ...fallbackConfig, settings: fallbackConfig.source.settings.get(fallbackConfig.key) ?? {} };
  } else if (file?.unfollowable !== undefined) {
    const id = `file:${file.path}`;
    if (!vouched.has(id)) configUnseen = { id, what: `the --config file ${file.path} (${file.unfollowable})` };
  } else if (!manager && fallbackConfig) {
    config = { ...fallbackConfig, settings: fallbackConfig.source.settings.get(fallbackConfig.key) ?? {} };
  }

  const envStep = (key: OperatorSettingKey): Step<string>[] => {
    if (!manager) return [];
    const name = envNameOf(key);
    const steps: Step<string>[] = [];
    const explicit = manager.env.filter((e) => e.name === name);
    const site = explicit[explicit.length - 1];
    if (site) {
      // An `env` entry overrides every envFrom source of the same name.
      if (site.valueFrom === 'other')
        return [unseen(`env/${name}`, `the environment variable ${name} (valueFrom a field or resource reference)`)];
      if (site.valueFrom) {
        const { kind, name: source, key: dataKey } = site.valueFrom;
        const found = findSource(sources, kind, source, ns);
        if (!found)
          return [
            unseen(
              sourceId(kind, source),
              `the environment variable ${name} (valueFrom key ${dataKey} of ${kind} ${source}, not in the stream)`,
            ),
          ];
        const text = found.envValues.get(dataKey) ?? '';
        return [
          text === ''
            ? { unset: true }
            : { value: { value: text, source: 'env', from: `${name} (valueFrom ${kind} ${source})` } },
        ];
      }
      return [site.value === '' ? { unset: true } : { value: { value: site.value, source: 'env', from: name } }];
    }
    for (const ref of [...manager.envFrom].reverse()) {
      if (!name.startsWith(ref.prefix)) continue;
      const dataKey = name.slice(ref.prefix.length);
      const found = findSource(sources, ref.kind, ref.name, ns);
      if (!found) {
        steps.push(
          unseen(
            sourceId(ref.kind, ref.name),
            `envFrom ${ref.kind} ${ref.name}${ref.prefix ? ` (prefix ${ref.prefix})` : ''}, not in the stream`,
          ),
        );
        continue;
      }
      if (!found.keys.has(dataKey)) continue;
      const text = found.envValues.get(dataKey) ?? '';
      steps.push(
        text === ''
          ? { unset: true }
          : { value: { value: text, source: 'env', from: `${name} (envFrom ${ref.kind} ${ref.name})` } },
      );
      break;
    }
    return steps;
  };

  const resolve = <T>(
    key: OperatorSettingKey,
    convert: (s: string) => T,
  ): { value?: Value<T>; unknown: UnseenSource[] } => {
    const unknown: UnseenSource[] = [];
    const flag = manager ? lastFlag(manager.flags, key) : undefined;
    if (flag) return { value: { value: convert(flag.value), source: 'flag', from: `--${key}` }, unknown };
    for (const step of envStep(key)) {
      if (!step) continue;
      if ('unseen' in step) unknown.push(step.unseen);
      else if ('unset' in step)
        break; // an empty variable: viper reads it as unset, the file is next
      else return { value: { ...step.value, value: convert(step.value.value) }, unknown };
    }
    if (configUnseen) unknown.push(configUnseen);
    if (config) {
      const v = configValue(config.settings, key);
      const where = `${key} in ${config.source.kind}${config.source.name !== undefined ? ` ${config.source.name}` : ''} (${config.key})`;
      if (v !== undefined)
        return {
          value: { value: (typeof v === 'boolean' ? v : convert(v)) as T, source: 'config', from: where },
          unknown,
        };
    }
    return { unknown };
  };

  const text = (s: string): string => s;
  const registry = resolve('container-registry', text);
  const repository = resolve('container-repository', text);
  const suffix = resolve('container-suffix', text);
  const ubiOnly = resolve('ubi-only', boolOfText);
  const uncertain = new Map<OperatorSettingKey, UnseenSource[]>();
  const results = {
    'container-registry': registry,
    'container-repository': repository,
    'container-suffix': suffix,
    'ubi-only': ubiOnly,
  };
  for (const key of OPERATOR_SETTING_KEYS)
    if (results[key].unknown.length > 0) uncertain.set(key, results[key].unknown);
  return {
    read: {
      ...(registry.value ? { registry: registry.value } : {}),
      ...(repository.value ? { repository: repository.value } : {}),
      ...(suffix.value ? { suffix: suffix.value } : {}),
      ...(ubiOnly.value ? { ubiOnly: ubiOnly.value } : {}),
    },
    uncertain,
    ...(config ? { config } : {}),
  };
}
