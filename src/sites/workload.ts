/** The pod spec of a plain workload, found by the path its kind keeps it at. */
import { isMap, type Document, type YAMLMap } from 'yaml';
import { InputError } from '../errors.js';
import { describeNode, get, isNullNode, type AnyNode } from '../yaml/node-lookup.js';
import { WORKLOAD_POD_SPEC_PATHS } from './workload-kinds.js';

export interface WorkloadPodSpec {
  readonly podSpec: YAMLMap;
  readonly field: string;
}

export function workloadPodSpec(
  root: AnyNode,
  kind: string,
  doc: Document,
  where: () => string,
): WorkloadPodSpec | undefined {
  const path = WORKLOAD_POD_SPEC_PATHS[kind];
  if (!path) return undefined;
  let node: AnyNode = root;
  const walked: string[] = [];
  for (const step of path) {
    walked.push(step);
    node = get(node, step, doc);
    if (isNullNode(node)) return undefined;
    if (!isMap(node))
      throw new InputError(`${where()}: ${walked.join('.')} is ${describeNode(node)}, expected a mapping.`);
  }
  return { podSpec: node as YAMLMap, field: walked.join('.') };
}
