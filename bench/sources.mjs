// Where the benchmark's input comes from, best first:
//   1. ../shared/fixtures/eck-upstream (real ECK chart output: operator chart + eck-stack examples);
//   2. the project's own charts-test/ (rendered YAML found there, or charts rendered with `helm template`);
//   3. a small synthetic stream written here (Elastic resources, workloads, a CRD), so the harness always runs.
// `--source charts-test` or `--source synthetic` (bench/run.mjs) skips the better ones, to check the fallbacks.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { syntheticOperator, syntheticStack } from './synthetic.mjs';

/**
 * @returns {{ kind: string, operator: { label: string, text: string } | undefined, streamTexts: string[] }}
 *   operator: the single operator-chart input (undefined when there is none);
 *   streamTexts: chart outputs concatenated round-robin into the large streams.
 */
/**
 * @param {string} root
 * @param {{ helm?: () => string | undefined, prefer?: string }} [options] helm is only looked for when charts-test/ must be rendered
 */
export function findSources(root, { helm, prefer = 'auto' } = {}) {
  const upstream = join(root, '..', 'shared', 'fixtures', 'eck-upstream');
  if (prefer === 'auto' && existsSync(join(upstream, 'v3.5.0', 'helm3', 'operator.yaml')))
    return upstreamSources(upstream);
  const own = prefer === 'synthetic' ? { streamTexts: [] } : chartsTestSources(join(root, 'charts-test'), helm);
  if (own.streamTexts.length > 0) {
    own.operator ??= {
      label: 'synthetic operator-like stream (CRDs + operator; charts-test/ has no CRDs)',
      text: syntheticOperator(),
    };
    return own;
  }
  return {
    kind: 'synthetic (neither ../shared nor charts-test/ output found)',
    operator: { label: 'synthetic operator-like stream (CRDs + operator)', text: syntheticOperator() },
    streamTexts: [syntheticStack()],
  };
}

function upstreamSources(upstream) {
  const rel = (path) => `../shared/fixtures/eck-upstream/${path}`;
  const read = (path) => readFileSync(join(upstream, path), 'utf8');
  const files = [];
  for (const tag of ['v3.5.0', 'v2.16.1']) {
    const stackDir = join(upstream, tag, 'helm3', 'stack');
    if (existsSync(stackDir)) {
      for (const name of readdirSync(stackDir)
        .filter((n) => n.endsWith('.yaml'))
        .sort())
        files.push(`${tag}/helm3/stack/${name}`);
    }
  }
  // The operator chart without CRDs (its StatefulSet, ConfigMap, RBAC, webhook) keeps the mix close to
  // 1 kB a document, like real application charts; the full 870 kB chart is measured on its own.
  for (const name of ['operator-no-crds-repository-suffix.yaml', 'operator-fips.yaml']) {
    if (existsSync(join(upstream, 'v3.5.0', 'helm3', name))) files.push(`v3.5.0/helm3/${name}`);
  }
  return {
    kind: '../shared/fixtures/eck-upstream (ECK 3.5.0 and 2.16.1, Helm 3 output)',
    operator: { label: rel('v3.5.0/helm3/operator.yaml'), text: read('v3.5.0/helm3/operator.yaml') },
    streamTexts: files.map(read),
    streamFiles: files.map(rel),
  };
}

function chartsTestSources(dir, helm) {
  const result = {
    kind: 'charts-test/ (project charts, rendered with helm template)',
    operator: undefined,
    streamTexts: [],
    streamFiles: [],
  };
  if (!existsSync(dir)) return result;
  const charts = [];
  for (const path of walk(dir)) {
    if (/\/charts\//.test(path.slice(dir.length))) continue; // subcharts come with their parent
    if (path.endsWith('/Chart.yaml')) charts.push(path.slice(0, -'/Chart.yaml'.length));
  }
  const helmPath = charts.length > 0 && helm ? helm() : undefined;
  for (const chart of helmPath ? charts : []) {
    const run = spawnSync(helmPath, ['template', 'bench', chart, '--namespace', 'bench'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (run.status === 0 && /^kind:/m.test(run.stdout)) {
      result.streamTexts.push(run.stdout);
      result.streamFiles.push(`helm template bench ${chart.slice(dir.length - 'charts-test'.length)}`);
    }
  }
  const operator = result.streamTexts.findIndex(
    (t) => /eck-operator/.test(t) && /kind: CustomResourceDefinition/.test(t),
  );
  if (operator >= 0) result.operator = { label: result.streamFiles[operator], text: result.streamTexts[operator] };
  return result;
}

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
