/**
 * The three sources of settings, each turned into a partial settings object labelled with where it came from:
 * the command line, the environment (`ECK_AIRGAP_*`, or `ARGOCD_ENV_ECK_AIRGAP_*` as Argo CD passes plugin env),
 * and the config file (`-c FILE`, else `$ECK_AIRGAP_CONFIG`, else `./eck-airgap.yaml` when present).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { SETTING_KEYS, SETTINGS } from './descriptors.js';
import { BOOLEAN_SPELLINGS, parseBoolean, type Issue } from './rules.js';
import { suggest } from '../text/suggest.js';

export interface Source {
  /** How to name this source in messages, e.g. `config file ./eck-airgap.yaml`. */
  readonly label: string;
  /** How to name a key of this source in messages, e.g. `--registry` or `ECK_AIRGAP_REGISTRY`. */
  readonly keyName: (key: string) => string;
  readonly values: Record<string, unknown>;
  /** How its values are checked (the config file's: by the zod schema; else by the descriptor table's rules). */
  readonly validate?: (values: Readonly<Record<string, unknown>>) => Issue[];
}

/** Render options as commander hands them over. */
export interface FlagValues {
  registry?: string;
  repository?: string;
  suffix?: string;
  ubiOnly?: boolean;
  imagePullSecret?: string[];
  /** Deprecated: --pull-secret (see the descriptor's `formerly`). */
  pullSecret?: string[];
  sourceRegistry?: string[];
  operatorRepository?: string;
  setDefaultImages?: boolean;
  defaultSourceRegistry?: boolean;
  mirror?: string[];
  eckVersion?: string;
  lock?: string;
  strict?: boolean;
  vouchSource?: string[];
  plainHttp?: boolean;
  caFile?: string;
  authfile?: string;
  registriesConf?: string;
  platform?: string[];
  config?: string;
}

function pairsToRecord(pairs: readonly string[], name: (p: string) => string): Record<string, string> {
  const record: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) {
      throw new UsageError(
        `${name(pair)}: "${pair}" is not SOURCE=DESTINATION (e.g. docker.io=my.registry/dockerhub).`,
      );
    }
    record[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return record;
}

/** Flag names by setting key, for messages. */
const FLAG_NAMES: Record<string, string> = Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].flagName]));

export function flagSource(flags: FlagValues): Source {
  const values: Record<string, unknown> = {};
  const given = flags as Record<string, unknown>;
  for (const key of SETTING_KEYS) {
    const d = SETTINGS[key];
    let value = given[d.option];
    const former = d.formerly ? given[d.formerly.option] : undefined;
    if (former !== undefined)
      value =
        Array.isArray(value) || Array.isArray(former)
          ? [...((value as unknown[]) ?? []), ...((former as unknown[]) ?? [])]
          : (value ?? former);
    if (value === undefined) continue;
    switch (d.form) {
      case 'list':
        if ((value as string[]).length) values[key] = value;
        break;
      case 'pairs':
        if ((value as string[]).length) values[key] = pairsToRecord(value as string[], () => d.flagName);
        break;
      case 'negated':
        // commander sets the attribute to true by default; only the --no- flag says something
        if (value === false) values[key] = false;
        break;
      case 'repository':
        values[key] = { repository: value };
        break;
      default:
        values[key] = value;
    }
  }
  return { label: 'command line', keyName: (key) => FLAG_NAMES[key.split('.')[0]!] ?? key, values };
}

const PREFIXES = ['ECK_AIRGAP_', 'ARGOCD_ENV_ECK_AIRGAP_'] as const;

function envValue(env: NodeJS.ProcessEnv, name: string): { name: string; value: string } | undefined {
  for (const prefix of PREFIXES) {
    const value = env[prefix + name];
    if (value !== undefined && value.trim() !== '') return { name: prefix + name, value: value.trim() };
  }
  return undefined;
}

function envBoolean(name: string, value: string): boolean {
  const parsed = parseBoolean(value);
  if (parsed === undefined)
    throw new UsageError(`Environment variable ${name}="${value}" is not a boolean (accepted: ${BOOLEAN_SPELLINGS}).`);
  return parsed;
}

/**
 * Variables that are not settings of the table: the CLI's own (CONFIG, DEBUG, CODE_CACHE) and those of its build,
 * release, bench, fuzz and test tooling, which may be set in the same shell; none of them is a typo.
 */
const OTHER_VARIABLES = [
  'CONFIG',
  'DEBUG',
  'CODE_CACHE',
  'VERSION',
  'SIGN_KEY',
  'SIGN_KEYRING',
  'SIGN_PASSPHRASE_FILE',
  'KEEP_FAILED_BUILD',
  'TEST_EXECUTABLE',
  'TEST_REGISTRY',
  'BENCH_MAX_RSS_FILE',
  'FUZZ_MAX_RSS_FILE',
];

/**
 * `ECK_AIRGAP_*` (and `ARGOCD_ENV_ECK_AIRGAP_*`) variables that are set but name no setting: a typo such as
 * ECK_AIRGAP_REGISTY would otherwise go unnoticed. One line each, with the closest known name.
 */
export function unknownVariables(env: NodeJS.ProcessEnv): string[] {
  const known = [
    ...SETTING_KEYS.flatMap((key) => [
      SETTINGS[key].env,
      ...(SETTINGS[key].formerly ? [SETTINGS[key].formerly.env] : []),
    ]),
    ...OTHER_VARIABLES,
  ];
  const lines: string[] = [];
  for (const name of Object.keys(env).sort()) {
    const prefix = PREFIXES.slice()
      .reverse()
      .find((p) => name.startsWith(p));
    if (prefix === undefined || (env[name] ?? '').trim() === '') continue;
    const rest = name.slice(prefix.length);
    if (known.includes(rest)) continue;
    const close = suggest(rest, known).map((k) => prefix + k);
    lines.push(
      `${name} is set but is not a variable eck-airgap reads${close.length ? ` (did you mean ${close.join(' or ')}?)` : ''}; ignored.`,
    );
  }
  return lines;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function envSource(env: NodeJS.ProcessEnv): Source {
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  for (const key of SETTING_KEYS) {
    const d = SETTINGS[key];
    const found = envValue(env, d.env) ?? (d.formerly ? envValue(env, d.formerly.env) : undefined);
    if (!found) continue;
    names[key] = found.name;
    const { value, name } = found;
    switch (d.form) {
      case 'boolean':
      case 'negated':
        values[key] = envBoolean(name, value);
        break;
      case 'list':
        values[key] = list(value);
        break;
      case 'repository':
        values[key] = { repository: value };
        break;
      case 'pairs':
        values[key] = pairsToRecord(list(value), () => name);
        break;
      default:
        values[key] = value;
    }
  }
  return { label: 'environment', keyName: (key) => names[key.split('.')[0]!] ?? key, values };
}

/**
 * A note for each former name in use (`--pull-secret`, `ECK_AIRGAP_PULL_SECRETS`): still read, but the setting now
 * has one name across flag, environment and file.
 */
export function deprecationNotes(flags: FlagValues, env: NodeJS.ProcessEnv): string[] {
  const notes: string[] = [];
  const given = flags as Record<string, unknown>;
  for (const key of SETTING_KEYS) {
    const d = SETTINGS[key];
    if (!d.formerly) continue;
    const one = `one name across flag, environment and file: ${d.flagName}, ECK_AIRGAP_${d.env}, ${d.fileKey}`;
    const former = given[d.formerly.option];
    if (former !== undefined && (!Array.isArray(former) || former.length > 0))
      notes.push(`${d.formerly.flagName} is deprecated; use ${d.flagName} (${one}).`);
    for (const prefix of PREFIXES) {
      if ((env[prefix + d.formerly.env] ?? '').trim() !== '')
        notes.push(`${prefix}${d.formerly.env} is deprecated; use ${prefix}${d.env} (${one}).`);
    }
  }
  return notes;
}

/** The config file to read: `-c FILE`, else `$ECK_AIRGAP_CONFIG`, else `./eck-airgap.yaml` when present. */
export function configFilePath(flagPath: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (flagPath) return resolve(cwd, flagPath);
  const fromEnv = envValue(env, 'CONFIG');
  if (fromEnv) return resolve(cwd, fromEnv.value);
  const local = resolve(cwd, 'eck-airgap.yaml');
  return existsSync(local) ? local : undefined;
}
