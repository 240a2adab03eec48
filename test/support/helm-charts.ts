// The charts in charts-test/ and the expectations the Helm 3 and Helm 4 end-to-end tests share.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expect } from 'vitest';
import { type HelmHome, type HelmMajor, helmOk, repoRoot, runHelm } from './helm.js';
import {
  type ImageSite,
  type StreamDocument,
  imagesOf,
  imagesOfStream,
  isElasticResource,
  isRecord,
  registryOf,
  splitDocuments,
} from './helm-output.js';

export const MIRROR = 'my.registry';

export interface TestChart {
  /** Folder under charts-test/. */
  name: string;
  release: string;
  namespace: string;
  /** Extra `helm template` arguments (e.g. --set). */
  args: string[];
}

export const CHARTS: readonly TestChart[] = [
  { name: 'eck-operator-lite', release: 'op', namespace: 'elastic-system', args: [] },
  { name: 'elastic-stack', release: 'st', namespace: 'elastic-stack', args: [] },
  { name: 'umbrella', release: 'um', namespace: 'edge', args: [] },
  {
    name: 'umbrella',
    release: 'um',
    namespace: 'edge',
    args: ['--set', 'search.enabled=false,observability.heartbeat=false,list.enabled=false'],
  },
];

export function chartPath(chart: TestChart): string {
  return join(repoRoot, 'charts-test', chart.name);
}

export function chartLabel(chart: TestChart): string {
  return `${chart.name}${chart.args.length ? ` ${chart.args.join(' ')}` : ''}`;
}

/** `helm template <release> <chart> -n <namespace> <args>` with extra arguments appended. */
export function templateArgs(chart: TestChart, extra: string[] = [], path = chartPath(chart)): string[] {
  return ['template', chart.release, path, '-n', chart.namespace, ...chart.args, ...extra];
}

export function isHook(document: StreamDocument): boolean {
  const metadata = isRecord(document.value) && isRecord(document.value.metadata) ? document.value.metadata : {};
  return isRecord(metadata.annotations) && typeof metadata.annotations['helm.sh/hook'] === 'string';
}

/** The operator ConfigMap (data key eck.yaml). */
export function isOperatorConfigMap(document: StreamDocument): boolean {
  const value = document.value;
  return document.kind === 'ConfigMap' && isRecord(value) && isRecord(value.data) && 'eck.yaml' in value.data;
}

/** Documents render may change: anything with an image, Elastic resources, the operator ConfigMap. */
export function mayChange(document: StreamDocument): boolean {
  return (
    imagesOf(document).length > 0 ||
    isElasticResource(document.value) ||
    isOperatorConfigMap(document) ||
    document.kind === 'List'
  );
}

/** `key: value` lines of the operator's eck.yaml, as a map. */
export function eckYaml(document: StreamDocument): Record<string, unknown> {
  const value = document.value;
  if (!isRecord(value) || !isRecord(value.data) || typeof value.data['eck.yaml'] !== 'string') return {};
  const parsed: unknown = parse(value.data['eck.yaml']);
  return isRecord(parsed) ? parsed : {};
}

/**
 * Installs a Helm 4 post-renderer plugin that passes the stream through unchanged (`cat`), named `identity`.
 * (A test fixture made at run time, not part of the product.)
 * Helm 4 re-serialises what a post-renderer returns, so its output with any post-renderer differs in layout
 * from plain `helm template`; this plugin gives the byte baseline for documents eck-airgap must not change.
 */
export async function installIdentityPlugin(home: HelmHome): Promise<void> {
  const dir = join(home.root, 'identity-plugin');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'plugin.yaml'),
    [
      'apiVersion: v1',
      'type: postrenderer/v1',
      'name: identity',
      'version: 0.0.1',
      'runtime: subprocess',
      'runtimeConfig:',
      '  platformCommand:',
      '    - command: ${HELM_PLUGIN_DIR}/identity.sh',
      '',
    ].join('\n'),
  );
  // With $CAPTURE set, it also keeps a copy of exactly what Helm 4 sent to the post-renderer.
  writeFileSync(join(dir, 'identity.sh'), '#!/bin/sh\nif [ -n "$CAPTURE" ]; then exec tee "$CAPTURE"; fi\nexec cat\n');
  chmodSync(join(dir, 'identity.sh'), 0o755);
  await helmOk(4, ['plugin', 'install', dir], { home });
}

/** Expected images for elastic-stack (charts-test/cases/helm/elastic-stack.images.yaml). */
export interface ExpectedImage {
  resource: string;
  field: string;
  image: string;
  helm3?: 'unchanged';
}

export function expectedStackImages(): ExpectedImage[] {
  const file = join(repoRoot, 'charts-test', 'cases', 'helm', 'elastic-stack.images.yaml');
  return parse(readFileSync(file, 'utf8')) as ExpectedImage[];
}

export interface OperatorCase {
  name: string;
  set: string[];
  image: string;
}

export function operatorCases(): OperatorCase[] {
  const file = join(repoRoot, 'charts-test', 'cases', 'helm', 'operator.images.yaml');
  return parse(readFileSync(file, 'utf8')) as OperatorCase[];
}

export interface RenderedPair {
  /** Plain `helm template` (no post-renderer). */
  plain: StreamDocument[];
  /** What eck-airgap's output must equal byte for byte where it changes nothing (Helm 3: plain). */
  baseline: StreamDocument[];
  /** `helm template` with eck-airgap as the post-renderer. */
  rendered: StreamDocument[];
  renderedText: string;
}

/** Which documents each Helm version sends through the post-renderer. */
export function sentToPostRenderer(major: HelmMajor, document: StreamDocument): boolean {
  return major === 4 || !isHook(document);
}

/** The common assertions for one chart rendered with and without the post-renderer. */
export function assertMirrored(major: HelmMajor, pair: RenderedPair, mirror = MIRROR): void {
  const { plain, baseline, rendered } = pair;
  // Same documents, same order, as Helm without eck-airgap (Helm 4: with a pass-through post-renderer).
  expect(rendered.map((d) => `${d.kind}/${d.name}`)).toEqual(baseline.map((d) => `${d.kind}/${d.name}`));
  // The chart's documents: Helm 3 prints them as rendered; Helm 4, once post-rendered, in template-file order
  // and with every `kind: List` replaced by its items.
  const chartDocuments = major === 3 ? plain.map(resourceKey) : plain.flatMap(listItemKeys).sort();
  const seen = major === 3 ? baseline.map(resourceKey) : baseline.map(resourceKey).sort();
  expect(seen).toEqual(chartDocuments);
  for (const base of baseline) {
    const before = base;
    const after = rendered[base.index]!;
    const sent = sentToPostRenderer(major, before);
    // Every docker.elastic.co image moves to the mirror (if Helm sent it); others stay as they were.
    const afterSites = new Map(imagesOf(after).map((s) => [s.field, s.image]));
    for (const site of imagesOf(before)) {
      const now = afterSites.get(site.field);
      if (registryOf(site.image) === 'docker.elastic.co' && sent) {
        expect(now, `${site.resource} ${site.field}`).toMatch(new RegExp(`^${escape(mirror)}/`));
      } else if (registryOf(site.image) === 'docker.elastic.co') {
        expect(now, `${site.resource} ${site.field} (not sent by Helm ${major})`).toBe(site.image);
      }
    }
    // Every Elastic resource gets an image on the mirror.
    if (isElasticResource(after.value)) {
      expect(afterSites.get('spec.image'), `${after.kind}/${after.name} spec.image`).toMatch(
        new RegExp(`^${escape(mirror)}/`),
      );
    }
    // Documents render has no reason to touch, or that Helm did not send, come back byte for byte.
    if (!mayChange(before) || !sent) expect(after.text, `${after.kind}/${after.name}`).toBe(base.text);
    // In the others, only lines with image or registry settings go away (the rest is kept, lines are added);
    // an empty flow collection (`daemonSet: {}`) may open up to receive pull secrets.
    if (mayChange(before) && sent) {
      const removed = removedLines(base.text, after.text);
      for (const line of removed) {
        expect(line, `${after.kind}/${after.name}`).toMatch(
          /image|container-(registry|repository|suffix)|ubi-only|:\s*(\{\}|\[\])\s*$/,
        );
      }
    }
  }
  // No docker.elastic.co image is left, except in what Helm did not send.
  const left = imagesOfStream(rendered).filter((s) => registryOf(s.image) === 'docker.elastic.co');
  const notSent = left.filter((s) => !sentToPostRenderer(major, rendered[s.document]!));
  expect(left).toEqual(notSent);
  // The operator ConfigMap names the mirror.
  for (const document of rendered.filter(isOperatorConfigMap)) {
    expect(eckYaml(document)['container-registry']).toBe(mirror);
  }
}

function resourceKey(document: StreamDocument): string {
  return `${document.kind}/${document.name}`;
}

/** `Kind/name` of a document, or of each item of a `kind: List`. */
function listItemKeys(document: StreamDocument): string[] {
  const value = document.value;
  if (document.kind !== 'List' || !isRecord(value) || !Array.isArray(value.items)) return [resourceKey(document)];
  return value.items.map((item: unknown) => {
    const metadata = isRecord(item) && isRecord(item.metadata) ? item.metadata : {};
    return `${isRecord(item) ? String(item.kind) : '?'}/${String(metadata.name ?? '')}`;
  });
}

/** Images of a stream keyed `resource field`. */
export function imageTable(documents: StreamDocument[]): Map<string, string> {
  return new Map(imagesOfStream(documents).map((s: ImageSite) => [`${s.resource} ${s.field}`, s.image]));
}

/** Lines of `before` not found in `after` (as a multiset). */
export function removedLines(before: string, after: string): string[] {
  const counts = new Map<string, number>();
  for (const line of after.split('\n')) counts.set(line, (counts.get(line) ?? 0) + 1);
  const removed: string[] = [];
  for (const line of before.split('\n')) {
    const n = counts.get(line) ?? 0;
    if (n > 0) counts.set(line, n - 1);
    else removed.push(line);
  }
  return removed;
}

/** Renders a chart without and with eck-airgap as the post-renderer, with the given `--post-renderer` form. */
export async function renderPair(options: {
  major: HelmMajor;
  chart: TestChart;
  postRenderer: string[];
  home?: HelmHome;
  cwd?: string;
  chartPath?: string;
  env?: Record<string, string>;
}): Promise<RenderedPair> {
  const { major, chart, home } = options;
  const path = options.chartPath ?? chartPath(chart);
  const run = { ...(home ? { home } : {}), ...(options.cwd ? { cwd: options.cwd } : {}), env: options.env ?? {} };
  const plainText = await helmOk(major, templateArgs(chart, [], path), run);
  const baselineText =
    major === 4 ? await helmOk(major, templateArgs(chart, ['--post-renderer', 'identity'], path), run) : plainText;
  const result = await runHelm(major, templateArgs(chart, options.postRenderer, path), run);
  expect(result.stderr.replace(/^failed to load plugins:.*\n/gm, '')).not.toMatch(/Error/);
  expect(result.exitCode).toBe(0);
  return {
    plain: splitDocuments(plainText),
    baseline: splitDocuments(baselineText),
    rendered: splitDocuments(result.stdout),
    renderedText: result.stdout,
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The operator-like chart with one case's `--set` values. */
export function operatorCaseChart(operatorCase: OperatorCase): TestChart {
  return {
    ...CHARTS.find((c) => c.name === 'eck-operator-lite')!,
    args: operatorCase.set.flatMap((s) => ['--set', s]),
  };
}

/** One operator case rendered through a post-renderer: the operator image and its eck.yaml (and flags) on the mirror. */
export function assertOperatorCase(major: HelmMajor, pair: RenderedPair, operatorCase: OperatorCase): void {
  assertMirrored(major, pair);
  const statefulSet = pair.rendered.find((d) => d.kind === 'StatefulSet')!;
  expect(imagesOf(statefulSet).map((s) => s.image)).toEqual([operatorCase.image]);
  expect(eckYaml(pair.rendered.find(isOperatorConfigMap)!)['container-registry']).toBe(MIRROR);
  if (operatorCase.set.includes('flagsInArgs=true')) {
    expect(statefulSet.text).toContain(`--container-registry=${MIRROR}`);
    expect(statefulSet.text).not.toContain('--container-registry=docker.elastic.co');
  }
}
