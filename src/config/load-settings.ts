/** Reads, checks and merges the three sources into the settings a command runs with. */
import { UsageError } from '../errors.js';
import { UBI_SUFFIX } from '../eck/suffixes.js';
import { SETTING_KEYS, SETTINGS } from './descriptors.js';
import { checkSettings, type Issue, type Rule } from './rules.js';
import { DEFAULTS, type PartialSettings, type Settings } from './settings.js';
import {
  configFilePath,
  deprecationNotes,
  envSource,
  flagSource,
  unknownVariables,
  type FlagValues,
  type Source,
} from './sources.js';
import { writeStderr } from '../io/write-output.js';

function check(source: Source, problems: string[]): PartialSettings {
  const issues = (source.validate ?? validateValues)(source.values);
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    problems.push(
      key
        ? `${source.label}: ${source.keyName(key)}${source.keyName(key) !== key ? ` (${key})` : ''}: ${issue.message}`
        : `${source.label}: ${issue.message}`,
    );
  }
  return issues.length === 0 ? (source.values as PartialSettings) : {};
}

/** Flag and environment values, checked by the rules of the descriptor table (no zod on the path of every run). */
const RULES: Record<string, Rule> = Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].rule]));
function validateValues(values: Readonly<Record<string, unknown>>): Issue[] {
  return checkSettings(RULES, values);
}

export interface LoadOptions {
  readonly flags: FlagValues;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Whether a registry is required (render: yes; images and check can run without one). */
  readonly requireRegistry: boolean;
  /** No warnings on stderr (-q). */
  readonly quiet?: boolean;
}

/** The settings from flags, environment and the config file (read, with the YAML parser, only when there is one). */
export async function loadSettings(options: LoadOptions): Promise<Settings> {
  const path = configFilePath(options.flags.config, options.env, options.cwd);
  const file = path === undefined ? undefined : (await import('./file-source.js')).fileSource(path);
  const settings = settingsFrom(options, file);
  if (!options.quiet && !(options.flags as { quiet?: boolean }).quiet) {
    for (const line of [...deprecationNotes(options.flags, options.env), ...unknownVariables(options.env)])
      writeStderr(`eck-airgap: warning: ${line}\n`);
  }
  return settings;
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
    problems.push(
      `ubiOnly and suffix "${merged.suffix}" are both set; the operator takes one or the other (ubiOnly is the same as suffix -ubi).`,
    );
  }
  const registry = merged.registry;
  // --source-registry adds to docker.elastic.co; dropping it is its own setting (defaultSourceRegistry: false).
  const sourceRegistries = [
    ...new Set([
      ...(merged.defaultSourceRegistry === false ? [] : DEFAULTS.sourceRegistries),
      ...(merged.sourceRegistries ?? []),
    ]),
  ];
  if (sourceRegistries.length === 0) {
    problems.push(
      'defaultSourceRegistry is false and no sourceRegistries are given: no image would move. Name the registries to move with --source-registry HOST (ECK_AIRGAP_SOURCE_REGISTRIES, sourceRegistries).',
    );
  }
  if (registry && sourceRegistries.includes(registry)) {
    problems.push(`registry ${registry} is also a source registry; the mirror must be another registry.`);
  }
  const registryGiven = sources.some((source) => source.values.registry !== undefined);
  if (!registryGiven && options.requireRegistry) {
    problems.push(
      'No registry given. Say where the mirror is in one of three ways: the flag --registry my.registry:5000, ' +
        'the environment variable ECK_AIRGAP_REGISTRY (or ARGOCD_ENV_ECK_AIRGAP_REGISTRY), ' +
        'or `registry: my.registry:5000` in the config file (-c FILE, $ECK_AIRGAP_CONFIG, or ./eck-airgap.yaml).' +
        unknownVariables(options.env)
          .map((line) => ` Note: ${line}`)
          .join(''),
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
    ...(merged.lock !== undefined ? { lock: merged.lock } : {}),
    strict: merged.strict ?? false,
    ...(merged.vouchedSources?.length ? { vouchedSources: [...new Set(merged.vouchedSources)] } : {}),
    ...(merged.plainHttp !== undefined ? { plainHttp: merged.plainHttp } : {}),
    ...(merged.caFile !== undefined ? { caFile: merged.caFile } : {}),
    ...(merged.authfile !== undefined ? { authfile: merged.authfile } : {}),
    ...(merged.registriesConf !== undefined ? { registriesConf: merged.registriesConf } : {}),
    ...(merged.platforms?.length ? { platforms: [...new Set(merged.platforms)] } : {}),
  };
}
