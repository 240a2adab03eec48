// Seed manifests for mutation: the project's own hand-made cases (test/robustness/seeds/, always there), the
// project's charts-test/ charts rendered with the real Helm 3 (extracted from the dev dependency), and the
// real upstream ECK output in ../shared/fixtures/eck-upstream when that folder is present.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { extractTool } from '../extract-tools.mjs';
import { repoRoot } from './run-cli.mjs';

export const upstreamDir = join(repoRoot, '..', 'shared', 'fixtures', 'eck-upstream');
export const handMadeDir = join(repoRoot, 'test', 'robustness', 'seeds');
const CHARTS = ['eck-operator-lite', 'elastic-stack', 'umbrella'];

function yamlFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) found.push(path);
  }
  return found;
}

export function handMadeSeeds() {
  return yamlFiles(handMadeDir).map((path) => ({ name: relative(repoRoot, path), text: readFileSync(path, 'utf8') }));
}

/** Upstream seeds (small ones first: fuzzing big inputs costs time, not coverage), or [] when ../shared is absent. */
export function upstreamSeeds(maxBytes = 120_000) {
  if (!existsSync(upstreamDir)) return [];
  return yamlFiles(upstreamDir)
    .filter((path) => statSync(path).size <= maxBytes)
    .map((path) => ({ name: relative(join(repoRoot, '..'), path), text: readFileSync(path, 'utf8') }));
}

/** charts-test rendered by Helm 3 (`helm template`), in a throw-away Helm home. */
export function chartSeeds() {
  const helm = extractTool('helm3', repoRoot);
  const home = mkdtempSync(join(tmpdir(), 'eck-airgap-fuzz-helm-'));
  const env = {
    ...process.env,
    HELM_DATA_HOME: join(home, 'data'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_CACHE_HOME: join(home, 'cache'),
  };
  try {
    return CHARTS.map((chart) => ({
      name: `charts-test/${chart} (helm template)`,
      text: execFileSync(helm, ['template', 'fuzz', join(repoRoot, 'charts-test', chart), '-n', 'fuzz'], {
        env,
        encoding: 'utf8',
      }),
    }));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Every seed, and whether the upstream fixtures were found. */
export function allSeeds() {
  const upstream = upstreamSeeds();
  return {
    seeds: [...handMadeSeeds(), ...chartSeeds(), ...upstream],
    upstreamPresent: existsSync(upstreamDir),
    upstreamCount: upstream.length,
  };
}
