/**
 * Where the operator running in the cluster pulls stack images from, as the stream says: its ConfigMap's
 * `eck.yaml` (`container-registry`, `-repository`, `-suffix`, `ubi-only`), overridden by `--container-…` flags in
 * the operator container's args (the operator reads both; flags win). Undefined when the stream says nothing.
 */
import { isMap, type Document } from 'yaml';
import type { OperatorImageSettings } from '../operator/operator-config.js';
import { findOperatorSettings, type readStream } from '../render/render-stream.js';
import { operatorFlagSites } from '../sites/operator-args.js';
import { workloadPodSpec } from '../sites/workload.js';
import { resourceIdOf } from '../sites/resource-id.js';
import { get, seqItems, type AnyNode } from '../yaml/node-lookup.js';

type Parsed = ReturnType<typeof readStream>['parsed'][number];

function flagSettingsIn(node: AnyNode, doc: Document, found: Record<string, string>, depth: number): void {
  if (!isMap(node)) return;
  const kind = resourceIdOf(node, doc).kind ?? '';
  if ((kind === 'List' || kind.endsWith('List')) && depth < 8) {
    for (const item of seqItems(get(node, 'items', doc), doc)) flagSettingsIn(item, doc, found, depth + 1);
    return;
  }
  let pod;
  try {
    pod = workloadPodSpec(node, kind, doc, () => '');
  } catch {
    return; // a malformed workload is reported by the image walk, with its name
  }
  if (!pod) return;
  for (const site of operatorFlagSites(pod.podSpec, doc)) found[site.flag] = site.value;
}

export function streamOperatorSettings(parsed: readonly Parsed[]): OperatorImageSettings | undefined {
  const fromConfig = findOperatorSettings(parsed);
  const flags: Record<string, string> = {};
  for (const p of parsed) flagSettingsIn(p.doc.contents, p.doc, flags, 0);
  if (!fromConfig && Object.keys(flags).length === 0) return undefined;
  const settings: { registry?: string; repository?: string; suffix?: string; ubiOnly?: boolean } = { ...fromConfig };
  if (flags['container-registry'] !== undefined) settings.registry = flags['container-registry'];
  if (flags['container-repository'] !== undefined) settings.repository = flags['container-repository'];
  if (flags['container-suffix'] !== undefined) settings.suffix = flags['container-suffix'];
  return settings;
}
