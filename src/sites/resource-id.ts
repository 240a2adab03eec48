/** Who a document is: kind, apiVersion, name and namespace, for classification and for every message. */
import type { Document } from 'yaml';
import { get, getMap, scalarText, type AnyNode } from '../yaml/node-lookup.js';

export interface ResourceId {
  readonly apiVersion?: string | undefined;
  readonly kind?: string | undefined;
  readonly name?: string | undefined;
  readonly namespace?: string | undefined;
}

export function resourceIdOf(root: AnyNode, doc: Document): ResourceId {
  const metadata = getMap(root, 'metadata', doc);
  return {
    apiVersion: scalarText(get(root, 'apiVersion', doc)),
    kind: scalarText(get(root, 'kind', doc)),
    name: scalarText(get(metadata, 'name', doc)),
    namespace: scalarText(get(metadata, 'namespace', doc)),
  };
}

/** `Kind namespace/name` (or `Kind name` without a namespace). */
export function describeResource(id: ResourceId): string {
  const kind = id.kind ?? 'resource';
  const name = id.name ?? '(unnamed)';
  return id.namespace ? `${kind} ${id.namespace}/${name}` : `${kind} ${name}`;
}
