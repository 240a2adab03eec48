/** Reads, checks and merges the three sources into the settings a command runs with. */
import { UsageError } from '../errors.js';
import { UBI_SUFFIX } from '../eck/suffixes.js';
import { DEFAULTS, type Settings } from './settings.js';
import { settingsSchema, type PartialSettings } from './schema.js';
import { configFilePath, envSource, flagSource, type FlagValues, type Source } from './sources.js';

function valueAt(values: unknown, path: readonly PropertyKey[]): unknown {
  let value = values;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${JSON.stringify(value)}`;
}

function check(source: Source, problems: string[]): PartialSettings {
  const result = settingsSchema.safeParse(source.values);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.');
    const what =
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
        : issue.code === 'invalid_type'
          ? `expected ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping' : `a ${issue.expected}`}, found ${describe(valueAt(source.values, issue.path))}`
          : issue.message;
    problems.push(key ? `${source.label}: ${source.keyName(key)}${source.keyName(key) !== key ? ` (${key})` : ''}: ${what}` : `${source.label}: ${what}`);
  }
  return {};
}

export interface LoadOptions {
  readonly flags: FlagValues;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Whether a registry is required (render: yes; images and check can run without one). */
  readonly requireRegistry: boolean;
}

/** The settings from flags, environment and the config file (read, with the YAML parser, only when there is one). */
export async function loadSettings(options: LoadOptions): Promise<Settings> {
  const path = configFilePath(options.flags.config, options.env, options.cwd);
  const file = path === undefined ? undefined : (await import('./file-source.js')).fileSource(path);
  return settingsFrom(options, file);
}

/** The settings from flags, environment and, when given, the config file's source. */
export function settingsFrom(options: LoadOptions, file?: Source): Settings {
  const problems: string[] = [];
  const sources = [flagSource(options.flags), envSource(options.env), ...(file ? [file] : [])];
  const checked = sources.map((source) => check(source, problems));
  // Highest first: a key set by an earlier source wins.
  const merged: PartialSettings = {};
  for (const partial of [...checked].reverse()) Object.assign(merged, partial);

  if (merged.ubiOnly && merged.suffix !== undefined && merged.suffix !== UBI_SUFFIX) {
    problems.push(`ubiOnly and suffix "${merged.suffix}" are both set; the operator takes one or the other (ubiOnly is the same as suffix -ubi).`);
  }
  const registry = merged.registry;
  const sourceRegistries = merged.sourceRegistries ?? [...DEFAULTS.sourceRegistries];
  if (registry && sourceRegistries.includes(registry)) {
    problems.push(`registry ${registry} is also a source registry; the mirror must be another registry.`);
  }
  const registryGiven = sources.some((source) => source.values.registry !== undefined);
  if (!registryGiven && options.requireRegistry) {
    problems.push(
      'No registry given. Say where the mirror is in one of three ways: the flag --registry my.registry:5000, ' +
        'the environment variable ECK_AIRGAP_REGISTRY (or ARGOCD_ENV_ECK_AIRGAP_REGISTRY), ' +
        'or `registry: my.registry:5000` in the config file (-c FILE, $ECK_AIRGAP_CONFIG, or ./eck-airgap.yaml).',
    );
  }
  if (problems.length > 0) {
    throw new UsageError(problems.length === 1 ? problems[0]! : `Invalid settings:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    registry: registry ?? '',
    repository: merged.repository,
    suffix: merged.ubiOnly ? UBI_SUFFIX : merged.suffix,
    imagePullSecrets: [...new Set(merged.imagePullSecrets ?? [])],
    sourceRegistries,
    operatorRepository: merged.operator?.repository ?? DEFAULTS.operatorRepository,
    setDefaultImages: merged.setDefaultImages ?? DEFAULTS.setDefaultImages,
    mirrors: merged.mirrors ?? {},
    ...(merged.eckVersion !== undefined ? { eckVersion: merged.eckVersion } : {}),
  };
}
