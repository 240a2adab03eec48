/**
 * The ECK operator's image settings as command-line flags: `--container-registry=…`, `--container-registry …`,
 * bare `--ubi-only` and `--ubi-only=VALUE`. One parser, for the operator's manager container (the operator model)
 * and for any other container that passes these flags (render keeps them pointing at the mirror too).
 */
import { isMap, isScalar, type Document, type Scalar, type YAMLMap } from 'yaml';
import { get, seqItems, type AnyNode } from '../yaml/node-lookup.js';
import { CONTAINER_LISTS } from './workload-kinds.js';

/** The operator settings that say where stack images come from, by their flag names. */
export const OPERATOR_SETTING_KEYS = [
  'container-registry',
  'container-repository',
  'container-suffix',
  'ubi-only',
] as const;
export type OperatorSettingKey = (typeof OPERATOR_SETTING_KEYS)[number];

/** The settings that take a string value (`--flag=value` or `--flag value`). */
export const STRING_SETTING_KEYS = ['container-registry', 'container-repository', 'container-suffix'] as const;
export type StringSettingKey = (typeof STRING_SETTING_KEYS)[number];

/** `--flag=value`, `--flag value`, or a bare boolean `--ubi-only`, in a container's args (or command). */
export interface FlagSite {
  readonly key: OperatorSettingKey;
  readonly node: Scalar;
  /** The scalar is `--flag=value` or a bare `--flag` (true), or the separate value after `--flag` (false). */
  readonly inline: boolean;
  readonly value: string;
}

/**
 * The one argv reader: each `--name=value` / `--name value` of a string flag in an argument list, in order (pflag: the
 * last one wins), with the scalar that holds the value.
 */
export function stringFlagsIn(
  argv: readonly unknown[],
  name: string,
): { node: Scalar; inline: boolean; value: string }[] {
  const found: { node: Scalar; inline: boolean; value: string }[] = [];
  argv.forEach((arg, i) => {
    if (!isScalar(arg) || typeof arg.value !== 'string') return;
    const text = arg.value;
    if (text.startsWith(`--${name}=`)) found.push({ node: arg, inline: true, value: text.slice(name.length + 3) });
    else if (text === `--${name}`) {
      const next = argv[i + 1];
      if (isScalar(next) && typeof next.value === 'string')
        found.push({ node: next, inline: false, value: next.value });
    }
  });
  return found;
}

/** The flag sites of one argument list (a container's `command` then `args`, as the runtime joins them). */
export function flagSitesIn(argv: readonly unknown[]): FlagSite[] {
  const sites: FlagSite[] = [];
  argv.forEach((arg, i) => {
    if (!isScalar(arg) || typeof arg.value !== 'string') return;
    const text = arg.value;
    for (const key of STRING_SETTING_KEYS) {
      const [site] = stringFlagsIn(argv.slice(i, i + 2), key);
      if (site && (site.inline ? site.node === arg : true)) sites.push({ key, ...site });
    }
    // A boolean flag never takes the next argument as its value (pflag): `--ubi-only` or `--ubi-only=VALUE`.
    if (text === '--ubi-only') sites.push({ key: 'ubi-only', node: arg, inline: true, value: 'true' });
    else if (text.startsWith('--ubi-only='))
      sites.push({ key: 'ubi-only', node: arg, inline: true, value: text.slice('--ubi-only='.length) });
  });
  return sites;
}

/** A container's argument list as the runtime runs it: `command`, then `args`. */
export function argvOf(container: YAMLMap, doc: Document): AnyNode[] {
  return [...seqItems(get(container, 'command', doc), doc), ...seqItems(get(container, 'args', doc), doc)] as AnyNode[];
}

/** The string-valued setting flags of every container of a pod spec. */
export function operatorFlagSites(podSpec: YAMLMap, doc: Document): (FlagSite & { key: StringSettingKey })[] {
  const sites: (FlagSite & { key: StringSettingKey })[] = [];
  for (const list of CONTAINER_LISTS) {
    for (const container of seqItems(get(podSpec, list, doc), doc)) {
      if (!isMap(container)) continue;
      for (const site of flagSitesIn(argvOf(container, doc))) {
        if (site.key !== 'ubi-only') sites.push(site as FlagSite & { key: StringSettingKey });
      }
    }
  }
  return sites;
}
