/**
 * `--container-registry=…` style flags in a container's args (the operator reads them as well as its
 * ConfigMap): the scalars holding their values, written either as `--flag=value` or as `--flag`, `value`.
 */
import { isMap, isScalar, type Document, type Scalar, type YAMLMap } from 'yaml';
import { get, seqItems } from '../yaml/node-lookup.js';
import { CONTAINER_LISTS } from './workload-kinds.js';

export const OPERATOR_FLAGS = ['container-registry', 'container-repository', 'container-suffix'] as const;
export type OperatorFlag = (typeof OPERATOR_FLAGS)[number];

export interface FlagSite {
  readonly flag: OperatorFlag;
  readonly node: Scalar;
  /** The whole scalar text is `--flag=value` (true) or just `value` (false). */
  readonly inline: boolean;
  readonly value: string;
}

export function operatorFlagSites(podSpec: YAMLMap, doc: Document): FlagSite[] {
  const sites: FlagSite[] = [];
  for (const list of CONTAINER_LISTS) {
    for (const container of seqItems(get(podSpec, list, doc), doc)) {
      if (!isMap(container)) continue;
      for (const argsKey of ['args', 'command']) {
        const args = seqItems(get(container, argsKey, doc), doc);
        args.forEach((arg, i) => {
          if (!isScalar(arg) || typeof arg.value !== 'string') return;
          for (const flag of OPERATOR_FLAGS) {
            if (arg.value.startsWith(`--${flag}=`)) {
              sites.push({ flag, node: arg, inline: true, value: arg.value.slice(flag.length + 3) });
            } else if (arg.value === `--${flag}`) {
              const next = args[i + 1];
              if (isScalar(next) && typeof next.value === 'string') sites.push({ flag, node: next, inline: false, value: next.value });
            }
          }
        });
      }
    }
  }
  return sites;
}
